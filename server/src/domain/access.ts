import type { CharterStatus, Role } from '@charter/shared';
import type { AppContext } from '../context.js';
import type { CharterRow, UserRow } from '../db/statements.js';
import { forbidden, notFound } from '../errors.js';

export interface Membership {
  role: Role;
  /** Sections a drafter is limited to; empty means every section. */
  sectionIds: string[];
}

export function getMembership(ctx: AppContext, charterId: string, userId: string): Membership | undefined {
  const m = ctx.store.q.members.get(charterId, userId);
  if (!m) return undefined;
  return { role: m.role, sectionIds: ctx.store.q.members.sections(charterId, userId).map((r) => r.section_id) };
}

/** Whether a member may change the text of a section right now. */
export function canWriteSection(m: Membership, status: CharterStatus, sectionId: string): boolean {
  if (status !== 'drafting') return false;
  if (m.role === 'secretariat') return true;
  if (m.role === 'drafter') return m.sectionIds.length === 0 || m.sectionIds.includes(sectionId);
  return false;
}

/** The charter and the caller's membership; a non-member learns nothing (404). */
export function requireMember(ctx: AppContext, charterId: string, user: UserRow): { charter: CharterRow; membership: Membership } {
  const charter = ctx.store.q.charters.byId(charterId);
  const membership = charter ? getMembership(ctx, charterId, user.id) : undefined;
  if (!charter || !membership) throw notFound('This charter');
  return { charter, membership };
}

/** As {@link requireMember}, and the caller must be a secretariat of the charter. */
export function requireSecretariat(ctx: AppContext, charterId: string, user: UserRow) {
  const found = requireMember(ctx, charterId, user);
  if (found.membership.role !== 'secretariat') {
    throw forbidden('Only the secretariat of this charter can do this.');
  }
  return found;
}
