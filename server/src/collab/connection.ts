import { WebSocket } from 'ws';
import type { Room } from './room.js';

export interface ConnectionLimits {
  /** Messages per second a connection may sustain. */
  messagesPerSecond: number;
  /** Messages a connection may send in one burst. */
  messageBurst: number;
  /** Bytes queued for a connection beyond which it is dropped as too slow. */
  maxBufferedBytes: number;
  /** Awareness client ids one connection may speak for. */
  maxAwarenessClients: number;
}

export interface ConnectionIdentity {
  userId: string;
  /** The session token it authenticated with: re-checked on every heartbeat. */
  token: string;
  charterId: string;
  sectionId: string;
}

/**
 * One open WebSocket on one section document. Rights are cached here and recomputed only when
 * the bus says access changed, so the per-message path touches no database.
 */
export class Connection {
  /** Whether updates from this connection are applied (false: read-only, they are dropped). */
  writable: boolean;
  /** Awareness client ids this connection introduced; removed from the room when it leaves. */
  readonly awarenessClients = new Set<number>();
  /** Answered the last ping (or sent anything) since the previous heartbeat. */
  alive = true;
  /** Closed or closing: nothing more is sent to it or read from it. */
  closed = false;
  private tokens: number;
  private refilledAt = performance.now();

  constructor(
    readonly ws: WebSocket,
    readonly who: ConnectionIdentity,
    readonly room: Room,
    writable: boolean,
    readonly limits: ConnectionLimits,
    /** Detaches the connection from its room and indexes; called once, on any closing path. */
    private readonly onRelease: (conn: Connection) => void,
  ) {
    this.writable = writable;
    this.tokens = limits.messageBurst;
  }

  /** Takes one message from the token bucket; false when the connection is over its rate. */
  takeMessageToken(): boolean {
    const now = performance.now();
    const elapsed = now - this.refilledAt;
    if (elapsed > 0) {
      this.tokens = Math.min(this.limits.messageBurst, this.tokens + (elapsed * this.limits.messagesPerSecond) / 1000);
      this.refilledAt = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Sends an already encoded message (the same bytes go to every recipient). A client that
   * stops reading is dropped rather than buffered for without bound.
   */
  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount + message.byteLength > this.limits.maxBufferedBytes) {
      this.close(1008, 'too slow: output buffer full');
      return;
    }
    this.ws.send(message);
  }

  /** Closes with `code`, releasing the connection's share of the room at once. */
  close(code: number, reason: string): void {
    this.release();
    try {
      if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  /** Drops the socket without a closing handshake (dead peers). */
  terminate(): void {
    this.release();
    this.ws.terminate();
  }

  /** Idempotent: the first caller detaches, later ones do nothing. */
  release(): void {
    if (this.closed) return;
    this.closed = true;
    this.onRelease(this);
  }
}
