import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type * as Y from 'yjs';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CloseCode, MAX_MESSAGE_BYTES } from '@charter/shared/collab';
import type { JSONContent } from '@charter/shared/editor';
import type { AppContext } from '../context.js';
import { canWriteSection, getMembership, type Membership } from '../domain/access.js';
import { userForToken } from '../domain/accounts.js';
import { log } from '../log.js';
import { Connection, type ConnectionLimits } from './connection.js';
import { readSectionContent, readStoredSectionContent } from './content.js';
import { syncStep1Message } from './protocol.js';
import { Room, type RoomHooks } from './room.js';
import { admitUpgrade, parseCollabPath, rejectUpgrade, type Admitted } from './upgrade.js';

export interface CollabOptions {
  /** Ping interval; a connection that has not answered the previous ping is dropped. */
  heartbeatMs: number;
  /** Open connections one account may hold at once (4429 beyond). */
  maxConnectionsPerAccount: number;
  limits: ConnectionLimits;
}

/** Seconds a client over its connection cap is told to wait (Retry-After). */
const CONNECTION_RETRY_AFTER_S = 30;

export const DEFAULT_COLLAB_OPTIONS: CollabOptions = {
  heartbeatMs: 30_000,
  maxConnectionsPerAccount: 50,
  limits: {
    messagesPerSecond: 200,
    messageBurst: 400,
    maxBufferedBytes: 16 * 1024 * 1024,
    maxAwarenessClients: 16,
  },
};

export interface CollabStats {
  /** Section documents in memory. */
  rooms: number;
  connections: number;
  /** Documents loaded from storage since start (one per room created). */
  loads: number;
  unloads: number;
  compactions: number;
  /** Updates discarded because their connection was read-only. */
  droppedUpdates: number;
}

/** The collaboration server attached to the HTTP server (also reachable as `ctx.collab`). */
export interface CollabServer {
  /** Graceful shutdown: closes every socket with 1001, compacts every loaded document. */
  close(): Promise<void>;
  stats(): CollabStats;
  /**
   * A section's current content as ProseMirror JSON and plain text: the live document when it
   * is loaded, otherwise what is stored (state plus log, which always holds every accepted update).
   */
  sectionContent(sectionId: string): { doc: JSONContent; text: string };
  /** The in-memory document of a loaded section, for diagnostics and tests. */
  liveDoc(sectionId: string): Y.Doc | undefined;
}

/**
 * Serves `/collab/:charterId/:sectionId` on `server`: the y-websocket protocol over y-protocols,
 * with authentication before the upgrade, per-section rights enforced on every update, the
 * SQLite update log written before anything is relayed, and one in-memory document per section
 * that unloads when its last connection leaves.
 */
export function attachCollab(server: Server, ctx: AppContext, options: Partial<CollabOptions> = {}): CollabServer {
  const opts: CollabOptions = {
    ...DEFAULT_COLLAB_OPTIONS,
    ...options,
    limits: { ...DEFAULT_COLLAB_OPTIONS.limits, ...options.limits },
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
  const rooms = new Map<string, Room>();
  const all = new Set<Connection>();
  const byCharter = new Map<string, Set<Connection>>();
  const perAccount = new Map<string, number>();
  const counters = { loads: 0, unloads: 0, compactions: 0, droppedUpdates: 0 };
  let closing: Promise<void> | undefined;

  const hooks: RoomHooks = {
    onStorageFailure(room, err) {
      log.error('collab_storage_failed', { sectionId: room.sectionId, err });
      // Nothing of this update was relayed; clients resend it when they reconnect to a fresh load.
      if (rooms.get(room.sectionId) === room) rooms.delete(room.sectionId);
      for (const conn of [...room.conns]) conn.close(CloseCode.internalError, 'storage unavailable');
      unload(room);
    },
    onDropped: () => void counters.droppedUpdates++,
    onCompacted: () => void counters.compactions++,
  };

  function unload(room: Room): void {
    if (room.destroyed) return;
    if (rooms.get(room.sectionId) === room) rooms.delete(room.sectionId);
    if (!room.failed) room.compact();
    room.destroy();
    counters.unloads++;
  }

  function release(conn: Connection): void {
    log.debug('collab_close', { sectionId: conn.who.sectionId, userId: conn.who.userId });
    all.delete(conn);
    const group = byCharter.get(conn.who.charterId);
    group?.delete(conn);
    if (group?.size === 0) byCharter.delete(conn.who.charterId);
    const n = (perAccount.get(conn.who.userId) ?? 1) - 1;
    if (n > 0) perAccount.set(conn.who.userId, n);
    else perAccount.delete(conn.who.userId);
    const room = conn.room;
    try {
      // Unloading waits a microtask: a release can happen inside a Yjs or awareness event of this room.
      if (room.leave(conn)) queueMicrotask(() => room.conns.size === 0 && unload(room));
    } catch (err) {
      log.error('collab_release_failed', { sectionId: room.sectionId, err });
    }
  }

  function accept(ws: WebSocket, admitted: Admitted): void {
    ws.on('error', (err) => log.debug('collab_socket_error', { message: err.message }));
    const { user, charter, section, membership } = admitted;
    if (closing) {
      ws.close(CloseCode.goingAway, 'server shutting down');
      return;
    }
    // Refused before the upgrade already; this catches connections admitted at the same moment.
    if ((perAccount.get(user.id) ?? 0) >= opts.maxConnectionsPerAccount) {
      ws.close(CloseCode.rateLimited, 'too many connections for this account');
      return;
    }
    // Loading is synchronous, so checking and filling the map cannot interleave with another connection.
    let room = rooms.get(section.id);
    if (!room) {
      try {
        room = new Room(ctx.store, charter.id, section.id, hooks);
      } catch (err) {
        log.error('collab_load_failed', { sectionId: section.id, err });
        ws.close(CloseCode.internalError, 'document could not be loaded');
        return;
      }
      counters.loads++;
      rooms.set(section.id, room);
    }
    const writable = canWriteSection(membership, charter.status, section.id);
    const conn = new Connection(
      ws,
      { userId: user.id, token: admitted.token, charterId: charter.id, sectionId: section.id },
      room,
      writable,
      opts.limits,
      release,
    );
    all.add(conn);
    let group = byCharter.get(charter.id);
    if (!group) byCharter.set(charter.id, (group = new Set()));
    group.add(conn);
    perAccount.set(user.id, (perAccount.get(user.id) ?? 0) + 1);

    ws.on('message', (data, isBinary) => onMessage(conn, data, isBinary));
    ws.on('pong', () => (conn.alive = true));
    ws.on('close', () => conn.release());
    ws.on('error', () => conn.release());
    log.debug('collab_open', { charterId: charter.id, sectionId: section.id, userId: user.id, writable });
    try {
      room.join(conn);
    } catch (err) {
      log.error('collab_join_failed', { sectionId: section.id, err });
      conn.close(CloseCode.internalError, 'internal error');
    }
  }

  function onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    if (conn.closed) return;
    conn.alive = true;
    try {
      if (!isBinary) {
        conn.close(CloseCode.unsupportedData, 'binary y-websocket messages only');
        return;
      }
      if (!conn.takeMessageToken()) {
        conn.close(CloseCode.rateLimited, 'too many messages');
        return;
      }
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
      conn.room.receive(conn, bytes);
    } catch (err) {
      log.debug('collab_bad_message', { sectionId: conn.who.sectionId, message: (err as Error)?.message });
      conn.close(CloseCode.policyViolation, 'malformed message');
    }
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A peer resetting mid-handshake must never surface as an unhandled 'error'.
    socket.on('error', () => {});
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ids = parseCollabPath(url.pathname);
      if (!ids) return rejectUpgrade(socket, 404, 'not_found', 'There is no WebSocket endpoint here.');
      if (closing) return rejectUpgrade(socket, 503, 'unavailable', 'The server is restarting. Try again in a moment.');
      const admitted = admitUpgrade(ctx, req, url, ids);
      if (!admitted.ok) return rejectUpgrade(socket, admitted.status, admitted.code, admitted.message);
      if ((perAccount.get(admitted.user.id) ?? 0) >= opts.maxConnectionsPerAccount) {
        return rejectUpgrade(socket, 429, 'rate_limited', 'This account has too many open connections. Close some tabs and try again.', {
          'Retry-After': String(CONNECTION_RETRY_AFTER_S),
        });
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        try {
          accept(ws, admitted);
        } catch (err) {
          log.error('collab_accept_failed', { err });
          ws.terminate();
        }
      });
    } catch (err) {
      log.error('collab_upgrade_failed', { err });
      rejectUpgrade(socket, 500, 'internal_error', 'Something went wrong on the server.');
    }
  }

  /** Recomputes the rights of every open connection of the charter at once (4403 for former members). */
  function onAccessChanged(charterId: string): void {
    const group = byCharter.get(charterId);
    if (!group?.size) return;
    try {
      const charter = ctx.store.q.charters.byId(charterId);
      const memberships = new Map<string, Membership | undefined>();
      for (const conn of [...group]) {
        const { userId, sectionId } = conn.who;
        if (!memberships.has(userId)) memberships.set(userId, charter ? getMembership(ctx, charterId, userId) : undefined);
        const membership = memberships.get(userId);
        if (!charter || !membership) {
          conn.close(CloseCode.forbidden, 'no longer a member of this charter');
          continue;
        }
        const writable = canWriteSection(membership, charter.status, sectionId);
        const gained = writable && !conn.writable;
        conn.writable = writable;
        // Ask a new writer for what it has that the server lacks, so its later edits never depend on missing ones.
        if (gained) conn.send(syncStep1Message(conn.room.doc));
      }
    } catch (err) {
      log.error('collab_access_recompute_failed', { charterId, err });
    }
  }

  /** Drops connections that missed a pong and those whose session has ended (logout, expiry). */
  function heartbeat(): void {
    try {
      const sessions = new Map<string, string | undefined>();
      for (const conn of [...all]) {
        if (!conn.alive) {
          conn.terminate();
          continue;
        }
        conn.alive = false;
        const { token, userId } = conn.who;
        if (!sessions.has(token)) sessions.set(token, userForToken(ctx, token)?.id);
        if (sessions.get(token) !== userId) {
          conn.close(CloseCode.unauthorized, 'session ended');
          continue;
        }
        try {
          conn.ws.ping();
        } catch {
          conn.terminate();
        }
      }
    } catch (err) {
      log.error('collab_heartbeat_failed', { err });
    }
  }

  server.on('upgrade', onUpgrade);
  ctx.bus.on('accessChanged', onAccessChanged);
  const timer = setInterval(heartbeat, opts.heartbeatMs);
  timer.unref();

  const collab: CollabServer = {
    stats: () => ({ rooms: rooms.size, connections: all.size, ...counters }),
    sectionContent(sectionId) {
      const room = rooms.get(sectionId);
      if (room && !room.destroyed) return readSectionContent(room.doc);
      return readStoredSectionContent(ctx.store, sectionId);
    },
    liveDoc: (sectionId) => rooms.get(sectionId)?.doc,
    close: () =>
      (closing ??= (async () => {
        clearInterval(timer);
        server.off('upgrade', onUpgrade);
        ctx.bus.off('accessChanged', onAccessChanged);
        const sockets = [...all].map((c) => c.ws);
        const closed = Promise.all(
          sockets.map((ws) => new Promise<void>((r) => (ws.readyState === WebSocket.CLOSED ? r() : ws.once('close', () => r())))),
        );
        // Closing the last connection of a room unloads (and compacts) it.
        for (const conn of [...all]) conn.close(CloseCode.goingAway, 'server shutting down');
        for (const room of [...rooms.values()]) unload(room);
        let force: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise<void>((r) => (force = setTimeout(r, 2_000)))]);
        clearTimeout(force);
        for (const ws of sockets) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
        wss.close();
      })()),
  };
  ctx.collab = collab;
  return collab;
}
