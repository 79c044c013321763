import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { MAX_MESSAGE_BYTES } from '@charter/shared/collab';
import { attachCollab } from '../../server/src/collab/server.js';
import { charterWithSecretariat, startTestServer, type TestServer } from '../helpers/server.js';
import {
  addParagraph,
  closeCode,
  connectClient,
  freshTexts,
  openRaw,
  paragraphTexts,
  waitFor,
  withTimeout,
  type Client,
} from '../helpers/collab.js';

let srv: TestServer;
const clients: Client[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.stop();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.terminate();
});

function client(charterId: string, sectionId: string, token: string): Client {
  const c = connectClient(srv.url, charterId, sectionId, token);
  clients.push(c);
  return c;
}

async function raw(charterId: string, sectionId: string, token: string): Promise<WebSocket> {
  const r = await openRaw(srv.url, charterId, sectionId, token);
  if (!r.ws) throw new Error(`upgrade refused: ${r.status}`);
  sockets.push(r.ws);
  return r.ws;
}

const stats = () => srv.ctx.collab!.stats();

/** A y-websocket sync message around arbitrary update bytes. */
function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

describe('collaboration limits', () => {
  it('closes a connection that sends a malformed, truncated, unknown, text or oversized frame, and only that one', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const a = client(charter.id, section.id, api.token!);
    const b = client(charter.id, section.id, api.token!);
    await Promise.all([a.synced, b.synced]);

    const cases: [string, Uint8Array | string, number][] = [
      ['garbage varint', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 1008],
      ['truncated update', new Uint8Array([0, 2, 40, 1, 2, 3]), 1008],
      ['empty frame', new Uint8Array([]), 1008],
      ['unknown message type', new Uint8Array([42, 0]), 1008],
      ['unknown sync type', new Uint8Array([0, 9, 0]), 1008],
      ['bytes that are not a Yjs update', updateFrame(new Uint8Array([200, 1, 2, 3, 4, 5])), 1008],
      ['text frame', 'hello', 1003],
      ['oversized frame', new Uint8Array(MAX_MESSAGE_BYTES + 1), 1009],
    ];
    for (const [what, frame, expected] of cases) {
      const ws = await raw(charter.id, section.id, api.token!);
      const closed = closeCode(ws);
      ws.send(frame);
      expect(await closed, what).toBe(expected);
    }

    // The well-behaved clients never noticed, and still sync with each other.
    addParagraph(a.doc, 'Still working');
    await waitFor(() => paragraphTexts(b.doc).includes('Still working'), { what: 'b to receive a’s edit' });
    expect(a.closeCodes).toEqual([]);
    expect(b.closeCodes).toEqual([]);
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    // Nothing malformed reached storage: a fresh load works and has the edit.
    expect(await freshTexts(srv.url, charter.id, section.id, api.token!)).toContain('Still working');
  });

  it('closes a connection that floods messages with 4429, and refuses one account past its connection cap with 429', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const flooder = await raw(charter.id, section.id, api.token!);
    const closed = closeCode(flooder);
    const queryAwareness = new Uint8Array([3]);
    for (let i = 0; i < 2_000 && flooder.readyState === WebSocket.OPEN; i++) flooder.send(queryAwareness);
    expect(await closed).toBe(4429);

    const open: WebSocket[] = [];
    for (let i = 0; i < 50; i++) open.push(await raw(charter.id, section.id, api.token!));
    // The 51st is refused before the upgrade: 429 with Retry-After, in the contract's error body.
    const over = await openRaw(srv.url, charter.id, section.id, api.token!);
    expect(over.status).toBe(429);
    expect(Number(over.headers!['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(over.body!).error.code).toBe('rate_limited');
    expect(open.every((ws) => ws.readyState === WebSocket.OPEN)).toBe(true);
  });

  it('loads a document once when many clients connect to it at the same moment', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[2]!;
    const loadsBefore = stats().loads;
    process.setMaxListeners(100); // every stock client listens for process exit
    const many = Array.from({ length: 20 }, () => client(charter.id, section.id, api.token!));
    await withTimeout(Promise.all(many.map((c) => c.synced)), 10_000, '20 clients to sync');
    expect(stats().loads - loadsBefore).toBe(1);
    const texts = paragraphTexts(many[0]!.doc);
    for (const c of many) expect(paragraphTexts(c.doc)).toEqual(texts);
  });

  it('unloads an idle document, compacting its log and freeing its memory, and reloads it intact', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const collab = srv.ctx.collab!;
    const a = client(charter.id, section.id, api.token!);
    await a.synced;
    addParagraph(a.doc, 'Kept across unload');
    await waitFor(() => srv.ctx.store.q.docs.updates(section.id).length > 0, { what: 'update logged' });
    expect(collab.sectionContent(section.id).text).toContain('Kept across unload');

    const live = new WeakRef(collab.liveDoc(section.id)!);
    const unloadsBefore = collab.stats().unloads;
    clients.splice(0).forEach((c) => c.destroy());
    await waitFor(() => collab.liveDoc(section.id) === undefined, { what: 'unload' });
    expect(collab.stats().unloads).toBe(unloadsBefore + 1);
    expect(collab.stats().rooms).toBe(0);
    expect(live.deref()?.isDestroyed).toBe(true);
    // The log was folded into the state row.
    expect(srv.ctx.store.q.docs.updates(section.id)).toHaveLength(0);
    expect(collab.sectionContent(section.id).text).toContain('Kept across unload');

    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await waitFor(
      async () => {
        gc();
        await new Promise((r) => setTimeout(r, 20));
        return live.deref() === undefined;
      },
      { what: 'the unloaded Y.Doc to be garbage collected', timeout: 10_000 },
    );

    expect(await freshTexts(srv.url, charter.id, section.id, api.token!)).toContain('Kept across unload');
    await waitFor(() => collab.stats().rooms === 0, { what: 'second unload' });
  });

  it('drops connections that stop answering pings, and those whose session has ended', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    // A second endpoint on the same application context, with a fast heartbeat.
    const http = createServer();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const main = srv.ctx.collab;
    const fast = attachCollab(http, srv.ctx, { heartbeatMs: 100 });
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const url = `${base.replace('http', 'ws')}/collab/${charter.id}/${section.id}?token=${api.token}`;
      const silent = new WebSocket(url, { autoPong: false });
      const healthy = new WebSocket(url);
      sockets.push(silent, healthy);
      await Promise.all([silent, healthy].map((ws) => new Promise((r) => ws.once('open', r))));
      expect(await closeCode(silent)).toBe(1006); // terminated without a closing handshake
      expect(healthy.readyState).toBe(WebSocket.OPEN);

      expect((await api.post('/api/auth/logout')).status).toBe(204);
      expect(await closeCode(healthy)).toBe(4401);
      await waitFor(() => fast.stats().connections === 0 && fast.stats().rooms === 0, { what: 'cleanup' });
    } finally {
      await fast.close();
      srv.ctx.collab = main;
      await new Promise((r) => http.close(r));
    }
  });

  it('never serves or stores an empty document when a section cannot be loaded', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    srv.ctx.store.db.prepare('DELETE FROM section_docs WHERE section_id = ?').run(section.id);
    const roomsBefore = stats().rooms;

    const ws = await raw(charter.id, section.id, api.token!);
    const received: Buffer[] = [];
    ws.on('message', (m: Buffer) => received.push(m));
    expect(await closeCode(ws)).toBe(1011);
    expect(received).toEqual([]);
    expect(stats().rooms).toBe(roomsBefore);
    expect(srv.ctx.store.q.docs.state(section.id)).toBeUndefined();
  });
});

describe('graceful shutdown', () => {
  it('closes sockets with 1001 and compacts every loaded document before the database closes', async () => {
    const own = await startTestServer({ keepData: true });
    const { api, charter } = await charterWithSecretariat(own.url);
    const section = charter.sections[0]!;
    const a = connectClient(own.url, charter.id, section.id, api.token!);
    try {
      await a.synced;
      addParagraph(a.doc, 'Saved at shutdown');
      await waitFor(() => own.ctx.store.q.docs.updates(section.id).length > 0, { what: 'update logged' });
      await own.close();
      await waitFor(() => a.closeCodes.includes(1001), { what: 'close 1001' });
    } finally {
      a.destroy();
    }
    const again = await startTestServer({ dataDir: own.dataDir });
    try {
      expect(again.ctx.store.q.docs.updates(section.id)).toHaveLength(0);
      expect(again.ctx.collab!.sectionContent(section.id).text).toContain('Saved at shutdown');
    } finally {
      await again.stop();
    }
  });
});
