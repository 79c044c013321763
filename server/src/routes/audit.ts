import { Hono } from 'hono';
import { auditQuery } from '@charter/shared';
import type { AppContext } from '../context.js';
import { requireUser, type AppEnv } from '../http.js';
import { param, parse } from '../validate.js';
import { requireSecretariat } from '../domain/access.js';
import { presentAuditEvent } from '../domain/audit.js';

export function auditRoutes(ctx: AppContext) {
  return new Hono<AppEnv>().get('/charters/:charterId/audit', (c) => {
    const user = requireUser(c);
    const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
    const { action } = parse(auditQuery, c.req.query(), 'query');
    const rows = ctx.store.q.audit.forCharter(charter.id);
    const wanted = action ? rows.filter((r) => r.action === action || r.action.startsWith(`${action}.`)) : rows;
    return c.json({ events: wanted.map(presentAuditEvent) });
  });
}
