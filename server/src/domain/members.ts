import type { Member, Role } from '@charter/shared';
import type { z } from 'zod';
import type { addMemberBody, updateMemberBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import type { InvitationRow, MemberRow, UserRow } from '../db/statements.js';
import { conflict, notFound, validationError } from '../errors.js';
import { newId, newToken, nowIso, sha256Hex } from '../ids.js';
import { recordAudit } from './audit.js';

export function presentMember(ctx: AppContext, row: MemberRow, sectionIds: string[]): Member {
  const org = row.organisation_id ? ctx.store.q.organisations.byId(row.organisation_id) : undefined;
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    sectionIds,
    organisation: org ? { name: org.name, acronym: org.acronym, country: org.country } : null,
  };
}

export function presentInvitation(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    sectionIds: JSON.parse(row.section_ids) as string[],
    createdAt: row.created_at,
  };
}

export function listMembers(ctx: AppContext, charterId: string): Member[] {
  const sections = new Map<string, string[]>();
  for (const r of ctx.store.q.members.sectionsForCharter(charterId)) {
    const list = sections.get(r.user_id) ?? [];
    list.push(r.section_id);
    sections.set(r.user_id, list);
  }
  return ctx.store.q.members.forCharter(charterId).map((m) => presentMember(ctx, m, sections.get(m.user_id) ?? []));
}

/** Checks that every id names a section of this charter and that only drafters are limited to sections. */
function checkSections(ctx: AppContext, charterId: string, role: Role, sectionIds: string[]): string[] {
  const unique = [...new Set(sectionIds)];
  if (unique.length && role !== 'drafter') {
    throw validationError('Only drafters are limited to sections; leave sections empty for this role.', {
      fields: { sectionIds: 'Only for drafters.' },
    });
  }
  const known = new Set(ctx.store.q.sections.forCharter(charterId).map((s) => s.id));
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length) {
    throw validationError('Some of these sections are not part of this charter.', {
      fields: { sectionIds: `Unknown section: ${unknown.join(', ')}.` },
    });
  }
  return unique;
}

function setSections(ctx: AppContext, charterId: string, userId: string, sectionIds: string[]): void {
  ctx.store.q.members.clearSections(charterId, userId);
  for (const id of sectionIds) ctx.store.q.members.addSection(charterId, userId, id);
}

export type AddMemberResult =
  | { member: Member }
  | { invitation: { id: string; token: string; url: string; email: string; role: Role; sectionIds: string[] } };

/** Adds a person with an account at once; anyone else gets an invitation link carrying the role. */
export function addMember(
  ctx: AppContext,
  actor: UserRow,
  charterId: string,
  body: z.output<typeof addMemberBody>,
  origin: string,
): AddMemberResult {
  const sectionIds = checkSections(ctx, charterId, body.role, body.sectionIds ?? []);
  const { q } = ctx.store;
  const user = q.users.byEmail(body.email);
  if (user) {
    const member = ctx.store.tx(() => {
      if (q.members.get(charterId, user.id)) {
        throw conflict('already_member', `${user.name} is already a member of this charter. Change their role instead.`);
      }
      q.members.insert(charterId, user.id, body.role, nowIso());
      setSections(ctx, charterId, user.id, sectionIds);
      recordAudit(ctx.store, charterId, actor, 'member.added', user.name, { userId: user.id, role: body.role, sectionIds });
      return presentMember(ctx, q.members.get(charterId, user.id)!, sectionIds);
    });
    ctx.bus.emit('accessChanged', charterId);
    return { member };
  }
  const token = newToken();
  const row: InvitationRow = {
    id: newId(),
    token_hash: sha256Hex(token),
    charter_id: charterId,
    email: body.email,
    role: body.role,
    section_ids: JSON.stringify(sectionIds),
    created_by: actor.id,
    created_at: nowIso(),
    accepted_at: null,
    accepted_by: null,
    revoked_at: null,
  };
  ctx.store.tx(() => {
    q.invitations.insert(row);
    recordAudit(ctx.store, charterId, actor, 'member.invited', body.email.replace(/^(.).*@/, '$1…@'), {
      invitationId: row.id,
      role: body.role,
      sectionIds,
    });
  });
  return {
    invitation: {
      id: row.id,
      token,
      url: `${origin}/register?invitation=${encodeURIComponent(token)}`,
      email: body.email,
      role: body.role,
      sectionIds,
    },
  };
}

/** The pending invitation behind a token, or undefined when it is unknown, used or revoked. */
export function findInvitation(ctx: AppContext, token: string): InvitationRow | undefined {
  if (!token || token.length > 200) return undefined;
  const row = ctx.store.q.invitations.byTokenHash(sha256Hex(token));
  return row && !row.accepted_at && !row.revoked_at ? row : undefined;
}

/**
 * Gives `user` the role an invitation carries (inside the caller's transaction when registering)
 * and returns the charter id. An unknown or used token is a 400 naming the field.
 */
export function acceptInvitation(ctx: AppContext, token: string, user: UserRow, opts: { onRegister?: boolean } = {}): string {
  const inv = findInvitation(ctx, token);
  if (!inv) {
    throw validationError('This invitation link is not valid any more. Ask the secretariat for a new one.', {
      fields: { invitation: 'Unknown, used or withdrawn invitation.' },
    });
  }
  const { q } = ctx.store;
  return ctx.store.tx(() => {
    const existing = q.members.get(inv.charter_id, user.id);
    if (!existing) {
      q.members.insert(inv.charter_id, user.id, inv.role, nowIso());
      const sections = (JSON.parse(inv.section_ids) as string[]).filter((id) => q.sections.byId(id)?.charter_id === inv.charter_id);
      setSections(ctx, inv.charter_id, user.id, sections);
    }
    q.invitations.accept(nowIso(), user.id, inv.id);
    recordAudit(ctx.store, inv.charter_id, user, 'member.joined', user.name, {
      userId: user.id,
      role: existing?.role ?? inv.role,
      invitationId: inv.id,
      onRegister: Boolean(opts.onRegister),
    });
    return inv.charter_id;
  });
}

export function revokeInvitation(ctx: AppContext, actor: UserRow, charterId: string, invitationId: string): void {
  const inv = ctx.store.q.invitations.byId(invitationId);
  if (!inv || inv.charter_id !== charterId || inv.accepted_at || inv.revoked_at) throw notFound('This invitation');
  ctx.store.tx(() => {
    ctx.store.q.invitations.revoke(nowIso(), inv.id);
    recordAudit(ctx.store, charterId, actor, 'member.invitation_revoked', inv.email.replace(/^(.).*@/, '$1…@'), {
      invitationId: inv.id,
    });
  });
}

function assertSecretariatRemains(ctx: AppContext, charterId: string, member: MemberRow, nextRole: Role | null): void {
  if (member.role === 'secretariat' && nextRole !== 'secretariat' && ctx.store.q.members.countRole(charterId, 'secretariat')!.n <= 1) {
    throw conflict('last_secretariat', 'A charter needs at least one secretariat. Make someone else secretariat first.');
  }
}

export function updateMember(
  ctx: AppContext,
  actor: UserRow,
  charterId: string,
  userId: string,
  body: z.output<typeof updateMemberBody>,
): Member {
  const { q } = ctx.store;
  const result = ctx.store.tx(() => {
    const member = q.members.get(charterId, userId);
    if (!member) throw notFound('This member');
    const role = body.role ?? member.role;
    const current = q.members.sections(charterId, userId).map((r) => r.section_id);
    const sectionIds = checkSections(ctx, charterId, role, body.sectionIds ?? (role === 'drafter' ? current : []));
    assertSecretariatRemains(ctx, charterId, member, role);
    q.members.setRole(role, charterId, userId);
    setSections(ctx, charterId, userId, sectionIds);
    recordAudit(ctx.store, charterId, actor, 'member.updated', member.name, {
      userId,
      from: { role: member.role, sectionIds: current },
      to: { role, sectionIds },
    });
    return presentMember(ctx, q.members.get(charterId, userId)!, sectionIds);
  });
  ctx.bus.emit('accessChanged', charterId);
  return result;
}

export function removeMember(ctx: AppContext, actor: UserRow, charterId: string, userId: string): void {
  const { q } = ctx.store;
  ctx.store.tx(() => {
    const member = q.members.get(charterId, userId);
    if (!member) throw notFound('This member');
    assertSecretariatRemains(ctx, charterId, member, null);
    q.members.delete(charterId, userId);
    recordAudit(ctx.store, charterId, actor, 'member.removed', member.name, { userId, role: member.role });
  });
  ctx.bus.emit('accessChanged', charterId);
}
