import { Hono } from 'hono';
import { createSubmissionBody, updateSubmissionBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import { publicOrigin, requireUser, type AppEnv } from '../http.js';
import { forbidden } from '../errors.js';
import { param, parseBody } from '../validate.js';
import { getMembership, requireMember, requireSecretariat } from '../domain/access.js';
import { requireVersion } from '../domain/versions.js';
import { createSubmission, requireSubmission, submissionHistory, updateSubmission, presentSubmission } from '../domain/submissions.js';
import { DOCX_TYPE, attachment } from './versions.js';

export function submissionRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .post('/versions/:versionId/submissions', async (c) => {
      const user = requireUser(c);
      const version = requireVersion(ctx, param(c, 'versionId'));
      if (getMembership(ctx, version.charter_id, user.id)?.role !== 'secretariat') {
        throw forbidden('Only the secretariat of this charter can record a submission.');
      }
      const body = await parseBody(c, createSubmissionBody);
      return c.json({ submission: await createSubmission(ctx, user, version, body, publicOrigin(ctx, c)) }, 201);
    })
    // Members of the charter (any role) may read what was sent to whom.
    .get('/charters/:charterId/submissions', (c) => {
      const user = requireUser(c);
      const { charter } = requireMember(ctx, param(c, 'charterId'), user);
      return c.json({ submissions: ctx.store.q.submissions.forCharter(charter.id).map(presentSubmission) });
    })
    .get('/submissions/:submissionId', (c) => {
      const user = requireUser(c);
      const submission = requireSubmission(ctx, param(c, 'submissionId'));
      requireMember(ctx, submission.charter_id, user);
      return c.json({ submission: presentSubmission(submission), history: submissionHistory(ctx, submission.id) });
    })
    .get('/submissions/:submissionId/document.docx', (c) => {
      const user = requireUser(c);
      const submission = requireSubmission(ctx, param(c, 'submissionId'));
      requireMember(ctx, submission.charter_id, user);
      const { docx } = ctx.store.q.submissions.document(submission.id)!;
      return c.body(new Uint8Array(docx), 200, {
        'Content-Type': DOCX_TYPE,
        'Content-Disposition': attachment(`submission-${submission.id}-v${submission.version_number}.docx`),
        'Content-Length': String(docx.byteLength),
        ETag: `"${submission.docx_sha256}"`,
      });
    })
    .patch('/submissions/:submissionId', async (c) => {
      const user = requireUser(c);
      const submission = requireSubmission(ctx, param(c, 'submissionId'));
      requireSecretariat(ctx, submission.charter_id, user);
      const body = await parseBody(c, updateSubmissionBody);
      return c.json({ submission: updateSubmission(ctx, user, submission, body) });
    });
}
