import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { collabServerPath, CONTENT_FIELD } from '@charter/shared/collab';
import { Api, uniqueEmail } from './server.js';

/** Polls `check` until it returns a truthy value (or stops throwing); fails after `timeout` ms. */
export async function waitFor<T>(check: () => T | Promise<T>, { timeout = 5_000, interval = 10, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** The y-websocket server URL of a charter: the stock client appends `/<sectionId>?token=…`. */
export const collabServerUrl = (baseUrl: string, charterId: string) => `${baseUrl.replace(/^http/, 'ws')}${collabServerPath(charterId)}`;

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the first sync with the server completed. */
  synced: Promise<void>;
  /** Close codes the server sent this client, in order. */
  closeCodes: number[];
  destroy(): void;
}

/**
 * The stock y-websocket client in Node, as the web client uses it. BroadcastChannel is off:
 * clients in one test process must only ever hear each other through the server.
 */
export function connectClient(baseUrl: string, charterId: string, sectionId: string, token: string | undefined, opts: { doc?: Y.Doc } = {}): Client {
  const doc = opts.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(collabServerUrl(baseUrl, charterId), sectionId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
    maxBackoffTime: 300,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code);
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', (s: boolean) => s && resolve());
  });
  return {
    doc,
    provider,
    synced,
    closeCodes,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Appends a paragraph holding `text` to the section's content, as the editor would. */
export function addParagraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  const content = doc.getXmlFragment(CONTENT_FIELD);
  content.insert(content.length, [p]);
}

/** Inserts a paragraph at the start, so it depends only on what the server already has. */
export function prependParagraph(doc: Y.Doc, text: string): void {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment(CONTENT_FIELD).insert(0, [p]);
}

/** The plain text of every top-level node of the content. */
export function paragraphTexts(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(CONTENT_FIELD)
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((c) => (c instanceof Y.XmlText ? c.toString().replace(/<[^>]*>/g, '') : '')).join('') : ''));
}

/** Connects a fresh client, waits for its first sync, returns its texts and disconnects. */
export async function freshTexts(baseUrl: string, charterId: string, sectionId: string, token: string): Promise<string[]> {
  const client = connectClient(baseUrl, charterId, sectionId, token);
  try {
    await withTimeout(client.synced, 5_000, 'fresh client sync');
    return paragraphTexts(client.doc);
  } finally {
    client.destroy();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

export type RawResult =
  | { ws: WebSocket; status?: undefined; body?: undefined; headers?: undefined }
  | { ws?: undefined; status: number; body: string; headers: Record<string, string | string[] | undefined> };

/**
 * A raw `ws` socket to a section: resolves with the open socket, or with the HTTP status and
 * body when the upgrade is refused.
 */
export function openRaw(
  baseUrl: string,
  charterId: string,
  sectionId: string,
  token?: string,
  headers: Record<string, string> = {},
): Promise<RawResult> {
  const url = `${collabServerUrl(baseUrl, charterId)}/${encodeURIComponent(sectionId)}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return openRawUrl(url, headers);
}

export function openRawUrl(url: string, headers: Record<string, string> = {}): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        ws.terminate();
      });
    });
    ws.once('error', (err) => reject(err));
  });
}

/** The close code the server ends this socket with. */
export function closeCode(ws: WebSocket, timeout = 5_000): Promise<number> {
  return withTimeout(
    new Promise<number>((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) resolve(-1);
      ws.once('close', (code) => resolve(code));
    }),
    timeout,
    'socket close',
  );
}

/** Registers a new account and adds it to the charter with `role` (and sections for drafters). */
export async function addMember(secretariat: Api, charterId: string, role: 'secretariat' | 'drafter' | 'observer', sectionIds?: string[]) {
  const api = new Api(secretariat.baseUrl);
  const user = await api.register(uniqueEmail(role), `${role} person`);
  const res = await secretariat.post(`/api/charters/${charterId}/members`, { email: user.email, role, ...(sectionIds ? { sectionIds } : {}) });
  if (res.status !== 201 || !res.body.member) throw new Error(`add member: ${res.status} ${JSON.stringify(res.body)}`);
  return { api, user, token: api.token! };
}
