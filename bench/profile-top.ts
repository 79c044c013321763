/**
 * Prints the heaviest frames of a V8 .cpuprofile (as written by `node --cpu-prof`): self time
 * and total (inclusive) time per function, so a miss can be traced to its cause.
 *
 *   node --import tsx bench/profile-top.ts bench/results/profiles/<file>.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from './lib/report.js';
import { repoRoot } from './lib/proc.js';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function topFrames(profile: Profile, top = 25): { self: [string, number][]; total: [string, number][]; totalMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0));
  }
  const name = (n: Node) => {
    const f = n.callFrame;
    const url = f.url ? relative(repoRoot, f.url.replace(/^file:\/\//, '')).replace(/^node_modules\/\.pnpm\/[^/]+\/node_modules\//, '') : '';
    return `${f.functionName || '(anonymous)'} ${url ? `${url}:${f.lineNumber + 1}` : ''}`.trim();
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    self.set(name(n), (self.get(name(n)) ?? 0) + us);
    // Inclusive: count each distinct function once per sample stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const sort = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => [k, v / 1000] as [string, number]);
  return { self: sort(self), total: sort(total), totalMs: (profile.endTime - profile.startTime) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = parseArgs(process.argv.slice(2));
  const file = process.argv.slice(2).find((a) => a.endsWith('.cpuprofile'));
  if (!file) throw new Error('give a .cpuprofile file');
  const { self, total, totalMs } = topFrames(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(args.top ?? 25));
  console.log(`profile: ${file} (${totalMs.toFixed(0)} ms)\n\nself time:`);
  for (const [k, v] of self) console.log(`  ${v.toFixed(1).padStart(9)} ms  ${k}`);
  console.log('\ntotal time:');
  for (const [k, v] of total) console.log(`  ${v.toFixed(1).padStart(9)} ms  ${k}`);
}
