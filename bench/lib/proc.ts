import { spawn, execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/ → ../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const children = new Set<ChildProcess>();
/** Children started as leaders of their own process group: killing the group ends their children too. */
const groups = new Set<ChildProcess>();
let cleanupInstalled = false;
const tempDirs = new Set<string>();

/** Removes `dir` when this process exits, however it exits (unless `forget` is called first). */
export function removeAtExit(dir: string): { forget(): void } {
  tempDirs.add(dir);
  return { forget: () => void tempDirs.delete(dir) };
}

function removeTempDirs(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Asks every child (and its group) to stop, waits up to `graceMs`, then kills what is left. */
async function stopAllChildren(graceMs: number): Promise<void> {
  const alive = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of alive) {
    try {
      if (groups.has(child) && child.pid) process.kill(-child.pid, 'SIGTERM');
      else child.kill('SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const end = Date.now() + graceMs;
  while (Date.now() < end && alive.some((c) => c.exitCode === null && c.signalCode === null)) await sleep(50);
  killAllChildren();
}

/** Kills every child this process started (SIGKILL: nothing of a benchmark is worth waiting for at exit). */
export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        if (groups.has(child) && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  children.clear();
  groups.clear();
}

/**
 * Makes sure no child outlives this process, whatever ends it: normal exit, an error, Ctrl-C, or
 * the watchdog that stops a scenario which runs far past its budget.
 */
export function installCleanup(watchdogMs = 15 * 60_000, graceMs = 3_000): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    killAllChildren();
    removeTempDirs();
  });
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n[bench] ${sig}: stopping every child process`);
      void stopAllChildren(graceMs).finally(() => process.exit(130));
    });
  }
  process.on('uncaughtException', (err) => {
    console.error('[bench] uncaught exception:', err);
    killAllChildren();
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error('[bench] unhandled rejection:', err);
    killAllChildren();
    process.exit(1);
  });
  const dog = setTimeout(() => {
    console.error(`[bench] watchdog: still running after ${Math.round(watchdogMs / 1000)} s, giving up`);
    killAllChildren();
    process.exit(2);
  }, watchdogMs);
  dog.unref();
}

/**
 * Spawns a child that is killed when this process ends. Output is collected (bounded) for error
 * messages. With `group`, the child leads a process group of its own, and the whole group (its
 * own children included) is killed.
 */
export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions & { group?: boolean } = {}): ChildProcess & { output(): string } {
  const { group, ...spawnOpts } = opts;
  const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts, detached: group === true }) as ChildProcess & { output(): string };
  children.add(child);
  if (group) groups.add(child);
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('exit', () => {
    children.delete(child);
    groups.delete(child);
  });
  child.output = () => out;
  return child;
}

/** Resolves with the first match of `re` in the child's output (stdout or stderr), or rejects on exit or timeout. */
export function waitForOutput(child: ChildProcess & { output(): string }, re: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolveMatch, reject) => {
    const check = () => {
      const m = child.output().match(re);
      if (m) {
        done();
        resolveMatch(m);
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${re} from pid ${child.pid}:\n${child.output().slice(-3000)}`));
    }, timeoutMs);
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`process ${child.pid} exited (${code ?? signal}) before ${re}:\n${child.output().slice(-3000)}`));
    };
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

/** Sends `signal`, then SIGKILL after `graceMs`; resolves when the child is gone. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r();
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      r();
    });
    child.kill(signal);
  });
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds a process has used so far, from /proc/<pid>/stat (utime + stime). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return (utime + stime) / ticksPerSecond();
}

/** Resident memory of a process, in bytes: current (VmRSS) and peak (VmHWM). */
export function memory(pid: number | 'self'): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Load average of the last minute and the number of cores, to judge how quiet the machine was. */
export function machineLoad(): { load1: number; cores: number } {
  const load1 = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const cores = readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length;
  return { load1, cores };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Rejects after `ms` with `what` in the message unless `p` settles first. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `cond` every `everyMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(cond: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (cond()) return true;
    await sleep(everyMs);
  }
  return cond();
}

function cpuTotals(): { idle: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { idle, total: fields.reduce((a, b) => a + b, 0) };
}

/** Fraction of the machine's CPU (all cores) busy over the next `ms`. */
export async function machineBusy(ms = 1000): Promise<number> {
  const a = cpuTotals();
  await sleep(ms);
  const b = cpuTotals();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/**
 * Waits (at most `maxWaitMs`) until other work on this shared machine leaves it nearly idle:
 * `quietSeconds` consecutive one-second samples under `maxBusy`. Returns the last sample, so
 * results can say how quiet it was. BENCH_NO_WAIT=1 skips the wait.
 */
export async function waitForQuiet(label: string, maxBusy = 0.15, maxWaitMs = 90_000, quietSeconds = 2): Promise<number> {
  if (process.env.BENCH_NO_WAIT === '1') return machineBusy(500);
  const end = Date.now() + maxWaitMs;
  let quiet = 0;
  let busy = 1;
  let told = false;
  while (Date.now() < end) {
    busy = await machineBusy(1000);
    quiet = busy < maxBusy ? quiet + 1 : 0;
    if (quiet >= quietSeconds) return busy;
    if (!told && busy >= maxBusy) {
      console.log(`[bench] ${label}: waiting for the machine to quiet down (${Math.round(busy * 100)}% busy)`);
      told = true;
    }
  }
  console.warn(`[bench] ${label}: machine still ${Math.round(busy * 100)}% busy after ${Math.round(maxWaitMs / 1000)} s; measuring anyway`);
  return busy;
}

/** Starts measuring the whole machine's CPU; `stop()` gives the CPU-seconds spent by everything meanwhile and the wall time. */
export function machineMeter(): { stop(): { cpuSeconds: number; wallSeconds: number; cores: number } } {
  const a = cpuTotals();
  const t0 = performance.now();
  return {
    stop() {
      const b = cpuTotals();
      const ticks = ticksPerSecond();
      return { cpuSeconds: (b.total - a.total - (b.idle - a.idle)) / ticks, wallSeconds: (performance.now() - t0) / 1000, cores: machineLoad().cores };
    },
  };
}

/**
 * Runs a scenario on its own when its file is the entry point
 * (`node --import tsx bench/scenarios/<name>.ts`): cleanup and watchdog, the table, the JSON file.
 */
export async function runIfMain(
  moduleUrl: string,
  main: (argv: string[]) => Promise<{ print(): void; save(): string }>,
  watchdogMs: number,
): Promise<void> {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  installCleanup(watchdogMs);
  process.setMaxListeners(0);
  const report = await main(process.argv.slice(2));
  report.print();
  console.log(`results: ${report.save()}`);
  process.exit(0);
}
