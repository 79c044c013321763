import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openStore, type Store } from '../db/index.js';
import {
  appendSectionUpdate,
  compactSectionDoc,
  DocumentLoadError,
  loadSectionDoc,
  readSectionState,
} from './persistence.js';
import { seedSection } from './testing.js';

/** Records every update a doc emits, so tests can append them like the server does. */
function recorder(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return updates;
}

const textOf = (state: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const text = doc.getText('t').toString();
  doc.destroy();
  return text;
};

describe('section update log', () => {
  let dir: string;
  let file: string;
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'charter-persistence-'));
    file = join(dir, 'charter.db');
    store = openStore(file);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends updates and loads the state merged with the whole log', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'base ');
    const { sectionId } = seedSection(store, Y.encodeStateAsUpdate(doc));
    const updates = recorder(doc);
    doc.getText('t').insert(5, 'one ');
    doc.getText('t').insert(9, 'two');
    const ids = updates.map((u) => appendSectionUpdate(store, sectionId, u));

    expect(ids[1]).toBeGreaterThan(ids[0]!);
    const loaded = loadSectionDoc(store, sectionId);
    expect(textOf(loaded.state)).toBe('base one two');
    expect(loaded.lastUpdateId).toBe(ids[1]);
    expect(loaded.updateCount).toBe(2);
    expect(loaded.updateBytes).toBe(updates[0]!.byteLength + updates[1]!.byteLength);
  });

  it('compaction folds the log up to an id into the state and keeps later updates', () => {
    const { sectionId } = seedSection(store);
    const doc = new Y.Doc();
    const updates = recorder(doc);
    doc.getText('t').insert(0, 'a');
    doc.getText('t').insert(1, 'b');
    const upTo = updates.map((u) => appendSectionUpdate(store, sectionId, u)).at(-1)!;
    const snapshot = Y.encodeStateAsUpdate(doc);
    // An update arrives after the snapshot was taken but before the compaction runs.
    doc.getText('t').insert(2, 'c');
    const later = appendSectionUpdate(store, sectionId, updates[2]!);

    compactSectionDoc(store, sectionId, snapshot, upTo);

    expect(store.q.docs.updates(sectionId).map((u) => u.id)).toEqual([later]);
    expect(textOf(store.q.docs.state(sectionId)!.state)).toBe('ab');
    const loaded = loadSectionDoc(store, sectionId);
    expect(textOf(loaded.state)).toBe('abc');
    expect(loaded.updateCount).toBe(1);
    expect(loaded.lastUpdateId).toBe(later);
  });

  it('a crash after appending and before compacting loses nothing', () => {
    const { sectionId } = seedSection(store);
    const doc = new Y.Doc();
    const updates = recorder(doc);
    for (let i = 0; i < 50; i++) doc.getText('t').insert(i, String(i % 10));
    for (const u of updates) appendSectionUpdate(store, sectionId, u);

    // A second handle on the file sees what a restarted process would, without any clean close.
    const reopened = openStore(file);
    try {
      expect(textOf(readSectionState(reopened, sectionId))).toBe(doc.getText('t').toString());
    } finally {
      reopened.db.close();
    }
  });

  it('a compaction that fails midway rolls back and loses nothing', () => {
    const { sectionId } = seedSection(store);
    const doc = new Y.Doc();
    const updates = recorder(doc);
    doc.getText('t').insert(0, 'kept');
    const id = appendSectionUpdate(store, sectionId, updates[0]!);
    const broken = { ...store, q: { ...store.q, docs: { ...store.q.docs, deleteUpdatesUpTo: () => { throw new Error('disk gone'); } } } } as Store;

    expect(() => compactSectionDoc(broken, sectionId, new Uint8Array([0, 0]), id)).toThrow('disk gone');
    expect(store.q.docs.updates(sectionId)).toHaveLength(1);
    expect(textOf(loadSectionDoc(store, sectionId).state)).toBe('kept');
  });

  it('refuses to load a section whose state row is missing or unreadable', () => {
    const missing = seedSection(store, null);
    expect(() => loadSectionDoc(store, missing.sectionId)).toThrow(DocumentLoadError);

    const garbled = seedSection(store);
    appendSectionUpdate(store, garbled.sectionId, new Uint8Array([200, 1, 2, 3]));
    expect(() => loadSectionDoc(store, garbled.sectionId)).toThrow(DocumentLoadError);
  });
});
