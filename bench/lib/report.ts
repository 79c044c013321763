import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineLoad, repoRoot, waitForQuiet } from './proc.js';

/** The value at quantile `q` (0..1) of `values` (nearest rank on a sorted copy); NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const max = (values: readonly number[]) => (values.length ? values.reduce((a, b) => (b > a ? b : a), -Infinity) : NaN);

/** A target from the issue: `value` passes when it is `<` / `<=` / `>=` the bound. */
export interface Target {
  op: '<' | '<=' | '>=' | '==';
  bound: number;
  /** How the target reads in the table, e.g. "< 50 ms". */
  label: string;
}

export interface Row {
  scenario: string;
  metric: string;
  system: string;
  /** Median over rounds (or the single measurement). */
  value: number;
  unit: string;
  /** Every round's value, when there were several. */
  rounds?: number[];
  target?: Target;
  verdict?: 'PASS' | 'FAIL';
  note?: string;
}

export function judge(value: number, target: Target): 'PASS' | 'FAIL' {
  if (!Number.isFinite(value)) return 'FAIL';
  switch (target.op) {
    case '<':
      return value < target.bound ? 'PASS' : 'FAIL';
    case '<=':
      return value <= target.bound ? 'PASS' : 'FAIL';
    case '>=':
      return value >= target.bound ? 'PASS' : 'FAIL';
    case '==':
      return value === target.bound ? 'PASS' : 'FAIL';
  }
}

/** Collects a scenario's rows and notices, prints them as a table and writes them as JSON. */
export class Report {
  readonly rows: Row[] = [];
  readonly notices: string[] = [];
  readonly raw: Record<string, unknown> = {};
  private readonly startedAt = new Date();
  private readonly loadAtStart = machineLoad();

  constructor(
    readonly scenario: string,
    readonly params: Record<string, unknown>,
  ) {}

  add(row: Omit<Row, 'scenario' | 'verdict'> & { target?: Target }): Row {
    const full: Row = { scenario: this.scenario, ...row };
    if (row.target) full.verdict = judge(row.value, row.target);
    this.rows.push(full);
    return full;
  }

  /** Adds a row whose value is the median of `rounds`. */
  addRounds(row: Omit<Row, 'scenario' | 'verdict' | 'value' | 'rounds'> & { rounds: number[] }): Row {
    return this.add({ ...row, value: median(row.rounds), rounds: row.rounds.length > 1 ? row.rounds : undefined });
  }

  /** How busy the machine was (other work) just before each measurement. */
  readonly background: { label: string; busy: number }[] = [];

  /** Waits for a quiet machine before a measurement and records how quiet it got. */
  async quiet(label: string): Promise<void> {
    const busy = await waitForQuiet(`${this.scenario} ${label}`);
    this.background.push({ label, busy: Math.round(busy * 1000) / 1000 });
  }

  notice(text: string): void {
    this.notices.push(text);
    console.log(`[${this.scenario}] NOTICE: ${text}`);
  }

  print(): void {
    printTable(`${this.scenario}`, this.rows);
    const busy = this.background.map((b) => b.busy);
    if (busy.length) console.log(`  other work on the machine before measurements: median ${Math.round(median(busy) * 100)}%, max ${Math.round(max(busy) * 100)}% of ${machineLoad().cores} cores`);
    for (const n of this.notices) console.log(`  notice: ${n}`);
  }

  /** Writes bench/results/<scenario>-<time>.json and bench/results/<scenario>.json (latest); returns the latter's path. */
  save(): string {
    const dir = join(repoRoot, 'bench/results');
    mkdirSync(dir, { recursive: true });
    const body = JSON.stringify(
      {
        scenario: this.scenario,
        startedAt: this.startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        node: process.version,
        machine: { ...this.loadAtStart, loadAtEnd: machineLoad().load1 },
        params: this.params,
        rows: this.rows,
        notices: this.notices,
        background: this.background,
        raw: this.raw,
      },
      null,
      2,
    );
    const stamp = this.startedAt.toISOString().replace(/[:.]/g, '-');
    writeFileSync(join(dir, `${this.scenario}-${stamp}.json`), body);
    const latest = join(dir, `${this.scenario}.json`);
    writeFileSync(latest, body);
    return latest;
  }
}

/** Formats a number for the table: 3 significant digits, thousands kept whole. */
export function fmt(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  let s: string;
  if (abs >= 1000) s = Math.round(value).toLocaleString('en-US');
  else if (abs >= 100) s = value.toFixed(0);
  else if (abs >= 10) s = value.toFixed(1);
  else if (abs >= 1) s = value.toFixed(2);
  else if (abs === 0) s = '0';
  else s = value.toPrecision(2);
  return unit ? `${s} ${unit}` : s;
}

export function printTable(title: string, rows: readonly Row[]): void {
  const header = ['scenario', 'metric', 'system', 'median', 'target', 'verdict', 'rounds'];
  const lines = rows.map((r) => [
    r.scenario,
    r.metric,
    r.system,
    fmt(r.value, r.unit),
    r.target?.label ?? '',
    r.verdict ?? '',
    r.rounds ? r.rounds.map((v) => fmt(v)).join(' / ') : r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(`\n## ${title}\n`);
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const l of lines) console.log(line(l));
  console.log('');
}

/** Parses `--name value` and `--flag` arguments into an object (numbers as numbers). */
export function parseArgs(argv: string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    const raw = inline ?? (next !== undefined && !next.startsWith('--') ? (i++, next) : 'true');
    out[k] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}
