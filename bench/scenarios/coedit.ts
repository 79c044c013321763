/**
 * Co-editing load: N stock clients across M sections (per section: writers typing at a fixed rate,
 * one probe, listeners), the same driver against @y/websocket-server 0.1.1, Hocuspocus 3 with
 * SQLite, and Charter. Every server is a child process, so its CPU (/proc/<pid>/stat) is its own.
 *
 *   node --import tsx bench/scenarios/coedit.ts [--clients 100] [--sections 10] [--writers 3]
 *     [--listeners 6] [--rate 5] [--duration 15] [--rounds 3] [--systems charter,hocuspocus]
 *     [--sweep] [--sizes 100,300,1000] [--sweep-duration 10] [--cpu-prof]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { cpuSeconds, machineMeter, memory, repoRoot, sleep, waitUntil, withTimeout, runIfMain } from '../lib/proc.js';
import { max, median, parseArgs, quantile, Report } from '../lib/report.js';
import { routesPresent } from '../lib/charter.js';
import { ALL_SYSTEMS, startSystem, type Client, type SystemName, type SystemUnderTest } from '../lib/systems.js';

export interface LoadOptions {
  sections: number;
  writers: number;
  listeners: number;
  /** Updates per second per writer. */
  rate: number;
  durationMs: number;
}

export interface LoadResult {
  system: SystemName;
  connections: number;
  sent: number;
  /** Deliveries to probes and listeners over deliveries expected. */
  delivered: number;
  probeDelivered: number;
  p50: number;
  p99: number;
  max: number;
  serverCpuSeconds: number;
  /** Server CPU per sent update, in microseconds. */
  cpuPerUpdateUs: number;
  rssBefore: number;
  rssAfter: number;
  rssPeak: number;
  connectMs: number;
  reconnects: number;
  driverLagP99: number;
  driverCpuSeconds: number;
  convergedSections: number;
  /** Share of the machine's CPU used by other processes (not this server, not the driver) during the load. */
  othersBusy: number;
}

const MARK = /#(\d+);/g;

/** Runs one load against a started system and measures it. */
export async function runLoad(sys: SystemUnderTest, o: LoadOptions): Promise<LoadResult> {
  const perSection = o.writers + 1 + o.listeners;
  const writers: { section: number; client: Client; text?: Y.XmlText }[] = [];
  const receivers: { section: number; client: Client; got: Set<number>; probe: boolean }[] = [];
  const all: Client[] = [];
  const sentAt = new Map<number, number>();
  const sentBySection = new Array<number>(o.sections).fill(0);
  const latencies: number[] = [];
  try {
    // Connect in batches, as people arrive, and wait for every first sync.
    const t0 = performance.now();
    const plan: { section: number; role: 'writer' | 'probe' | 'listener' }[] = [];
    for (let s = 0; s < o.sections; s++) {
      for (let w = 0; w < o.writers; w++) plan.push({ section: s, role: 'writer' });
      plan.push({ section: s, role: 'probe' });
      for (let l = 0; l < o.listeners; l++) plan.push({ section: s, role: 'listener' });
    }
    const batch = 25;
    for (let i = 0; i < plan.length; i += batch) {
      const opened = plan.slice(i, i + batch).map((p) => {
        const client = sys.connect(p.section, p.role === 'writer' ? 'writer' : 'reader');
        all.push(client);
        if (p.role === 'writer') writers.push({ section: p.section, client });
        else receivers.push({ section: p.section, client, got: new Set(), probe: p.role === 'probe' });
        return client.synced;
      });
      await withTimeout(Promise.all(opened), 60_000, `${sys.name}: first sync of ${opened.length} clients`);
    }
    const connectMs = performance.now() - t0;

    // Each writer types into a paragraph of its own inside the editor's `content` fragment.
    for (const w of writers) {
      const frag = w.client.doc.getXmlFragment('content');
      const text = new Y.XmlText();
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [text]);
      frag.push([p]);
      w.text = text;
    }
    const expectedParagraphs = new Map<number, number>();
    for (const w of writers) expectedParagraphs.set(w.section, (expectedParagraphs.get(w.section) ?? 0) + 1);
    await waitUntil(
      () => receivers.every((r) => r.client.doc.getXmlFragment('content').length >= (expectedParagraphs.get(r.section) ?? 0)),
      15_000,
      50,
    );

    for (const r of receivers) {
      r.client.doc.getXmlFragment('content').observeDeep((events) => {
        const now = performance.now();
        for (const e of events) {
          if (!(e.target instanceof Y.XmlText)) continue;
          for (const d of e.delta) {
            if (typeof d.insert !== 'string') continue;
            for (const m of d.insert.matchAll(MARK)) {
              const id = Number(m[1]);
              if (r.got.has(id)) continue;
              r.got.add(id);
              if (r.probe) {
                const at = sentAt.get(id);
                if (at !== undefined) latencies.push(now - at);
              }
            }
          }
        }
      });
    }

    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const driverCpu0 = process.cpuUsage();
    const reconnects0 = all.reduce((n, c) => n + c.closes(), 0);
    const mem0 = memory(sys.pid);
    const cpu0 = cpuSeconds(sys.pid);
    const meter = machineMeter();
    let nextId = 1;
    const end = performance.now() + o.durationMs;
    const period = 1000 / o.rate;
    const timers: NodeJS.Timeout[] = [];
    for (const w of writers) {
      const tick = () => {
        if (performance.now() >= end) return;
        const id = nextId++;
        sentBySection[w.section]! += 1;
        sentAt.set(id, performance.now());
        w.text!.insert(w.text!.length, `#${id}; word `);
      };
      // Spread writers over the period so they do not all type on the same millisecond.
      timers.push(
        setTimeout(() => {
          tick();
          timers.push(setInterval(tick, period));
        }, Math.random() * period),
      );
    }
    await sleep(o.durationMs + period);
    for (const t of timers) clearTimeout(t);
    const sent = nextId - 1;

    // Drain: every receiver should end with every id of its section.
    await waitUntil(() => receivers.every((r) => r.got.size >= sentBySection[r.section]!), 15_000, 50);
    const cpu1 = cpuSeconds(sys.pid);
    const mem1 = memory(sys.pid);
    const driverCpu = process.cpuUsage(driverCpu0);
    const machine = meter.stop();
    lag.disable();

    const expected = receivers.reduce((n, r) => n + sentBySection[r.section]!, 0);
    const got = receivers.reduce((n, r) => n + Math.min(r.got.size, sentBySection[r.section]!), 0);
    const probes = receivers.filter((r) => r.probe);
    const probeExpected = probes.reduce((n, r) => n + sentBySection[r.section]!, 0);
    const probeGot = probes.reduce((n, r) => n + Math.min(r.got.size, sentBySection[r.section]!), 0);

    // Convergence: every client of a section ends with the same content.
    let converged = 0;
    for (let s = 0; s < o.sections; s++) {
      const docs = [...writers.filter((w) => w.section === s).map((w) => w.client.doc), ...receivers.filter((r) => r.section === s).map((r) => r.client.doc)];
      const first = docs[0]!.getXmlFragment('content').toString();
      if (docs.every((d) => d.getXmlFragment('content').toString() === first)) converged++;
    }

    const serverCpu = cpu1 - cpu0;
    return {
      system: sys.name,
      connections: o.sections * perSection,
      sent,
      delivered: expected ? got / expected : NaN,
      probeDelivered: probeExpected ? probeGot / probeExpected : NaN,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: max(latencies),
      serverCpuSeconds: serverCpu,
      cpuPerUpdateUs: sent ? (serverCpu / sent) * 1e6 : NaN,
      rssBefore: mem0.rss,
      rssAfter: mem1.rss,
      rssPeak: mem1.peak,
      connectMs,
      reconnects: all.reduce((n, c) => n + c.closes(), 0) - reconnects0,
      driverLagP99: lag.percentile(99) / 1e6,
      driverCpuSeconds: (driverCpu.user + driverCpu.system) / 1e6,
      convergedSections: converged,
      othersBusy: Math.max(0, machine.cpuSeconds - (cpu1 - cpu0) - (driverCpu.user + driverCpu.system) / 1e6) / (machine.wallSeconds * machine.cores),
    };
  } finally {
    for (const c of all) {
      try {
        c.destroy();
      } catch {
        /* closing anyway */
      }
    }
  }
}

function parseSystems(v: unknown): SystemName[] {
  if (typeof v !== 'string') return ALL_SYSTEMS;
  const names = v.split(',').map((s) => s.trim()) as SystemName[];
  for (const n of names) if (!ALL_SYSTEMS.includes(n)) throw new Error(`unknown system ${n}; use ${ALL_SYSTEMS.join(', ')}`);
  return names;
}

const MB = 1024 * 1024;

function describe(res: LoadResult): string {
  return (
    `${res.system} @${res.connections}: sent ${res.sent}, delivered ${(res.delivered * 100).toFixed(2)}%, ` +
    `p50 ${res.p50.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms, max ${res.max.toFixed(1)} ms, server CPU ${res.serverCpuSeconds.toFixed(2)} s ` +
    `(${res.cpuPerUpdateUs.toFixed(0)} µs/update), RSS ${(res.rssAfter / MB).toFixed(0)} MB, driver lag p99 ${res.driverLagP99.toFixed(1)} ms, ` +
    `reconnects ${res.reconnects}, other processes ${(res.othersBusy * 100).toFixed(0)}%`
  );
}

/**
 * Runs one measurement after waiting for a quiet machine. When other sessions' work took more
 * than `maxOthers` of the machine during it, measures again (at most `retries` times) rather
 * than report their noise as this server's latency.
 */
async function measureQuietly(report: Report, label: string, o: { maxOthers: number; retries: number }, run: () => Promise<LoadResult>): Promise<LoadResult> {
  for (let attempt = 0; ; attempt++) {
    await report.quiet(label);
    const res = await run();
    console.log(`[coedit] ${label} ${describe(res)}`);
    await sleep(500);
    if (res.othersBusy <= o.maxOthers || attempt >= o.retries) return res;
    console.log(`[coedit] ${label}: other processes used ${(res.othersBusy * 100).toFixed(0)}% of the machine meanwhile; measuring again`);
  }
}

export async function main(argv: string[]): Promise<Report> {
  const args = parseArgs(argv);
  const writersPer = Number(args.writers ?? 3);
  const listenersPer = Number(args.listeners ?? 6);
  const perSection = writersPer + 1 + listenersPer;
  const sections = Number(args.sections ?? Math.max(1, Math.round(Number(args.clients ?? 100) / perSection)));
  const load: LoadOptions = {
    sections,
    writers: writersPer,
    listeners: listenersPer,
    rate: Number(args.rate ?? 5),
    durationMs: Number(args.duration ?? 15) * 1000,
  };
  const rounds = Number(args.rounds ?? 2);
  const maxOthers = Number(args['max-others'] ?? 0.2);
  const retries = Number(args.retries ?? 2);
  let systems = parseSystems(args.systems);
  const skipped: string[] = [];
  if (!routesPresent().collab && systems.includes('charter')) {
    systems = systems.filter((s) => s !== 'charter');
    skipped.push('Charter skipped: server/src/collab/server.ts is still the placeholder');
  }
  const cpuProf = args['cpu-prof'] === true;
  const profDir = join(repoRoot, 'bench/results/profiles');
  if (cpuProf) mkdirSync(profDir, { recursive: true });
  const report = new Report('coedit', { ...load, rounds, systems, clients: sections * perSection, sweep: args.sweep === true });
  for (const s of skipped) report.notice(s);
  const nodeArgsFor = (name: SystemName) => (cpuProf && name === 'charter' ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []);

  const results: Record<SystemName, LoadResult[]> = { 'y-websocket-server': [], hocuspocus: [], charter: [] };
  // Rounds interleave the systems, so slow drift of a noisy machine hits all of them alike.
  for (let r = 0; r < rounds; r++) {
    for (const name of systems) {
      const res = await measureQuietly(report, `round ${r + 1}/${rounds}`, { maxOthers, retries }, async () => {
        const sys = await startSystem(name, sections, { writers: writersPer, readers: 1 + listenersPer }, { nodeArgs: nodeArgsFor(name) });
        try {
          return await runLoad(sys, load);
        } finally {
          await sys.stop();
        }
      });
      results[name].push(res);
    }
  }
  report.raw.rounds = results;

  const n = sections * perSection;
  for (const name of systems) {
    const rs = results[name];
    const isCharter = name === 'charter';
    const pick = (f: (x: LoadResult) => number) => rs.map(f);
    report.addRounds({
      metric: `delivered @${n}`,
      system: name,
      unit: '%',
      rounds: pick((x) => x.delivered * 100),
      target: isCharter ? { op: '>=', bound: 100, label: '100 %' } : undefined,
    });
    report.addRounds({ metric: `p50 @${n}`, system: name, unit: 'ms', rounds: pick((x) => x.p50) });
    report.addRounds({
      metric: `p99 @${n}`,
      system: name,
      unit: 'ms',
      rounds: pick((x) => x.p99),
      target: isCharter ? { op: '<', bound: 50, label: '< 50 ms' } : undefined,
    });
    report.addRounds({ metric: `max @${n}`, system: name, unit: 'ms', rounds: pick((x) => x.max) });
    report.addRounds({ metric: 'server CPU', system: name, unit: 's', rounds: pick((x) => x.serverCpuSeconds) });
    report.addRounds({ metric: 'CPU per update', system: name, unit: 'µs', rounds: pick((x) => x.cpuPerUpdateUs) });
    report.addRounds({ metric: 'server RSS after load', system: name, unit: 'MB', rounds: pick((x) => x.rssAfter / MB) });
    report.addRounds({ metric: 'updates sent', system: name, unit: '', rounds: pick((x) => x.sent) });
    report.addRounds({ metric: 'driver event-loop lag p99', system: name, unit: 'ms', rounds: pick((x) => x.driverLagP99) });
    report.addRounds({ metric: 'reconnects', system: name, unit: '', rounds: pick((x) => x.reconnects) });
    report.addRounds({ metric: 'other processes during load', system: name, unit: '%', rounds: pick((x) => x.othersBusy * 100) });
  }

  // Ratios of medians, and per round (same round = same machine conditions).
  const cpuOf = (name: SystemName) => median(results[name].map((x) => x.cpuPerUpdateUs));
  const p99Of = (name: SystemName) => median(results[name].map((x) => x.p99));
  if (systems.includes('charter') && systems.includes('y-websocket-server')) {
    report.add({
      metric: 'CPU/update ratio',
      system: 'charter / y-websocket-server',
      unit: 'x',
      value: cpuOf('charter') / cpuOf('y-websocket-server'),
      target: { op: '<=', bound: 1.5, label: '<= 1.5x' },
      note: perRoundRatio(results.charter, results['y-websocket-server']),
    });
  }
  if (systems.includes('charter') && systems.includes('hocuspocus')) {
    report.add({
      metric: 'CPU/update ratio',
      system: 'charter / hocuspocus',
      unit: 'x',
      value: cpuOf('charter') / cpuOf('hocuspocus'),
      target: { op: '<', bound: 1, label: '< 1x' },
      note: perRoundRatio(results.charter, results.hocuspocus),
    });
    report.add({
      metric: 'p99 ratio',
      system: 'charter / hocuspocus',
      unit: 'x',
      value: p99Of('charter') / p99Of('hocuspocus'),
      target: { op: '<', bound: 1, label: '< 1x' },
    });
  }

  if (args.sweep === true) await sweep(report, systems, args, { writers: writersPer, listeners: listenersPer, rate: load.rate }, nodeArgsFor);
  return report;
}

function perRoundRatio(a: LoadResult[], b: LoadResult[]): string {
  return a
    .map((x, i) => (b[i] ? (x.cpuPerUpdateUs / b[i]!.cpuPerUpdateUs).toFixed(2) : ''))
    .filter(Boolean)
    .join(' / ') + ' per round';
}

/** Scale-up: the same per-section mix at more connections (more sections), once per size. */
async function sweep(
  report: Report,
  systems: SystemName[],
  args: Record<string, unknown>,
  mix: { writers: number; listeners: number; rate: number },
  nodeArgsFor: (n: SystemName) => string[],
): Promise<void> {
  const sizes = String(args.sizes ?? '100,300,1000')
    .split(',')
    .map(Number)
    .filter((x) => x > 0);
  const perSection = mix.writers + 1 + mix.listeners;
  const durationMs = Number(args['sweep-duration'] ?? 10) * 1000;
  const sweepRounds = Number(args['sweep-rounds'] ?? 1);
  const found: Record<string, LoadResult[]> = {};
  const quietOpts = { maxOthers: Number(args['max-others'] ?? 0.2), retries: Number(args.retries ?? 2) };
  for (const size of sizes) {
    const sections = Math.max(1, Math.round(size / perSection));
    for (let r = 0; r < sweepRounds; r++) {
      for (const name of systems) {
        const res = await measureQuietly(report, `sweep ${size}`, quietOpts, async () => {
          const sys = await startSystem(name, sections, { writers: mix.writers, readers: 1 + mix.listeners }, { nodeArgs: nodeArgsFor(name) });
          try {
            return await runLoad(sys, { sections, writers: mix.writers, listeners: mix.listeners, rate: mix.rate, durationMs });
          } finally {
            await sys.stop();
          }
        });
        (found[`${name}@${size}`] ??= []).push(res);
      }
    }
  }
  report.raw.sweep = found;
  for (const name of systems) {
    let breaks = NaN;
    for (const size of sizes) {
      const rs = found[`${name}@${size}`] ?? [];
      const isCharter1000 = name === 'charter' && size === 1000;
      report.addRounds({
        metric: `sweep delivered @${size}`,
        system: name,
        unit: '%',
        rounds: rs.map((x) => x.delivered * 100),
        target: isCharter1000 ? { op: '>=', bound: 100, label: '100 %' } : undefined,
      });
      const p99 = median(rs.map((x) => x.p99));
      report.addRounds({
        metric: `sweep p99 @${size}`,
        system: name,
        unit: 'ms',
        rounds: rs.map((x) => x.p99),
        target: isCharter1000 ? { op: '<', bound: 250, label: '< 250 ms' } : undefined,
      });
      report.addRounds({ metric: `sweep CPU/update @${size}`, system: name, unit: 'µs', rounds: rs.map((x) => x.cpuPerUpdateUs) });
      report.addRounds({ metric: `sweep driver lag p99 @${size}`, system: name, unit: 'ms', rounds: rs.map((x) => x.driverLagP99) });
      if (Number.isNaN(breaks) && p99 > 100) breaks = size;
    }
    report.add({
      metric: 'p99 first over 100 ms at',
      system: name,
      unit: 'conns',
      value: breaks,
      note: Number.isNaN(breaks) ? `never up to ${sizes.at(-1)}` : '',
    });
  }
}

await runIfMain(import.meta.url, main, 30 * 60_000);
