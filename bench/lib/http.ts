import http from 'node:http';

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: http.IncomingHttpHeaders;
  /** Bytes of the body as received. */
  bytes: number;
  /** Wall time from sending the request to the last byte of the body, in ms. */
  ms: number;
}

/**
 * A small keep-alive HTTP client for the benchmark: JSON in and out, a bearer token, and an
 * optional loopback source address (127.0.0.x) so that many simulated people do not all share
 * one address. Only loopback targets are accepted.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly origin: URL;

  constructor(
    baseUrl: string,
    public token?: string,
    opts: { localAddress?: string; maxSockets?: number } = {},
  ) {
    this.origin = new URL(baseUrl);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.origin.hostname) && !this.origin.hostname.startsWith('127.')) {
      throw new Error(`benchmarks only talk to loopback addresses, not ${this.origin.hostname}`);
    }
    this.agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 4, localAddress: opts.localAddress } as http.AgentOptions);
  }

  /**
   * One request. A keep-alive socket the server closed just as it was reused fails with
   * ECONNRESET before anything was processed: that one case is retried once, as Node advises.
   */
  async request<T = any>(method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<HttpResponse<T>> {
    try {
      return await this.once<T>(method, path, body, timeoutMs);
    } catch (err) {
      if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') return this.once<T>(method, path, body, timeoutMs);
      throw err;
    }
  }

  private once<T>(method: string, path: string, body: unknown, timeoutMs: number): Promise<HttpResponse<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {};
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.origin.hostname.replace(/^\[|\]$/g, ''), port: this.origin.port, path, method, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            const ms = performance.now() - started;
            const type = String(res.headers['content-type'] ?? '');
            let parsed: unknown = buf;
            if (type.includes('json')) {
              try {
                parsed = JSON.parse(buf.toString('utf8'));
              } catch {
                parsed = buf.toString('utf8');
              }
            } else if (type.startsWith('text/')) parsed = buf.toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: res.headers, bytes: buf.length, ms });
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(payload);
    });
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body: unknown = {}) => this.request<T>('POST', path, body);

  /** POST that must answer `status`; otherwise throws with the body. */
  async expect<T = any>(method: string, path: string, body: unknown, status: number): Promise<T> {
    const res = await this.request<T>(method, path, body);
    if (res.status !== status) {
      const text = Buffer.isBuffer(res.body) ? res.body.toString('utf8').slice(0, 500) : JSON.stringify(res.body).slice(0, 500);
      throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${text}`);
    }
    return res.body;
  }

  close(): void {
    this.agent.destroy();
  }
}
