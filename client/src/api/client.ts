import { t } from '../i18n';
import { connectivity } from './connectivity';

/** An error answered by the API (or a failed request), with the message a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field path (as the API names it, e.g. `organisation.name`) → what is wrong with it. */
    readonly fields: Record<string, string> = {},
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the request never reached the server (offline, DNS, connection reset). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

function fieldsOf(details: unknown): Record<string, string> {
  if (details && typeof details === 'object' && 'fields' in details) {
    const fields = (details as { fields: unknown }).fields;
    if (fields && typeof fields === 'object') {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(fields)) if (typeof v === 'string') out[k] = v;
      return out;
    }
  }
  return {};
}

/** Called when the API says the session has ended (expired, signed out elsewhere). */
export const sessionEndedListeners = new Set<() => void>();

/** Sends one request to the API (same origin, session cookie) and returns its JSON body. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    connectivity.reportFailure();
    throw new ApiError(0, 'network', t('error.network'));
  }
  connectivity.reportSuccess();
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const parsed: unknown = type.includes('json') ? await res.json().catch(() => null) : null;
  if (res.status === 401 && !path.startsWith('/api/auth/') && path !== '/api/me') {
    for (const fn of sessionEndedListeners) fn();
  }
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    if (res.status >= 502 && res.status <= 504 && !err) {
      // A proxy in front of the server answered: treat it as the connection being down.
      connectivity.reportFailure();
      throw new ApiError(0, 'network', t('error.network'));
    }
    const message = err?.message || (res.status === 429 ? t('error.rateLimited') : res.status >= 500 ? t('error.server') : t('error.generic'));
    throw new ApiError(res.status, err?.code ?? 'error', message, fieldsOf(err?.details), err?.details);
  }
  return parsed as T;
}

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

/** Encodes one path segment. */
export const seg = (s: string) => encodeURIComponent(s);
