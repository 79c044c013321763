import type { CreateSubmissionBody, Submission, SubmissionEvent, UpdateSubmissionBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import type { SubmissionEventRow, SubmissionRow, UserRow, VersionRow } from '../db/statements.js';
import { notFound, validationError } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { buildVersionDocx } from '../export/version.js';
import { recordAudit } from './audit.js';

export function presentSubmission(row: SubmissionRow): Submission {
  return {
    id: row.id,
    versionId: row.version_id,
    versionNumber: row.version_number,
    charterId: row.charter_id,
    recipient: row.recipient,
    reference: row.reference,
    status: row.status,
    submittedAt: row.submitted_at,
    docxSha256: row.docx_sha256,
    docxBytes: row.docx_bytes,
    signonCount: row.signon_count,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by ? { id: row.created_by, name: row.created_by_name ?? '' } : null,
  };
}

export function presentSubmissionEvent(row: SubmissionEventRow): SubmissionEvent {
  return {
    at: row.at,
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name } : null,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    notesChanged: row.notes_changed === 1,
  };
}

/** The submission with this id, or a 404. */
export function requireSubmission(ctx: AppContext, submissionId: string): SubmissionRow {
  const row = ctx.store.q.submissions.byId(submissionId);
  if (!row) throw notFound('This submission');
  return row;
}

/**
 * Records that a version went to a regional body: the DOCX is generated now, with the sign-ons
 * standing now, and its exact bytes are kept with their SHA-256, so what was sent can be produced
 * again byte for byte.
 */
export async function createSubmission(
  ctx: AppContext,
  user: UserRow,
  version: VersionRow,
  body: CreateSubmissionBody,
  origin?: string,
): Promise<Submission> {
  const when = body.submittedAt ? new Date(body.submittedAt) : new Date();
  if (Number.isNaN(when.getTime())) {
    throw validationError('The submission date is not a real date.', { fields: { submittedAt: 'Not a real date.' } });
  }
  const docx = await buildVersionDocx(ctx, version, origin);
  const now = nowIso();
  const id = newId();
  const submittedAt = when.toISOString();
  ctx.store.tx(() => {
    ctx.store.q.submissions.insert({
      id,
      version_id: version.id,
      charter_id: version.charter_id,
      recipient: body.recipient,
      reference: body.reference || null,
      status: 'submitted',
      submitted_at: submittedAt,
      notes: body.notes,
      docx: docx.bytes,
      docx_sha256: docx.sha256,
      docx_bytes: docx.bytes.byteLength,
      signon_count: docx.signonCount,
      created_by: user.id,
      created_at: now,
      updated_at: now,
    });
    ctx.store.q.submissions.insertEvent({
      submission_id: id,
      at: now,
      actor_id: user.id,
      actor_name: user.name,
      from_status: null,
      to_status: 'submitted',
      notes_changed: body.notes ? 1 : 0,
    });
    recordAudit(ctx.store, version.charter_id, user, 'submission.created', body.recipient, {
      submissionId: id,
      versionId: version.id,
      versionNumber: version.number,
      reference: body.reference || null,
      submittedAt,
      docxSha256: docx.sha256,
      signonCount: docx.signonCount,
    });
  });
  return presentSubmission(ctx.store.q.submissions.byId(id)!);
}

/** Changes a submission's status and/or notes; each actual change is kept in its history and the audit trail. */
export function updateSubmission(ctx: AppContext, user: UserRow, row: SubmissionRow, body: UpdateSubmissionBody): Submission {
  const { q } = ctx.store;
  return ctx.store.tx(() => {
    const current = q.submissions.byId(row.id)!;
    const status = body.status ?? current.status;
    const notes = body.notes ?? current.notes;
    const statusChanged = status !== current.status;
    const notesChanged = notes !== current.notes;
    if (statusChanged || notesChanged) {
      const now = nowIso();
      q.submissions.update({ id: row.id, status, notes, updated_at: now });
      q.submissions.insertEvent({
        submission_id: row.id,
        at: now,
        actor_id: user.id,
        actor_name: user.name,
        from_status: current.status,
        to_status: status,
        notes_changed: notesChanged ? 1 : 0,
      });
      recordAudit(ctx.store, row.charter_id, user, 'submission.updated', current.recipient, {
        submissionId: row.id,
        versionId: row.version_id,
        ...(statusChanged ? { from: current.status, to: status } : {}),
        notesChanged,
      });
    }
    return presentSubmission(q.submissions.byId(row.id)!);
  });
}

export function submissionHistory(ctx: AppContext, submissionId: string): SubmissionEvent[] {
  return ctx.store.q.submissions.events(submissionId).map(presentSubmissionEvent);
}
