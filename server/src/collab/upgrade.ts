import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AppContext } from '../context.js';
import type { CharterRow, SectionRow, UserRow } from '../db/statements.js';
import { getMembership, type Membership } from '../domain/access.js';
import { userForToken } from '../domain/accounts.js';
import { tokenFromHeaders } from '../http.js';

const COLLAB_PATH = /^\/collab\/([^/]+)\/([^/]+)\/?$/;

/** `{charterId, sectionId}` of a collaboration URL path, or undefined for any other path. */
export function parseCollabPath(pathname: string): { charterId: string; sectionId: string } | undefined {
  const m = COLLAB_PATH.exec(pathname);
  if (!m) return undefined;
  try {
    return { charterId: decodeURIComponent(m[1]!), sectionId: decodeURIComponent(m[2]!) };
  } catch {
    return undefined;
  }
}

export interface Admitted {
  ok: true;
  user: UserRow;
  token: string;
  charter: CharterRow;
  section: SectionRow;
  membership: Membership;
}

export interface Refused {
  ok: false;
  status: 401 | 403 | 404;
  code: 'unauthenticated' | 'forbidden' | 'not_found';
  message: string;
}

/**
 * Decides an upgrade request before any WebSocket exists: the Origin check (a cookie must not
 * let another site open a socket), the session, the membership and the section.
 */
export function admitUpgrade(ctx: AppContext, req: IncomingMessage, url: URL, ids: { charterId: string; sectionId: string }): Admitted | Refused {
  if (!originAllowed(ctx, req)) {
    return { ok: false, status: 403, code: 'forbidden', message: 'This connection came from another site and was refused.' };
  }
  const token = upgradeToken(req, url);
  const user = token ? userForToken(ctx, token) : undefined;
  if (!token || !user) {
    return { ok: false, status: 401, code: 'unauthenticated', message: 'Sign in to edit this section.' };
  }
  const charter = ctx.store.q.charters.byId(ids.charterId);
  const membership = charter ? getMembership(ctx, charter.id, user.id) : undefined;
  if (!charter || !membership) {
    return { ok: false, status: 403, code: 'forbidden', message: 'You are not a member of this charter.' };
  }
  const section = ctx.store.q.sections.byId(ids.sectionId);
  if (!section || section.charter_id !== charter.id) {
    return { ok: false, status: 404, code: 'not_found', message: 'This section was not found.' };
  }
  return { ok: true, user, token, charter, section, membership };
}

/** The session token of an upgrade request: bearer header, then `token` query parameter, then the cookie. */
export function upgradeToken(req: IncomingMessage, url: URL): string | undefined {
  const found = tokenFromHeaders(req.headers.authorization, req.headers.cookie);
  if (found?.via === 'bearer') return found.token;
  return url.searchParams.get('token') || found?.token;
}

/**
 * Cross-site WebSocket hijacking guard: browsers always send Origin, and it must name this
 * server (its Host, or PUBLIC_URL). Node clients send none and are let through to the session check.
 */
function originAllowed(ctx: AppContext, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  if (!originHost) return false;
  if (originHost === req.headers.host) return true;
  if (ctx.config.publicUrl && originHost === new URL(ctx.config.publicUrl).host) return true;
  if (ctx.config.trustProxy) {
    const forwarded = String(req.headers['x-forwarded-host'] ?? '').split(',')[0]?.trim();
    if (forwarded && originHost === forwarded) return true;
  }
  return false;
}

/** Answers an upgrade request with a plain HTTP error in the contract's error shape, then closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  socket.once('finish', () => socket.destroy());
  socket.end(`${head}\r\n\r\n${body}`);
  // A peer that never reads must not keep the socket open.
  setTimeout(() => socket.destroy(), 5_000).unref();
}
