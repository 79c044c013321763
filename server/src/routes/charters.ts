import { Hono } from 'hono';
import { createCharterBody, createSectionBody, updateCharterBody, updateSectionBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import { requireUser, type AppEnv } from '../http.js';
import { conflict, notFound } from '../errors.js';
import { param, parseBody } from '../validate.js';
import { getMembership, requireMember, requireSecretariat } from '../domain/access.js';
import { addSection, createCharter, presentCharter, updateCharter, updateSection } from '../domain/charters.js';
import type { CharterRow } from '../db/statements.js';

function requireDrafting(charter: CharterRow): void {
  if (charter.status !== 'drafting') {
    throw conflict('charter_finalised', 'This charter is finalised. Reopen it to change its text or sections.');
  }
}

export function charterRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .get('/charters', (c) => {
      const user = requireUser(c);
      const charters = ctx.store.q.charters
        .forUser(user.id)
        .map((row) => presentCharter(ctx, row, getMembership(ctx, row.id, user.id)!));
      return c.json({ charters });
    })
    .post('/charters', async (c) => {
      const user = requireUser(c);
      const body = await parseBody(c, createCharterBody);
      return c.json({ charter: createCharter(ctx, user, body) }, 201);
    })
    .get('/charters/:charterId', (c) => {
      const user = requireUser(c);
      const { charter, membership } = requireMember(ctx, param(c, 'charterId'), user);
      return c.json({ charter: presentCharter(ctx, charter, membership) });
    })
    .patch('/charters/:charterId', async (c) => {
      const user = requireUser(c);
      const { charter, membership } = requireSecretariat(ctx, param(c, 'charterId'), user);
      const body = await parseBody(c, updateCharterBody);
      return c.json({ charter: presentCharter(ctx, updateCharter(ctx, user, charter, body), membership) });
    })
    .post('/charters/:charterId/sections', async (c) => {
      const user = requireUser(c);
      const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
      const body = await parseBody(c, createSectionBody);
      requireDrafting(charter);
      return c.json({ section: addSection(ctx, user, charter.id, body) }, 201);
    })
    .patch('/charters/:charterId/sections/:sectionId', async (c) => {
      const user = requireUser(c);
      const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
      const section = ctx.store.q.sections.byId(param(c, 'sectionId'));
      if (!section || section.charter_id !== charter.id) throw notFound('This section');
      const body = await parseBody(c, updateSectionBody);
      requireDrafting(charter);
      return c.json({ section: updateSection(ctx, user, charter.id, section, body) });
    });
}
