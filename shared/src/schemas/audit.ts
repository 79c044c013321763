import { z } from 'zod';

/** `GET /api/charters/:charterId/audit?action=` : an exact action (`signon.created`) or a prefix (`signon`). */
export const auditQuery = z.object({
  action: z
    .string()
    .max(100)
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, 'Use an action such as signon.created, or a prefix such as signon.')
    .optional(),
});

/** One entry of a charter's append-only audit trail. */
export interface AuditEvent {
  id: number;
  at: string;
  /** Null for anonymous actions (a public DOCX export). */
  actor: { id: string; name: string } | null;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}
