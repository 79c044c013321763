import { join } from 'node:path';
import { rmSync } from 'node:fs';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { addMember, createCharter, register, registerMany, startCharter, tempDir, type Account } from './charter.js';
import { HttpClient } from './http.js';
import { repoRoot, spawnTracked, stopChild, waitForOutput } from './proc.js';
import { collabServerPath } from '@charter/shared/collab';

export type SystemName = 'y-websocket-server' | 'hocuspocus' | 'charter';
export const ALL_SYSTEMS: SystemName[] = ['y-websocket-server', 'hocuspocus', 'charter'];

/** One simulated person's editor: a Y.Doc kept in sync by that system's own provider. */
export interface Client {
  doc: Y.Doc;
  /** Resolves once the first sync with the server completed. */
  synced: Promise<void>;
  /** Times the connection closed after opening (reconnects follow). */
  closes(): number;
  destroy(): void;
}

export type Role = 'writer' | 'reader';

/** A running server plus the means to open clients on its sections (0-based indexes). */
export interface SystemUnderTest {
  name: SystemName;
  pid: number;
  sections: number;
  connect(section: number, role: Role): Client;
  /** Section ids as the server knows them (room names). */
  sectionIds: string[];
  stop(): Promise<void>;
}

/** The Client of a provider: its doc, first sync, close count, and teardown of both. */
function clientHandle(doc: Y.Doc, synced: Promise<void>, closes: () => number, provider: { destroy(): void }): Client {
  return {
    doc,
    synced,
    closes,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

function webSocketClient(serverUrl: string, room: string, params: Record<string, string>): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    // Node has BroadcastChannel: without this, clients in one process would sync behind the server's back.
    disableBc: true,
    resyncInterval: -1,
    maxBackoffTime: 2500,
  });
  let closes = 0;
  provider.on('connection-close', () => void closes++);
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    const onSync = (isSynced: boolean) => {
      if (isSynced) {
        provider.off('sync', onSync);
        resolve();
      }
    };
    provider.on('sync', onSync);
  });
  return clientHandle(doc, synced, () => closes, provider);
}

function hocuspocusClient(url: string, room: string): Client {
  const doc = new Y.Doc();
  let closes = 0;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((r) => (markSynced = r));
  const provider = new HocuspocusProvider({
    url,
    name: room,
    document: doc,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    onSynced: ({ state }: { state: boolean }) => {
      if (state) markSynced();
    },
    onClose: () => void closes++,
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
  return clientHandle(doc, synced, () => closes, provider);
}

async function startReference(name: 'y-websocket-server' | 'hocuspocus', sections: number, nodeArgs: string[]): Promise<SystemUnderTest> {
  const dir = name === 'hocuspocus' ? tempDir('hocuspocus') : undefined;
  const script = join(repoRoot, 'bench/servers', `${name}.ts`);
  const args = [...nodeArgs, '--import', 'tsx', script, ...(dir ? [join(dir, 'hocuspocus.sqlite')] : [])];
  const child = spawnTracked(process.execPath, args);
  const m = await waitForOutput(child, /LISTENING (\d+)/, 60_000);
  const port = Number(m[1]);
  const tag = Date.now().toString(36);
  const sectionIds = Array.from({ length: sections }, (_, i) => `bench-${tag}-s${i}`);
  const url = `ws://127.0.0.1:${port}`;
  return {
    name,
    pid: child.pid!,
    sections,
    sectionIds,
    connect: (section) => (name === 'hocuspocus' ? hocuspocusClient(url, sectionIds[section]!) : webSocketClient(url, sectionIds[section]!, {})),
    stop: async () => {
      await stopChild(child, 'SIGTERM', 5_000);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Charter as a person uses it: a secretariat creates a charter from the template (plus sections up
 * to `sections`), drafters are assigned their sections (writers connect as them), observers read.
 * Each account holds well under the server's per-account connection cap.
 */
async function startCharterSystem(sections: number, perSection: { writers: number; readers: number }, nodeArgs: string[], env: Record<string, string>): Promise<SystemUnderTest> {
  const server = await startCharter({ nodeArgs, env });
  try {
    const secretariat = await register(server.url, 'secretariat');
    const api = new HttpClient(server.url, secretariat.token);
    const charter = await createCharter(api, 'Co-editing benchmark', sections);
    const sectionIds = charter.sections.slice(0, sections).map((s) => s.id);
    const cap = 40;
    const writerSpan = Math.max(1, Math.floor(cap / Math.max(1, perSection.writers)));
    const readerSpan = Math.max(1, Math.floor(cap / Math.max(1, perSection.readers)));
    const drafters = await registerMany(server.url, 'drafter', Math.ceil(sections / writerSpan));
    const observers = await registerMany(server.url, 'observer', Math.ceil(sections / readerSpan));
    for (let d = 0; d < drafters.length; d++) {
      await addMember(api, charter.id, drafters[d]!.email, 'drafter', sectionIds.slice(d * writerSpan, (d + 1) * writerSpan));
    }
    for (const o of observers) await addMember(api, charter.id, o.email, 'observer');
    api.close();
    const wsBase = `ws://127.0.0.1:${server.port}${collabServerPath(charter.id)}`;
    const tokenFor = (section: number, role: Role): Account =>
      role === 'writer' ? drafters[Math.floor(section / writerSpan)]! : observers[Math.floor(section / readerSpan)]!;
    return {
      name: 'charter',
      pid: server.pid,
      sections,
      sectionIds,
      connect: (section, role) => webSocketClient(wsBase, sectionIds[section]!, { token: tokenFor(section, role).token }),
      stop: () => server.stop(),
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

export function startSystem(
  name: SystemName,
  sections: number,
  perSection: { writers: number; readers: number },
  opts: { nodeArgs?: string[]; env?: Record<string, string> } = {},
): Promise<SystemUnderTest> {
  const nodeArgs = opts.nodeArgs ?? [];
  return name === 'charter' ? startCharterSystem(sections, perSection, nodeArgs, opts.env ?? {}) : startReference(name, sections, nodeArgs);
}
