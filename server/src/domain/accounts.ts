import type { PublicUser, RegisterBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import type { UserRow } from '../db/statements.js';
import { conflict, rateLimited, unauthenticated } from '../errors.js';
import { newId, newToken, nowIso, sha256Hex } from '../ids.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords.js';
import { findOrCreateOrganisation } from './organisations.js';
import { acceptInvitation } from './members.js';

const SESSION_DAYS = 30;

export function presentUser(ctx: AppContext, row: UserRow): PublicUser {
  const org = row.organisation_id ? ctx.store.q.organisations.byId(row.organisation_id) : undefined;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    organisation: org ? { id: org.id, name: org.name, acronym: org.acronym, country: org.country } : null,
  };
}

/** Starts a session for `userId`; returns the token (only its hash is stored). */
export function createSession(ctx: AppContext, userId: string): string {
  const token = newToken();
  const now = new Date();
  const expires = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  ctx.store.q.sessions.insert(sha256Hex(token), userId, now.toISOString(), expires.toISOString());
  return token;
}

/** The user a session token belongs to, if the session exists and has not expired. */
export function userForToken(ctx: AppContext, token: string): UserRow | undefined {
  if (!token || token.length > 200) return undefined;
  const session = ctx.store.q.sessions.byHash(sha256Hex(token));
  if (!session || session.expires_at < nowIso()) return undefined;
  return ctx.store.q.users.byId(session.user_id);
}

export function endSession(ctx: AppContext, token: string): void {
  ctx.store.q.sessions.delete(sha256Hex(token));
}

/** Creates an account (and its first session); accepts an invitation token when one is given. */
export async function register(
  ctx: AppContext,
  body: RegisterBody,
  address: string,
): Promise<{ user: PublicUser; token: string; charterId?: string }> {
  const wait = ctx.limits.registerByAddress.hit(address);
  if (wait) throw rateLimited(wait, 'Too many accounts were created from this address. Try again later.');
  if (ctx.store.q.users.byEmail(body.email)) {
    throw conflict('email_taken', 'An account with this e-mail address already exists. Sign in instead.', {
      fields: { email: 'Already registered.' },
    });
  }
  const passwordHash = await hashPassword(body.password);
  const { store } = ctx;
  // Hashing yielded the event loop: the e-mail may have been taken meanwhile, so check again inside the transaction.
  const result = store.tx(() => {
    if (store.q.users.byEmail(body.email)) {
      throw conflict('email_taken', 'An account with this e-mail address already exists. Sign in instead.', {
        fields: { email: 'Already registered.' },
      });
    }
    const org = body.organisation ? findOrCreateOrganisation(store, body.organisation) : undefined;
    const row: UserRow = {
      id: newId(),
      email: body.email,
      name: body.name,
      password_hash: passwordHash,
      organisation_id: org?.id ?? null,
      created_at: nowIso(),
    };
    store.q.users.insert(row);
    const charterId = body.invitation ? acceptInvitation(ctx, body.invitation, row, { onRegister: true }) : undefined;
    return { row, token: createSession(ctx, row.id), charterId };
  });
  if (result.charterId) ctx.bus.emit('accessChanged', result.charterId);
  return { user: presentUser(ctx, result.row), token: result.token, ...(result.charterId ? { charterId: result.charterId } : {}) };
}

/** Checks the credentials, with failed attempts throttled per account and per address. */
export async function login(
  ctx: AppContext,
  email: string,
  password: string,
  address: string,
): Promise<{ user: PublicUser; token: string }> {
  const { loginByAccount, loginByAddress } = ctx.limits;
  const wait = Math.max(loginByAccount.retryAfter(email), loginByAddress.retryAfter(address));
  if (wait) throw rateLimited(wait, 'Too many failed sign-in attempts. Wait a few minutes and try again.');
  const row = ctx.store.q.users.byEmail(email);
  const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
  if (!row || !ok) {
    const after = Math.max(loginByAccount.hit(email), loginByAddress.hit(address));
    if (after) throw rateLimited(after, 'Too many failed sign-in attempts. Wait a few minutes and try again.');
    throw unauthenticated('The e-mail address or password is not right.');
  }
  loginByAccount.reset(email);
  return { user: presentUser(ctx, row), token: createSession(ctx, row.id) };
}
