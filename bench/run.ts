/**
 * `pnpm bench [scenario...] [--flags]`: runs each named scenario (all by default) in a process
 * of its own, one after another, then prints every target with its verdict. Flags are passed to
 * every scenario (each ignores those it does not know).
 *
 *   pnpm bench                      # coedit coldload export signon client memory
 *   pnpm bench coedit --sweep       # plus the 100 / 300 / 1,000-connection sweep
 *   pnpm bench export signon --rounds 5
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCleanup, machineLoad, repoRoot, spawnTracked, stopChild } from './lib/proc.js';
import { printTable, type Row } from './lib/report.js';

export const SCENARIOS = ['coedit', 'coldload', 'export', 'signon', 'client', 'memory'] as const;
type Scenario = (typeof SCENARIOS)[number];

installCleanup(4 * 60 * 60_000, 6_000);
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void (interrupted = true));
const argv = process.argv.slice(2).filter((a) => a !== '--');
const named = argv.filter((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1]!.startsWith('--') || SCENARIOS.includes(a as Scenario)));
const flags = argv.filter((a) => !named.includes(a));
const unknown = named.filter((n) => !SCENARIOS.includes(n as Scenario));
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}. Known: ${SCENARIOS.join(', ')}`);
  process.exit(2);
}
const chosen: Scenario[] = named.length ? (named as Scenario[]) : [...SCENARIOS];

// One copy of yjs 13: two copies silently break sync between clients and servers.
const yjsCopies = readdirSync(join(repoRoot, 'node_modules/.pnpm')).filter((d) => d.startsWith('yjs@'));
if (yjsCopies.length !== 1) console.warn(`[bench] WARNING: ${yjsCopies.length} copies of yjs installed (${yjsCopies.join(', ')}): results may be wrong`);
const { load1, cores } = machineLoad();
console.log(`[bench] ${chosen.join(', ')} on ${cores} cores, load average ${load1.toFixed(2)}, node ${process.version}, yjs ${yjsCopies.join(', ')}`);
if (load1 > cores * 0.5) console.warn(`[bench] the machine is busy (load ${load1.toFixed(2)}): expect noisy figures`);

const started = Date.now();
const rows: Row[] = [];
const notices: string[] = [];
const failed: string[] = [];
for (const name of chosen) {
  const t0 = Date.now();
  console.log(`\n[bench] ── ${name} ──`);
  const child = spawnTracked(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/scenarios', `${name}.ts`), ...flags], { stdio: 'inherit', group: true });
  const limitMs = (flags.includes('--sweep') ? 60 : 20) * 60_000;
  const timer = setTimeout(() => {
    console.error(`[bench] ${name} ran past ${limitMs / 60_000} min: stopping it`);
    void stopChild(child, 'SIGTERM', 5_000);
  }, limitMs);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearTimeout(timer);
  // Interrupted: the cleanup handler is stopping everything; leave the last summary as it was.
  if (interrupted) await new Promise(() => {});
  const file = join(repoRoot, 'bench/results', `${name}.json`);
  let fresh = false;
  try {
    fresh = statSync(file).mtimeMs >= t0;
  } catch {
    fresh = false;
  }
  if (code !== 0 || !fresh) {
    failed.push(name);
    console.error(`[bench] ${name} failed (exit ${code})`);
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[]; notices: string[] };
  rows.push(...result.rows);
  notices.push(...result.notices.map((n) => `${name}: ${n}`));
  console.log(`[bench] ${name} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const keyRows = rows.filter((r) => r.target || r.system.includes(' / ') || /^(p99|CPU per update|p50) @?/.test(r.metric) || r.metric === 'CPU per update');
printTable(`summary (medians; ${((Date.now() - started) / 1000).toFixed(0)} s in all)`, keyRows);
for (const n of notices) console.log(`  notice: ${n}`);
const pass = keyRows.filter((r) => r.verdict === 'PASS').length;
const fail = keyRows.filter((r) => r.verdict === 'FAIL').length;
console.log(`\ntargets: ${pass} PASS, ${fail} FAIL${failed.length ? `; scenarios that did not finish: ${failed.join(', ')}` : ''}`);
const summary = JSON.stringify({ finishedAt: new Date().toISOString(), scenarios: chosen, flags, rows, notices, failed }, null, 2);
writeFileSync(join(repoRoot, 'bench/results/summary.json'), summary);
writeFileSync(join(repoRoot, 'bench/results', `summary-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`), summary);
process.exit(failed.length ? 1 : flags.includes('--strict') && fail ? 1 : 0);
