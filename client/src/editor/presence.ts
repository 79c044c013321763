import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CloseCode, type PresenceUser } from '@charter/shared/collab';
import { collabServerUrl } from './collab';

const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

/** People present in an awareness instance (one entry per person, however many tabs they have). */
export function presentUsers(awareness: Awareness, exceptClientId?: number): PresenceUser[] {
  const byId = new Map<string, PresenceUser>();
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === exceptClientId) continue;
    const user = (state as { user?: Partial<PresenceUser> } | null)?.user;
    if (!user || typeof user.name !== 'string') continue;
    const id = typeof user.id === 'string' ? user.id : `client-${clientId}`;
    if (!byId.has(id)) {
      byId.set(id, {
        id,
        name: user.name,
        organisation: typeof user.organisation === 'string' ? user.organisation : null,
        color: typeof user.color === 'string' ? user.color : '#475569',
      });
    }
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Who is in a section right now, without downloading its text: a WebSocket that never sends a
 * sync step 1 (so the server never sends the document) and only reads awareness messages.
 * Reconnects by itself; stops for good on a refusal.
 */
export class PresenceWatcher {
  readonly awareness = new Awareness(new Y.Doc());
  private ws: WebSocket | null = null;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly charterId: string,
    private readonly sectionId: string,
  ) {
    this.awareness.setLocalState(null);
    this.open();
  }

  private open(): void {
    if (this.stopped) return;
    const ws = new WebSocket(`${collabServerUrl(this.charterId)}/${encodeURIComponent(this.sectionId)}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_QUERY_AWARENESS);
      ws.send(encoding.toUint8Array(encoder));
    };
    ws.onmessage = (event) => {
      try {
        const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
        if (decoding.readVarUint(decoder) === MESSAGE_AWARENESS) {
          applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
        }
      } catch {
        // A message we cannot read is not worth dropping the watch for.
      }
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Everyone seen on this socket is gone as far as we can tell.
      const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.awareness.clientID);
      if (others.length) removeAwarenessStates(this.awareness, others, this);
      const terminal = [CloseCode.unauthorized, CloseCode.forbidden, CloseCode.notFound] as number[];
      if (this.stopped || terminal.includes(event.code)) return;
      this.timer = setTimeout(() => this.open(), Math.min(30_000, 1000 * 2 ** this.retry++));
    };
  }

  destroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.awareness.destroy();
  }
}
