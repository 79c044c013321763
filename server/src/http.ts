import type { Context } from 'hono';
import { setCookie, deleteCookie } from 'hono/cookie';
import { parse as parseCookies } from 'hono/utils/cookie';
import type { AppContext } from './context.js';
import type { UserRow } from './db/statements.js';
import { unauthenticated } from './errors.js';

/** Variables set on every request by the middleware in app.ts. */
export interface AppEnv {
  Variables: {
    user: UserRow | undefined;
    token: string | undefined;
    authVia: 'cookie' | 'bearer' | undefined;
  };
}

export type Ctx = Context<AppEnv>;

export const SESSION_COOKIE = 'charter_session';

/** The signed-in user, or a 401. */
export function requireUser(c: Ctx): UserRow {
  const user = c.get('user');
  if (!user) throw unauthenticated();
  return user;
}

/** The caller's address (X-Forwarded-For only when TRUST_PROXY is set). */
export function clientAddress(ctx: AppContext, c: Context): string {
  if (ctx.config.trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (fwd) return fwd;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

/** The origin people reach the app at: PUBLIC_URL, else what this request was addressed to. */
export function publicOrigin(ctx: AppContext, c: Context): string {
  if (ctx.config.publicUrl) return new URL(ctx.config.publicUrl).origin;
  const url = new URL(c.req.url);
  if (ctx.config.trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim();
    if (proto) url.protocol = `${proto}:`;
    if (host) url.host = host;
  }
  return url.origin;
}

export function isHttps(ctx: AppContext, c: Context): boolean {
  return publicOrigin(ctx, c).startsWith('https:');
}

export function setSessionCookie(ctx: AppContext, c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(ctx, c),
    path: '/',
    maxAge: 30 * 86_400,
  });
}

export function clearSessionCookie(ctx: AppContext, c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(ctx, c), httpOnly: true, sameSite: 'Lax' });
}

export interface FoundToken {
  token: string;
  via: 'cookie' | 'bearer';
}

/**
 * The session token in a request's headers, bearer first, then the session cookie. Shared by
 * HTTP requests and WebSocket upgrades so both authenticate the same way.
 */
export function tokenFromHeaders(authorization: string | undefined, cookieHeader: string | undefined): FoundToken | undefined {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return { token: bearer, via: 'bearer' };
  const cookie = cookieHeader ? parseCookies(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

/** The session token an HTTP request carries. */
export function requestToken(c: Context): FoundToken | undefined {
  return tokenFromHeaders(c.req.header('authorization'), c.req.header('cookie'));
}
