/**
 * Cold load: one section whose update log holds 20,000 separate updates (one paragraph each),
 * written with the server's own persistence API while no server runs; then a fresh server
 * process and a fresh stock client, timed until the client is synced and holds every paragraph.
 * Then the same after the server compacted the log, and the stored bytes against the encoded state.
 *
 *   node --import tsx bench/scenarios/coldload.ts [--paragraphs 20000] [--rounds 3]
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openStore } from '../../server/src/db/index.js';
import { appendSectionUpdate, loadSectionDoc } from '../../server/src/collab/persistence.js';
import { createCharter, register, routesPresent, startCharter, tempDir, type CharterProcess } from '../lib/charter.js';
import { HttpClient } from '../lib/http.js';
import { cpuSeconds, memory, repoRoot, waitUntil, runIfMain } from '../lib/proc.js';
import { parseArgs, Report } from '../lib/report.js';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { collabServerPath } from '@charter/shared/collab';

const dbFile = (dir: string) => join(dir, 'charter.db');

interface Prepared {
  dir: string;
  charterId: string;
  sectionId: string;
  token: string;
  paragraphs: number;
  encodedState: number;
  logRows: number;
}

/** Creates the charter over HTTP, stops the server, then appends the paragraphs one update at a time. */
async function prepare(paragraphs: number): Promise<Prepared> {
  const server = await startCharter();
  let charterId: string, sectionId: string, token: string;
  try {
    const account = await register(server.url, 'coldload');
    const api = new HttpClient(server.url, account.token);
    const charter = await createCharter(api, 'Cold-load benchmark');
    api.close();
    charterId = charter.id;
    sectionId = charter.sections[0]!.id;
    token = account.token;
  } finally {
    await server.stop({ keep: true });
  }
  const store = openStore(dbFile(server.dataDir));
  try {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, loadSectionDoc(store, sectionId).state);
    const frag = doc.getXmlFragment('content');
    let pending: Uint8Array | undefined;
    doc.on('update', (u: Uint8Array) => (pending = u));
    const chunk = 1000;
    for (let i = 0; i < paragraphs; i += chunk) {
      // Rows are separate updates; committing them a thousand at a time only saves fsync time.
      store.tx(() => {
        for (let j = i; j < Math.min(paragraphs, i + chunk); j++) {
          const p = new Y.XmlElement('paragraph');
          p.insert(0, [new Y.XmlText(`Paragraph ${j + 1}: the working group agrees that survivors are heard first, and that every referral is followed up within a week.`)]);
          frag.push([p]);
          appendSectionUpdate(store, sectionId, pending!);
          pending = undefined;
        }
      });
    }
    const logRows = (store.db.prepare('SELECT COUNT(*) AS n FROM section_updates WHERE section_id = ?').get(sectionId) as { n: number }).n;
    const result = { dir: server.dataDir, charterId, sectionId, token, paragraphs: frag.length, encodedState: Y.encodeStateAsUpdate(doc).byteLength, logRows };
    doc.destroy();
    return result;
  } finally {
    store.close();
  }
}

/** Opens a stock client and times it until it is synced and holds `paragraphs` paragraphs. */
async function timeColdLoad(server: CharterProcess, p: Prepared): Promise<{ ms: number; serverCpu: number; encoded: number; ok: boolean }> {
  const doc = new Y.Doc();
  const cpu0 = cpuSeconds(server.pid);
  const t0 = performance.now();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}${collabServerPath(p.charterId)}`, p.sectionId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: p.token },
    disableBc: true,
    resyncInterval: -1,
  });
  let done = NaN;
  const check = () => {
    if (Number.isNaN(done) && provider.synced && doc.getXmlFragment('content').length >= p.paragraphs) done = performance.now() - t0;
  };
  doc.on('update', check);
  provider.on('sync', check);
  const ok = await waitUntil(() => (check(), !Number.isNaN(done)), 60_000, 2);
  const serverCpu = cpuSeconds(server.pid) - cpu0;
  const encoded = Y.encodeStateAsUpdate(doc).byteLength;
  provider.destroy();
  doc.destroy();
  return { ms: done, serverCpu, encoded, ok };
}

/** Bytes a section occupies in storage: its state row plus its remaining log rows. */
function storedBytes(dir: string, sectionId: string): { state: number; log: number; rows: number } {
  const store = openStore(dbFile(dir));
  try {
    const s = store.db.prepare('SELECT length(state) AS n FROM section_docs WHERE section_id = ?').get(sectionId) as { n: number };
    const u = store.db.prepare('SELECT COALESCE(SUM(length(data)), 0) AS n, COUNT(*) AS c FROM section_updates WHERE section_id = ?').get(sectionId) as {
      n: number;
      c: number;
    };
    return { state: s.n, log: u.n, rows: u.c };
  } finally {
    store.close();
  }
}

export async function main(argv: string[]): Promise<Report> {
  const args = parseArgs(argv);
  const paragraphs = Number(args.paragraphs ?? 20_000);
  const rounds = Number(args.rounds ?? 2);
  const cpuProf = args['cpu-prof'] === true;
  const profDir = join(repoRoot, 'bench/results/profiles');
  const report = new Report('coldload', { paragraphs, rounds });
  if (!routesPresent().collab) {
    report.notice('skipped: server/src/collab/server.ts is still the placeholder');
    return report;
  }
  const prepared = await prepare(paragraphs);
  console.log(`[coldload] log holds ${prepared.logRows} update rows; ${prepared.paragraphs} paragraphs; encoded state ${prepared.encodedState} bytes`);
  const logLoads: number[] = [];
  const logCpu: number[] = [];
  const compactedLoads: number[] = [];
  const ratios: number[] = [];
  const stored: number[] = [];
  const startups: number[] = [];
  let failures = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      const dir = tempDir('coldload');
      cpSync(prepared.dir, dir, { recursive: true });
      try {
        // 1. Fresh process, the whole 20,000-row log to merge.
        await report.quiet(`round ${r + 1}`);
        const t0 = performance.now();
        let server = await startCharter({ dataDir: dir, nodeArgs: cpuProf && r === 0 ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [] });
        startups.push(performance.now() - t0);
        const first = await timeColdLoad(server, prepared);
        if (!first.ok) failures++;
        logLoads.push(first.ms);
        logCpu.push(first.serverCpu);
        // The last client left: the room unloads and compacts. A graceful stop flushes the rest.
        await waitUntil(() => false, 500);
        await server.stop({ keep: true });
        const bytes = storedBytes(dir, prepared.sectionId);
        stored.push(bytes.state + bytes.log);
        ratios.push((bytes.state + bytes.log) / first.encoded);
        console.log(
          `[coldload] round ${r + 1}: 20k-row log → client in ${first.ms.toFixed(0)} ms (server CPU ${first.serverCpu.toFixed(2)} s, RSS ${(memory('self').rss / 1048576).toFixed(0)} MB driver); ` +
            `stored after compaction ${bytes.state} + ${bytes.log} bytes in ${bytes.rows} log rows vs encoded ${first.encoded}`,
        );
        // 2. Fresh process again, now on the compacted state.
        server = await startCharter({ dataDir: dir });
        const second = await timeColdLoad(server, prepared);
        if (!second.ok) failures++;
        compactedLoads.push(second.ms);
        await server.stop({ keep: true });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(prepared.dir, { recursive: true, force: true });
  }
  Object.assign(report.raw, { prepared: { ...prepared, token: undefined }, logLoads, logCpu, compactedLoads, stored, ratios, startups });
  report.addRounds({ metric: `cold load, ${paragraphs} updates in log`, system: 'charter', unit: 'ms', rounds: logLoads, target: { op: '<', bound: 1000, label: '< 1 s' } });
  report.addRounds({ metric: 'server CPU for that load', system: 'charter', unit: 's', rounds: logCpu });
  report.addRounds({ metric: 'cold load, compacted', system: 'charter', unit: 'ms', rounds: compactedLoads, target: { op: '<', bound: 1000, label: '< 1 s' } });
  report.addRounds({ metric: 'server start to listening', system: 'charter', unit: 'ms', rounds: startups });
  report.add({ metric: 'encoded state (Y.encodeStateAsUpdate)', system: 'charter', unit: 'B', value: prepared.encodedState });
  report.addRounds({ metric: 'stored after compaction', system: 'charter', unit: 'B', rounds: stored });
  report.addRounds({ metric: 'stored / encoded state', system: 'charter', unit: 'x', rounds: ratios, target: { op: '<', bound: 2, label: '< 2x' } });
  if (failures) report.notice(`${failures} load(s) did not complete within 60 s`);
  return report;
}


await runIfMain(import.meta.url, main, 20 * 60_000);
