import * as Y from 'yjs';
import type { Store } from '../db/index.js';
import { log } from '../log.js';
import type { Connection } from './connection.js';
import { appendSectionUpdate, COMPACT_AFTER_BYTES, COMPACT_AFTER_UPDATES, compactSectionDoc, loadSectionYDoc } from './persistence.js';
import {
  awarenessMessage,
  awarenessProtocol,
  awarenessUpdateEntries,
  type AwarenessEntry,
  decoding,
  MessageType,
  ProtocolError,
  SyncType,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from './protocol.js';

export interface RoomHooks {
  /** Storage refused an update that is already in memory: the room must be dropped unsaved. */
  onStorageFailure(room: Room, err: unknown): void;
  /** A read-only connection's update was discarded (for stats). */
  onDropped(): void;
  onCompacted(): void;
}

/**
 * One section's live document: the in-memory Y.Doc, its awareness, its connections and its
 * update log. Every update a writer sends is appended to SQLite before anyone else sees it;
 * the log is folded into the state row off the hot path and when the room unloads.
 */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly conns = new Set<Connection>();
  /** Which connection speaks for each awareness client id (no one may overwrite another's). */
  private readonly awarenessOwner = new Map<number, Connection>();
  /** Id of the last update appended to the log; compaction deletes up to it. */
  private lastUpdateId: number;
  /** Updates and bytes in the log since the last compaction. */
  private logCount: number;
  private logBytes: number;
  private compactionQueued = false;
  /** Set when storage refused an update: nothing more is accepted or saved from memory. */
  failed = false;
  private storageError: unknown;
  destroyed = false;

  /**
   * Loads the section from storage. Throws {@link DocumentLoadError} when the stored state is
   * missing or unreadable: a room is never created around an empty document.
   */
  constructor(
    private readonly store: Store,
    readonly charterId: string,
    readonly sectionId: string,
    private readonly hooks: RoomHooks,
  ) {
    const loaded = loadSectionYDoc(store, sectionId);
    const doc = loaded.doc;
    this.doc = doc;
    this.lastUpdateId = loaded.lastUpdateId;
    this.logCount = loaded.updateCount;
    this.logBytes = loaded.updateBytes;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    if (this.overThreshold()) this.queueCompaction();
  }

  /** Greets a new connection: the server's state vector and everyone's presence. */
  join(conn: Connection): void {
    this.conns.add(conn);
    conn.send(syncStep1Message(this.doc));
    if (this.awareness.getStates().size > 0) conn.send(awarenessMessage(this.awareness));
  }

  /** Removes a connection and the presence it published. Returns true when the room is now empty. */
  leave(conn: Connection): boolean {
    this.conns.delete(conn);
    if (conn.awarenessClients.size > 0 && !this.destroyed) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessClients], 'connection closed');
    }
    for (const id of conn.awarenessClients) if (this.awarenessOwner.get(id) === conn) this.awarenessOwner.delete(id);
    conn.awarenessClients.clear();
    return this.conns.size === 0;
  }

  /**
   * Handles one binary message from `conn`. Throws on anything malformed; the caller closes
   * that connection. Updates from read-only connections are dropped before they touch the doc.
   */
  receive(conn: Connection, message: Uint8Array): void {
    if (this.failed || this.destroyed) return;
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.sync: {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === SyncType.step1) {
          const stateVector = decoding.readVarUint8Array(decoder);
          conn.send(syncStep2Message(this.doc, stateVector));
        } else if (syncType === SyncType.step2 || syncType === SyncType.update) {
          const update = decoding.readVarUint8Array(decoder);
          if (!conn.writable) {
            this.hooks.onDropped();
            return;
          }
          // Decode all of it before integrating any of it: Yjs integrates an update's structs before
          // it reads its delete set, so an update cut or corrupted there would be half applied (and
          // stored, and relayed) before it throws. Throws here, so the connection is closed instead.
          Y.decodeUpdate(update);
          try {
            Y.applyUpdate(this.doc, update, conn);
          } finally {
            // Also when a malformed update threw after part of it was integrated.
            if (this.failed) this.hooks.onStorageFailure(this, this.storageError);
          }
        } else {
          throw new ProtocolError(`unknown sync message type ${syncType}`);
        }
        return;
      }
      case MessageType.awareness: {
        const update = decoding.readVarUint8Array(decoder);
        if (!this.awarenessAllowed(conn, awarenessUpdateEntries(update))) return;
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
        return;
      }
      case MessageType.auth:
        // The y-websocket auth message carries nothing the server acts on.
        return;
      case MessageType.queryAwareness:
        conn.send(awarenessMessage(this.awareness));
        return;
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  }

  /**
   * Every change to the in-memory doc comes through here, within the same synchronous turn as
   * the message that caused it: it is appended to the log first, then relayed, so nothing is
   * ever relayed that a crash could lose. The stored bytes are Yjs's own encoding of what was
   * integrated, so a malformed message can never poison the log.
   */
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.failed) return;
    try {
      this.lastUpdateId = appendSectionUpdate(this.store, this.sectionId, update);
    } catch (err) {
      this.failed = true;
      this.storageError = err;
      return;
    }
    this.logCount += 1;
    this.logBytes += update.byteLength;
    const message = updateMessage(update);
    // The sender already has its own update, unless earlier pending structs got integrated with it.
    const skip = this.doc.store.pendingStructs === null ? origin : undefined;
    for (const conn of this.conns) if (conn !== skip) conn.send(message);
    if (!this.compactionQueued && this.overThreshold()) this.queueCompaction();
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const conn = typeof origin === 'object' && origin !== null && this.conns.has(origin as Connection) ? (origin as Connection) : undefined;
    if (conn) {
      for (const id of added) this.claim(conn, id);
      for (const id of updated) this.claim(conn, id);
    }
    for (const id of removed) {
      const owner = this.awarenessOwner.get(id);
      owner?.awarenessClients.delete(id);
      this.awarenessOwner.delete(id);
    }
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    // Echoed to the sender too: the stock client treats silence as a dead connection.
    const message = awarenessMessage(this.awareness, changed);
    for (const c of this.conns) c.send(message);
  };

  /**
   * Whether an awareness update from `conn` may be applied. Stock clients echo every state they
   * hear, so entries about other connections' clients are normal, but only as no-ops: an entry
   * that would change another connection's presence drops the message (a same-browser tab can
   * legitimately race ahead of the owner, so this is not treated as an attack). A connection
   * introducing more than its share of client ids is closed.
   */
  private awarenessAllowed(conn: Connection, entries: AwarenessEntry[]): boolean {
    let fresh = 0;
    for (const { clientId, clock, removes } of entries) {
      const owner = this.awarenessOwner.get(clientId);
      if (owner === conn) continue;
      const known = this.awareness.meta.get(clientId)?.clock;
      const effective =
        known === undefined || clock > known || (clock === known && removes && this.awareness.states.has(clientId));
      if (!effective) continue;
      if (owner) return false;
      fresh += 1;
    }
    if (conn.awarenessClients.size + fresh > conn.limits.maxAwarenessClients) {
      throw new ProtocolError('awareness update for too many clients');
    }
    return true;
  }

  private claim(conn: Connection, id: number): void {
    if (this.awarenessOwner.has(id)) return;
    this.awarenessOwner.set(id, conn);
    conn.awarenessClients.add(id);
  }

  private overThreshold(): boolean {
    return this.logCount >= COMPACT_AFTER_UPDATES || this.logBytes >= COMPACT_AFTER_BYTES;
  }

  private queueCompaction(): void {
    this.compactionQueued = true;
    setImmediate(() => {
      this.compactionQueued = false;
      if (!this.destroyed && !this.failed) this.compact();
    });
  }

  /**
   * Folds the log up to the last appended update into the state row (one transaction). A
   * failure is logged and leaves the log in place: nothing is lost, the next attempt retries.
   */
  compact(): boolean {
    if (this.failed || this.logCount === 0) return false;
    try {
      compactSectionDoc(this.store, this.sectionId, Y.encodeStateAsUpdate(this.doc), this.lastUpdateId);
      this.logCount = 0;
      this.logBytes = 0;
      this.hooks.onCompacted();
      return true;
    } catch (err) {
      log.error('collab_compaction_failed', { sectionId: this.sectionId, err });
      return false;
    }
  }

  /** Frees the document and its presence. The caller compacts first when it should. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.awarenessOwner.clear();
    this.conns.clear();
  }
}
