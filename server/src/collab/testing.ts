import * as Y from 'yjs';
import type { Store } from '../db/index.js';
import { newId, nowIso } from '../ids.js';

// Fixtures for the collaboration unit tests (never imported by the server itself).

/** A user, a charter and one section row, with `withState` as its stored document (none when null). */
export function seedSection(store: Store, withState: Uint8Array | null = Y.encodeStateAsUpdate(new Y.Doc())): { charterId: string; sectionId: string } {
  const userId = newId();
  const charterId = newId();
  const sectionId = newId();
  const at = nowIso();
  store.q.users.insert({ id: userId, email: `${userId}@example.org`, name: 'U', password_hash: 'x', organisation_id: null, created_at: at });
  store.q.charters.insert({ id: charterId, title: 'C', description: '', status: 'drafting', template_id: null, created_by: userId, created_at: at, updated_at: at });
  store.q.sections.insert({ id: sectionId, charter_id: charterId, key: 's', title: 'S', guidance: '', position: 0, created_at: at });
  if (withState) store.q.docs.upsertState(sectionId, withState, at);
  return { charterId, sectionId };
}

/** A stand-in for a `ws` socket that records what the server sends and how it closes. */
export class FakeSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: Uint8Array[] = [];
  closedWith: number | undefined;
  /** Called on every send, before it is recorded (to observe ordering against storage). */
  onSend: ((message: Uint8Array) => void) | undefined;
  send(message: Uint8Array): void {
    this.onSend?.(message);
    this.sent.push(message);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
}
