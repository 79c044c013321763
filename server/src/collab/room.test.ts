import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import { openStore, type Store } from '../db/index.js';
import { Connection } from './connection.js';
import { COMPACT_AFTER_UPDATES, loadSectionDoc } from './persistence.js';
import { MessageType, updateMessage } from './protocol.js';
import { Room, type RoomHooks } from './room.js';
import { DEFAULT_COLLAB_OPTIONS } from './server.js';
import { FakeSocket, seedSection } from './testing.js';

function syncUpdateFrom(doc: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  let update: Uint8Array | undefined;
  const grab = (u: Uint8Array) => (update = u);
  doc.on('update', grab);
  edit(doc);
  doc.off('update', grab);
  return updateMessage(update!);
}

/** The Yjs update inside a relayed sync message. */
function relayedUpdate(message: Uint8Array): Uint8Array {
  const d = decoding.createDecoder(message);
  expect(decoding.readVarUint(d)).toBe(MessageType.sync);
  decoding.readVarUint(d);
  return decoding.readVarUint8Array(d);
}

describe('Room', () => {
  let dir: string;
  let store: Store;
  let sectionId: string;
  let charterId: string;
  let hooks: RoomHooks & { failures: unknown[] };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'charter-room-'));
    store = openStore(join(dir, 'charter.db'));
    ({ sectionId, charterId } = seedSection(store));
    hooks = { failures: [], onStorageFailure: (_r, err) => hooks.failures.push(err), onDropped: () => {}, onCompacted: () => {} };
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function connect(room: Room, writable: boolean) {
    const socket = new FakeSocket();
    const conn = new Connection(
      socket as unknown as WebSocket,
      { userId: 'u', token: 't', charterId, sectionId },
      room,
      writable,
      DEFAULT_COLLAB_OPTIONS.limits,
      (c) => room.leave(c),
    );
    room.join(conn);
    socket.sent.length = 0;
    return { conn, socket };
  }

  it('stores a writer update before relaying it, and does not echo it to the sender', () => {
    const room = new Room(store, charterId, sectionId, hooks);
    const writer = connect(room, true);
    const reader = connect(room, false);
    let storedWhenRelayed = -1;
    reader.socket.onSend = () => (storedWhenRelayed = store.q.docs.updates(sectionId).length);

    room.receive(writer.conn, syncUpdateFrom(new Y.Doc(), (d) => d.getText('t').insert(0, 'hello')));

    expect(storedWhenRelayed).toBe(1);
    expect(reader.socket.sent).toHaveLength(1);
    expect(writer.socket.sent).toHaveLength(0);
    const check = new Y.Doc();
    Y.applyUpdate(check, relayedUpdate(reader.socket.sent[0]!));
    expect(check.getText('t').toString()).toBe('hello');
    room.destroy();
  });

  it('drops updates from a read-only connection: not applied, not stored, not relayed', () => {
    const room = new Room(store, charterId, sectionId, hooks);
    const observer = connect(room, false);
    const other = connect(room, true);

    room.receive(observer.conn, syncUpdateFrom(new Y.Doc(), (d) => d.getText('t').insert(0, 'nope')));

    expect(room.doc.getText('t').toString()).toBe('');
    expect(store.q.docs.updates(sectionId)).toHaveLength(0);
    expect(other.socket.sent).toHaveLength(0);
    room.destroy();
  });

  it('relays nothing and reports the failure when storage refuses an update', () => {
    const failing = { ...store, q: { ...store.q, docs: { ...store.q.docs, appendUpdate: () => { throw Object.assign(new Error('full'), { code: 'SQLITE_FULL' }); } } } } as Store;
    const room = new Room(failing, charterId, sectionId, hooks);
    const writer = connect(room, true);
    const reader = connect(room, true);

    room.receive(writer.conn, syncUpdateFrom(new Y.Doc(), (d) => d.getText('t').insert(0, 'lost?')));

    expect(hooks.failures).toHaveLength(1);
    expect(room.failed).toBe(true);
    expect(reader.socket.sent).toHaveLength(0);
    expect(store.q.docs.updates(sectionId)).toHaveLength(0);
    room.destroy();
  });

  it('throws on malformed messages without changing the document or the log', () => {
    const room = new Room(store, charterId, sectionId, hooks);
    const writer = connect(room, true);
    const bad = [
      new Uint8Array([]),
      new Uint8Array([9]),
      new Uint8Array([MessageType.sync, 7]),
      new Uint8Array([MessageType.sync, 2, 50, 1, 2]),
      new Uint8Array([MessageType.awareness, 10, 1]),
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    ];
    for (const message of bad) expect(() => room.receive(writer.conn, message)).toThrow();
    expect(store.q.docs.updates(sectionId)).toHaveLength(0);
    expect(() => loadSectionDoc(store, sectionId)).not.toThrow();
    room.destroy();
  });

  it('applies none of an update cut short in its delete set (Yjs would integrate its structs first)', () => {
    const room = new Room(store, charterId, sectionId, hooks);
    const writer = connect(room, true);
    const reader = connect(room, false);
    const source = new Y.Doc();
    room.receive(writer.conn, syncUpdateFrom(source, (d) => d.getText('t').insert(0, 'one two')));
    reader.socket.sent.length = 0;
    const before = Y.encodeStateVector(source);
    source.transact(() => {
      source.getText('t').insert(7, ' three');
      source.getText('t').delete(0, 4);
    });
    const update = Y.encodeStateAsUpdate(source, before);
    // The same structs, with the delete set cut off: enough for Yjs to integrate " three" and then throw.
    const cut = update.slice(0, update.length - 1);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, cut);

    expect(() => room.receive(writer.conn, encoding.toUint8Array(e))).toThrow();
    expect(room.doc.getText('t').toString()).toBe('one two');
    expect(store.q.docs.updates(sectionId)).toHaveLength(1);
    expect(reader.socket.sent).toHaveLength(0);
    room.destroy();
  });

  it('lets no connection change the presence another connection published', () => {
    const room = new Room(store, charterId, sectionId, hooks);
    const a = connect(room, true);
    const b = connect(room, false);
    const presence = new awarenessProtocol.Awareness(new Y.Doc());
    const message = () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.awareness);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID]));
      return encoding.toUint8Array(encoder);
    };
    const nameAtServer = () => (room.awareness.getStates().get(presence.clientID) as { name?: string } | undefined)?.name;

    presence.setLocalState({ name: 'A' });
    room.receive(a.conn, message());
    expect(a.conn.awarenessClients.has(presence.clientID)).toBe(true);
    // Stock clients echo what they hear: harmless, accepted.
    expect(() => room.receive(b.conn, message())).not.toThrow();
    // A newer state or a removal for a's client, sent by b, is ignored.
    presence.setLocalState({ name: 'Impostor' });
    room.receive(b.conn, message());
    expect(nameAtServer()).toBe('A');
    presence.setLocalState(null);
    room.receive(b.conn, message());
    expect(nameAtServer()).toBe('A');
    expect(b.conn.awarenessClients.size).toBe(0);

    room.leave(a.conn);
    expect(room.awareness.getStates().has(presence.clientID)).toBe(false);
    presence.destroy();
    room.destroy();
  });

  it('compacts off the hot path once the log passes the threshold', async () => {
    const room = new Room(store, charterId, sectionId, hooks);
    const onCompacted = vi.fn();
    hooks.onCompacted = onCompacted;
    const writer = connect(room, true);
    const source = new Y.Doc();
    for (let i = 0; i < COMPACT_AFTER_UPDATES; i++) {
      room.receive(writer.conn, syncUpdateFrom(source, (d) => d.getText('t').insert(i, 'x')));
    }
    expect(store.q.docs.updates(sectionId)).toHaveLength(COMPACT_AFTER_UPDATES);
    await new Promise((r) => setImmediate(r));
    expect(onCompacted).toHaveBeenCalledTimes(1);
    expect(store.q.docs.updates(sectionId)).toHaveLength(0);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, loadSectionDoc(store, sectionId).state);
    expect(reloaded.getText('t').toString()).toBe('x'.repeat(COMPACT_AFTER_UPDATES));
    room.destroy();
  });
});
