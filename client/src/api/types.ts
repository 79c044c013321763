// Shapes of the API's answers, from the shared package (types only: nothing here reaches the
// bundle, so the public version page stays free of zod and the editor).
import type { Charter as SharedCharter, PublicUser, Role, SubmissionStatus } from '@charter/shared';

export type {
  AuditEvent,
  Member,
  Role,
  Section,
  Signon,
  SignonList,
  Submission,
  SubmissionStatus,
  TemplateSummary,
  Version,
  VersionComparison,
  VersionDetail,
  WithheldSignon,
} from '@charter/shared';
export type User = PublicUser;

export type Charter = SharedCharter;

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  sectionIds: string[];
  createdAt: string;
}

export interface CreatedInvitation extends PendingInvitation {
  token: string;
  url: string;
}

/** A ProseMirror JSON node of the shared editor schema. */
export interface DocNode {
  type?: string;
  attrs?: Record<string, unknown>;
  content?: DocNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

export const SUBMISSION_STATUSES: SubmissionStatus[] = ['submitted', 'acknowledged', 'adopted', 'returned'];

export interface InvitationPreview {
  email: string;
  role: Role;
  charter: { id: string; title: string };
}
