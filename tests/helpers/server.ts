import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '@charter/server';
import { setLogLevel } from '../../server/src/log.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A fresh temporary data directory, removed by `cleanup`. */
export function tempDataDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'charter-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Closes the server and deletes its data directory. */
  stop(): Promise<void>;
}

/** Starts a real server in this process on port 0 with its own data directory. */
export async function startTestServer(opts: { dataDir?: string; keepData?: boolean } = {}): Promise<TestServer> {
  setLogLevel('silent');
  const tmp = opts.dataDir ? undefined : tempDataDir();
  const dataDir = opts.dataDir ?? tmp!.dir;
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    publicUrl: undefined,
    logLevel: 'silent',
    trustProxy: false,
    exportMemoryMb: 160,
    clientDist: undefined,
  });
  return {
    ...running,
    dataDir,
    stop: async () => {
      await running.close();
      if (!opts.keepData) tmp?.cleanup();
    },
  };
}

export interface SpawnedServer {
  url: string;
  port: number;
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the server as its own process, from the bundle `pnpm start` runs (the global setup
 * builds it), for crash and restart tests.
 */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [resolve(repoRoot, 'server/dist/index.mjs')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const onData = () => {
      const m = out.match(/"event":"listening","url":"([^"]+)"/);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => out,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((r) => {
        if (child.exitCode !== null || child.signalCode !== null) return r();
        child.once('exit', () => r());
        child.kill(signal);
      }),
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client for the API, authenticating with a bearer token when it has one. */
export class Api {
  constructor(
    readonly baseUrl: string,
    public token?: string,
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await res.json() : res.status === 204 ? null : await res.text();
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>('GET', path, undefined, headers);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', path, body ?? {}, headers);
  patch = <T = any>(path: string, body?: unknown) => this.request<T>('PATCH', path, body ?? {});
  delete = <T = any>(path: string) => this.request<T>('DELETE', path);

  /** Registers a new account and keeps its token. */
  async register(email: string, name = email.split('@')[0]!, password = 'correct horse battery', extra: Record<string, unknown> = {}) {
    const res = await this.post('/api/auth/register', { email, password, name, ...extra });
    if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.token;
    return res.body.user as { id: string; email: string; name: string };
  }
}

let counter = 0;
/** A unique e-mail address for a test account. */
export const uniqueEmail = (label = 'user') => `${label}-${process.pid}-${Date.now().toString(36)}-${counter++}@example.org`;

/** A signed-in account with a charter made from the principles-of-practice template. */
export async function charterWithSecretariat(url: string) {
  const api = new Api(url);
  const user = await api.register(uniqueEmail('secretariat'), 'Amina Secretariat');
  const res = await api.post('/api/charters', { title: 'Regional principles of practice', templateId: 'principles-of-practice' });
  if (res.status !== 201) throw new Error(`create charter: ${res.status} ${JSON.stringify(res.body)}`);
  return { api, user, charter: res.body.charter as { id: string; sections: { id: string; key: string; title: string }[]; status: string } };
}
