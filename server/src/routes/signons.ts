import { Hono } from 'hono';
import { signonBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import { clientAddress, requireUser, type AppEnv } from '../http.js';
import { forbidden, rateLimited } from '../errors.js';
import { param, parseBody } from '../validate.js';
import { getMembership } from '../domain/access.js';
import { requireVersion } from '../domain/versions.js';
import { createSignon, presentSignon, publicSignonList, signonsCsv, withdrawSignon } from '../domain/signons.js';

export function signonRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .post('/versions/:versionId/signons', async (c) => {
      const user = requireUser(c);
      const version = requireVersion(ctx, param(c, 'versionId'));
      const wait = Math.max(ctx.limits.signonByAccount.hit(user.id), ctx.limits.signonByAddress.hit(clientAddress(ctx, c)));
      if (wait) throw rateLimited(wait, 'Too many sign-ons in a short time. Wait a moment and try again.');
      const body = await parseBody(c, signonBody);
      return c.json({ signon: await createSignon(ctx, user, version, body) }, 201);
    })
    // Public: no e-mail addresses; unlisted organisations counted but not named.
    .get('/versions/:versionId/signons', (c) => c.json(publicSignonList(ctx, requireVersion(ctx, param(c, 'versionId')).id)))
    // The caller's own standing sign-ons on this version, unlisted ones included, so they can withdraw them.
    .get('/versions/:versionId/signons/mine', (c) => {
      const user = requireUser(c);
      const version = requireVersion(ctx, param(c, 'versionId'));
      return c.json({ signons: ctx.store.q.signons.liveForAccount(version.id, user.id).map(presentSignon) });
    })
    .get('/versions/:versionId/signons.csv', (c) => {
      const user = requireUser(c);
      const version = requireVersion(ctx, param(c, 'versionId'));
      if (getMembership(ctx, version.charter_id, user.id)?.role !== 'secretariat') {
        throw forbidden('Only the secretariat of this charter can download the sign-ons with e-mail addresses.');
      }
      return c.body(signonsCsv(ctx, user, version), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="signons-v${version.number}.csv"`,
      });
    })
    .delete('/versions/:versionId/signons/:signonId', (c) => {
      const user = requireUser(c);
      const version = requireVersion(ctx, param(c, 'versionId'));
      return c.json({ signon: withdrawSignon(ctx, user, version, param(c, 'signonId')) });
    });
}
