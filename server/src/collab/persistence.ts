import * as Y from 'yjs';
import type { Store } from '../db/index.js';
import { nowIso } from '../ids.js';

/** A section document's storage is missing or unreadable: never treat that as an empty document. */
export class DocumentLoadError extends Error {
  constructor(sectionId: string, cause?: unknown) {
    super(`Section document ${sectionId} could not be loaded`, { cause });
    this.name = 'DocumentLoadError';
  }
}

/** Compact once the log holds this many updates or bytes. */
export const COMPACT_AFTER_UPDATES = 500;
export const COMPACT_AFTER_BYTES = 1024 * 1024;

export interface LogPosition {
  /** Id of the last update merged in (0 when none): compaction may delete up to it. */
  lastUpdateId: number;
  updateCount: number;
  updateBytes: number;
}

export interface LoadedYDoc extends LogPosition {
  /** A new document holding the compacted state plus every logged update. */
  doc: Y.Doc;
}

export interface LoadedDoc extends LogPosition {
  /** The merged state (compacted state plus every logged update), as one update. */
  state: Uint8Array;
}

/**
 * Reads a section document into a new Y.Doc: the compacted state, then every logged update,
 * applied inside one transaction (orders of magnitude faster than `Y.mergeUpdates` on a long
 * log: 20,000 updates load in about 0.15 s instead of 8 s). Throws {@link DocumentLoadError}
 * when the section has no stored state (every section gets one when it is created) or the
 * stored bytes do not decode.
 */
export function loadSectionYDoc(store: Store, sectionId: string): LoadedYDoc {
  const row = store.q.docs.state(sectionId);
  if (!row) throw new DocumentLoadError(sectionId);
  const updates = store.q.docs.updates(sectionId);
  const doc = new Y.Doc({ gc: true });
  let bytes = 0;
  try {
    doc.transact(() => {
      Y.applyUpdate(doc, row.state);
      for (const u of updates) {
        Y.applyUpdate(doc, u.data);
        bytes += u.data.byteLength;
      }
    });
  } catch (err) {
    doc.destroy();
    throw new DocumentLoadError(sectionId, err);
  }
  return { doc, lastUpdateId: updates.at(-1)?.id ?? 0, updateCount: updates.length, updateBytes: bytes };
}

/** As {@link loadSectionYDoc}, returning the merged state as one update instead of a document. */
export function loadSectionDoc(store: Store, sectionId: string): LoadedDoc {
  const { doc, ...position } = loadSectionYDoc(store, sectionId);
  try {
    return { state: Y.encodeStateAsUpdate(doc), ...position };
  } finally {
    doc.destroy();
  }
}

/** Appends one accepted update to the section's log (durable once this returns). Returns its id. */
export function appendSectionUpdate(store: Store, sectionId: string, update: Uint8Array): number {
  return Number(store.q.docs.appendUpdate(sectionId, update).lastInsertRowid);
}

/**
 * Replaces the log up to `upToId` with `state` in one transaction. `state` must contain every
 * update up to that id (the caller's in-memory document does). Updates logged after `upToId`
 * stay in the log, so a crash at any point loses nothing.
 */
export function compactSectionDoc(store: Store, sectionId: string, state: Uint8Array, upToId: number): void {
  store.tx(() => {
    store.q.docs.upsertState(sectionId, state, nowIso());
    if (upToId > 0) store.q.docs.deleteUpdatesUpTo(sectionId, upToId);
  });
}

/** The current stored content of a section (state plus log) as one Yjs update. */
export function readSectionState(store: Store, sectionId: string): Uint8Array {
  return loadSectionDoc(store, sectionId).state;
}
