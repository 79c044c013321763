import { Hono } from 'hono';
import { finaliseBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import { clientAddress, publicOrigin, requireUser, type AppEnv } from '../http.js';
import { rateLimited } from '../errors.js';
import { param, parseBody } from '../validate.js';
import { requireMember, requireSecretariat } from '../domain/access.js';
import {
  compareVersions,
  finaliseCharter,
  listVersions,
  reopenCharter,
  requireVersion,
  verifyVersion,
  versionDetail,
} from '../domain/versions.js';
import { exportVersionDocx, versionFileName } from '../export/version.js';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** `Content-Disposition` for a download: an ASCII name plus the RFC 5987 form. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/gu, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function versionRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .post('/charters/:charterId/finalise', async (c) => {
      const user = requireUser(c);
      const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
      const body = await parseBody(c, finaliseBody);
      return c.json({ version: finaliseCharter(ctx, user, charter.id, body.label) }, 201);
    })
    .post('/charters/:charterId/reopen', (c) => {
      const user = requireUser(c);
      const { charter } = requireSecretariat(ctx, param(c, 'charterId'), user);
      return c.json({ charter: reopenCharter(ctx, user, charter.id) });
    })
    .get('/charters/:charterId/versions', (c) => {
      const user = requireUser(c);
      const { charter } = requireMember(ctx, param(c, 'charterId'), user);
      return c.json({ versions: listVersions(ctx, charter.id) });
    })
    // A finalised version is public: anyone with its id may read, verify, compare and export it.
    .get('/versions/:versionId', (c) => c.json(versionDetail(ctx, requireVersion(ctx, param(c, 'versionId')))))
    .get('/versions/:versionId/verify', (c) => {
      const { ok, sha256, recorded } = verifyVersion(ctx, requireVersion(ctx, param(c, 'versionId')));
      return c.json({ ok, sha256, recorded });
    })
    .get('/versions/:versionId/compare/:otherVersionId', (c) => {
      const from = requireVersion(ctx, param(c, 'versionId'));
      const to = requireVersion(ctx, param(c, 'otherVersionId'));
      return c.json(compareVersions(ctx, from, to));
    })
    .get('/versions/:versionId/export.docx', async (c) => {
      const version = requireVersion(ctx, param(c, 'versionId'));
      const wait = ctx.limits.exportByAddress.hit(clientAddress(ctx, c));
      if (wait) throw rateLimited(wait, 'Too many exports from this address. Wait a moment and try again.');
      const user = c.get('user');
      const { bytes } = await exportVersionDocx(ctx, version, user ? { id: user.id, name: user.name } : null, publicOrigin(ctx, c));
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': DOCX_TYPE,
        'Content-Disposition': attachment(versionFileName(version)),
        'Content-Length': String(bytes.byteLength),
      });
    });
}
