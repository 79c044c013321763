import { Hono } from 'hono';
import { acceptInvitationBody, addMemberBody, updateMemberBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import { publicOrigin, requireUser, type AppEnv } from '../http.js';
import { notFound } from '../errors.js';
import { param, parseBody } from '../validate.js';
import { requireMember, requireSecretariat } from '../domain/access.js';
import {
  acceptInvitation,
  addMember,
  findInvitation,
  listMembers,
  presentInvitation,
  removeMember,
  revokeInvitation,
  updateMember,
} from '../domain/members.js';

export function memberRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .get('/charters/:charterId/members', (c) => {
      const user = requireUser(c);
      const { charter, membership } = requireMember(ctx, param(c, 'charterId'), user);
      const members = listMembers(ctx, charter.id);
      if (membership.role !== 'secretariat') return c.json({ members });
      const invitations = ctx.store.q.invitations.pendingForCharter(charter.id).map(presentInvitation);
      return c.json({ members, invitations });
    })
    .post('/charters/:charterId/members', async (c) => {
      const user = requireUser(c);
      const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
      const body = await parseBody(c, addMemberBody);
      return c.json(addMember(ctx, user, charter.id, body, publicOrigin(ctx, c)), 201);
    })
    .patch('/charters/:charterId/members/:userId', async (c) => {
      const user = requireUser(c);
      const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
      const body = await parseBody(c, updateMemberBody);
      return c.json({ member: updateMember(ctx, user, charter.id, param(c, 'userId'), body) });
    })
    .delete('/charters/:charterId/members/:userId', (c) => {
      const user = requireUser(c);
      const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
      removeMember(ctx, user, charter.id, param(c, 'userId'));
      return c.body(null, 204);
    })
    .delete('/charters/:charterId/invitations/:invitationId', (c) => {
      const user = requireUser(c);
      const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
      revokeInvitation(ctx, user, charter.id, param(c, 'invitationId'));
      return c.body(null, 204);
    })
    // Public preview of an invitation for the registration page: which charter, which role.
    .get('/invitations/:token', (c) => {
      const inv = findInvitation(ctx, c.req.param('token'));
      if (!inv) throw notFound('This invitation');
      const charter = ctx.store.q.charters.byId(inv.charter_id)!;
      return c.json({ invitation: { email: inv.email, role: inv.role, charter: { id: charter.id, title: charter.title } } });
    })
    // A person who already has an account accepts an invitation link while signed in.
    .post('/invitations/accept', async (c) => {
      const user = requireUser(c);
      const body = await parseBody(c, acceptInvitationBody);
      const charterId = acceptInvitation(ctx, body.token, user);
      ctx.bus.emit('accessChanged', charterId);
      const { charter, membership } = requireMember(ctx, charterId, user);
      return c.json({ charterId: charter.id, role: membership.role });
    });
}
