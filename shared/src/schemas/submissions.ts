import { z } from 'zod';
import { isoDateTime, optionalText, text } from './common.js';

export const SUBMISSION_STATUSES = ['submitted', 'acknowledged', 'adopted', 'returned'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export const submissionStatusSchema = z.enum(SUBMISSION_STATUSES, {
  error: 'Use one of: submitted, acknowledged, adopted, returned.',
});

/** `POST /api/versions/:versionId/submissions` */
export const createSubmissionBody = z.object({
  /** The regional body the version went to. */
  recipient: text(300),
  reference: optionalText(200),
  /** When it was sent (a date and time, or a date meaning midnight UTC); now when left out. */
  submittedAt: z
    .union([isoDateTime, z.iso.date()], { error: 'Use an ISO 8601 date and time, such as 2026-11-22T10:00:00Z, or a date such as 2026-11-22.' })
    .optional(),
  notes: optionalText(5000),
});
export type CreateSubmissionBody = z.infer<typeof createSubmissionBody>;

/** `PATCH /api/submissions/:submissionId` */
export const updateSubmissionBody = z
  .object({ status: submissionStatusSchema.optional(), notes: optionalText(5000).optional() })
  .refine((b) => b.status !== undefined || b.notes !== undefined, 'Give a status or notes.');
export type UpdateSubmissionBody = z.infer<typeof updateSubmissionBody>;

/** A record of one version sent to a regional body, with the exact document that went. */
export interface Submission {
  id: string;
  versionId: string;
  versionNumber: number;
  charterId: string;
  recipient: string;
  reference: string | null;
  status: SubmissionStatus;
  submittedAt: string;
  /** SHA-256 of the stored DOCX bytes (`GET /api/submissions/:id/document.docx`). */
  docxSha256: string;
  docxBytes: number;
  /** Live sign-ons on the version when the document was generated. */
  signonCount: number;
  notes: string;
  createdAt: string;
  updatedAt: string;
  createdBy: { id: string; name: string } | null;
}

/** One change of a submission's status or notes. */
export interface SubmissionEvent {
  at: string;
  actor: { id: string; name: string } | null;
  fromStatus: SubmissionStatus | null;
  toStatus: SubmissionStatus;
  notesChanged: boolean;
}
