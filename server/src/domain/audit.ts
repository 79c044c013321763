import type { Store } from '../db/index.js';
import type { AuditRow } from '../db/statements.js';
import { nowIso } from '../ids.js';

export interface Actor {
  id: string;
  name: string;
}

/** Appends one event to a charter's audit trail. The table refuses UPDATE and DELETE. */
export function recordAudit(
  store: Store,
  charterId: string,
  actor: Actor | null,
  action: string,
  subject: string,
  details: Record<string, unknown> = {},
): void {
  store.q.audit.insert({
    charter_id: charterId,
    at: nowIso(),
    actor_id: actor?.id ?? null,
    actor_name: actor?.name ?? '',
    action,
    subject,
    details: JSON.stringify(details),
  });
}

export function presentAuditEvent(row: AuditRow) {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name } : null,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}
