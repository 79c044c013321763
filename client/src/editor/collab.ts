import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';
import { writeSyncStep1 } from 'y-protocols/sync';
import { CloseCode, collabServerPath, type PresenceUser } from '@charter/shared/collab';
import { connectivity } from '../api/connectivity';

/** What the person sees about the live connection of a section. */
export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

export interface CollabState {
  phase: ConnectionPhase;
  /** The first full exchange with the server is done: the document holds the server's text. */
  synced: boolean;
  /** Local edits the server has not yet confirmed. */
  pending: boolean;
  /** Close code of a refusal (4401, 4403, 4404) or of the last abnormal close. */
  closeCode: number | undefined;
}

const MESSAGE_SYNC = 0;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const TERMINAL_CODES: number[] = [CloseCode.unauthorized, CloseCode.forbidden, CloseCode.notFound];

/** `ws(s)://host/collab/:charterId`: the provider appends `/:sectionId`. */
export function collabServerUrl(charterId: string): string {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${proto}://${location.host}${collabServerPath(charterId)}`;
}

/**
 * One live section: a Yjs document kept in sync with the server by the stock y-websocket
 * provider, plus the bookkeeping behind "All changes saved".
 *
 * The y-websocket protocol has no acknowledgement, so after local edits we send a sync step 1
 * (our state vector) on the same socket. The server handles a connection's messages in order
 * and answers a step 1 with a step 2, so that answer proves every earlier edit has reached it
 * (and, per the contract, was stored before it was relayed).
 */
export class CollabConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private state: CollabState = { phase: 'connecting', synced: false, pending: false, closeCode: undefined };
  private listeners = new Set<() => void>();
  private everConnected = false;
  private localVersion = 0;
  private ackedVersion = 0;
  /** Versions covered by probes awaiting their step 2; -1 marks a probe made stale by a resync. */
  private probes: number[] = [];
  private providerStep2Expected = 0;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private offConnectivity: () => void;

  constructor(charterId: string, sectionId: string, user: PresenceUser | null) {
    this.provider = new WebsocketProvider(collabServerUrl(charterId), encodeURIComponent(sectionId), this.doc, {
      connect: false,
      disableBc: true,
      maxBackoffTime: 5000,
      shouldReconnect: (event) => !TERMINAL_CODES.includes(event.code),
    });
    // Watchers (plenary) do not announce themselves; editors do, with name and colour.
    if (user) this.provider.awareness.setLocalStateField('user', user);
    else this.provider.awareness.setLocalState(null);

    const handleSync = this.provider.messageHandlers[MESSAGE_SYNC]!;
    this.provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, provider, emitSynced, messageType) => {
      // Sync message types are 0, 1, 2: a single byte right where the decoder stands.
      const syncType = decoder.arr[decoder.pos];
      handleSync(encoder, decoder, provider, emitSynced, messageType);
      if (syncType === SYNC_STEP1) this.onServerStep1();
      else if (syncType === SYNC_STEP2) this.onStep2();
    };

    this.provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.everConnected = true;
        this.probes = [];
        this.providerStep2Expected = 1;
        this.set({ phase: 'connected', closeCode: undefined });
        connectivity.reportSuccess();
      } else if (status === 'disconnected') {
        this.probes = [];
        // A live connection that drops means the network or the server is gone: show the banner.
        if (!this.destroyed) connectivity.reportFailure();
        this.set({ phase: this.disconnectedPhase() });
      }
    });
    this.provider.on('connection-close', (event) => {
      if (event && event.code !== 1000 && event.code !== 1005) this.set({ closeCode: event.code });
      if (!this.state.synced || this.state.phase !== 'connected') this.set({ phase: this.disconnectedPhase() });
    });
    this.provider.on('closed', ({ code }) => this.set({ phase: 'refused', closeCode: code }));
    this.provider.on('sync', (synced) => {
      if (synced) {
        this.set({ synced: true });
        this.scheduleProbe();
      }
    });
    this.doc.on('update', this.onDocUpdate);
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    // Should the browser never say it is back online, the API's health check will.
    this.offConnectivity = connectivity.subscribe((online) => {
      if (online && !this.provider.shouldConnect) this.onOnline();
    });
    this.provider.connect();
  }

  getState = (): CollabState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.probeTimer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.offConnectivity();
    this.doc.off('update', this.onDocUpdate);
    this.provider.awareness.setLocalState(null);
    this.provider.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  private disconnectedPhase(): ConnectionPhase {
    if (this.state.phase === 'refused') return 'refused';
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'offline';
    if (!this.everConnected) return this.provider.wsUnsuccessfulReconnects >= 3 ? 'offline' : 'connecting';
    return this.provider.wsUnsuccessfulReconnects >= 4 ? 'offline' : 'reconnecting';
  }

  private onOnline = () => {
    if (this.state.phase !== 'refused') {
      this.provider.connect();
      this.set({ phase: this.provider.wsconnected ? 'connected' : this.everConnected ? 'reconnecting' : 'connecting' });
    }
  };

  /**
   * The device lost its network: a socket may look open for a long while yet deliver nothing.
   * Close it now and start afresh when the network is back (edits stay in the local document
   * and are sent by the resync).
   */
  private onOffline = () => {
    if (this.state.phase === 'refused') return;
    this.probes = [];
    if (this.provider.wsconnected || this.provider.wsconnecting) this.provider.disconnect();
    this.set({ phase: 'offline' });
  };

  private onDocUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === this.provider) return;
    this.localVersion++;
    this.set({ pending: true });
    this.scheduleProbe();
  };

  private onServerStep1(): void {
    // The provider answers with our edits the server lacks, sent after this handler returns:
    // answers to probes sent before it prove nothing about those edits.
    this.probes = this.probes.map(() => -1);
    if (this.localVersion > this.ackedVersion) setTimeout(() => this.scheduleProbe(), 0);
  }

  private onStep2(): void {
    if (this.providerStep2Expected > 0) {
      this.providerStep2Expected--;
      return;
    }
    const version = this.probes.shift();
    if (version !== undefined && version > this.ackedVersion) this.ackedVersion = version;
    this.set({ pending: this.localVersion > this.ackedVersion });
    if (this.probes.length === 0) this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.destroyed || this.probeTimer !== undefined) return;
    if (this.localVersion <= this.ackedVersion) {
      if (this.state.pending) this.set({ pending: false });
      return;
    }
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.sendProbe();
    }, 250);
  }

  private sendProbe(): void {
    const ws = this.provider.ws;
    if (!ws || !this.provider.wsconnected || ws.readyState !== WebSocket.OPEN || !this.provider.synced) return;
    if (this.probes.some((v) => v >= this.localVersion)) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    writeSyncStep1(encoder, this.doc);
    this.probes.push(this.localVersion);
    ws.send(encoding.toUint8Array(encoder));
  }

  private set(patch: Partial<CollabState>): void {
    const next = { ...this.state, ...patch };
    if (
      next.phase === this.state.phase &&
      next.synced === this.state.synced &&
      next.pending === this.state.pending &&
      next.closeCode === this.state.closeCode
    ) {
      return;
    }
    this.state = next;
    for (const fn of this.listeners) fn();
  }
}
