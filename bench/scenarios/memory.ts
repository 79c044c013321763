/**
 * Memory of idle sections: RSS of each server with K sections open (one idle client each) against
 * the same server before, and after every client left (Charter unloads a section when its last
 * client leaves). Same driver and systems as `coedit`.
 *
 *   node --import tsx bench/scenarios/memory.ts [--sections 200] [--systems charter,hocuspocus]
 */
import { memory, sleep, withTimeout, runIfMain } from '../lib/proc.js';
import { parseArgs, Report } from '../lib/report.js';
import { routesPresent } from '../lib/charter.js';
import { ALL_SYSTEMS, startSystem, type Client, type SystemName } from '../lib/systems.js';

const KB = 1024;

export async function main(argv: string[]): Promise<Report> {
  const args = parseArgs(argv);
  const sections = Number(args.sections ?? 300);
  let systems = typeof args.systems === 'string' ? (args.systems.split(',') as SystemName[]) : ALL_SYSTEMS;
  const settleMs = Number(args.settle ?? 2000);
  const report = new Report('memory', { sections, systems, settleMs });
  if (!routesPresent().collab && systems.includes('charter')) {
    systems = systems.filter((s) => s !== 'charter');
    report.notice('Charter skipped: server/src/collab/server.ts is still the placeholder');
  }
  for (const name of systems) {
    await report.quiet(name);
    const sys = await startSystem(name, sections, { writers: 0, readers: 1 });
    const clients: Client[] = [];
    try {
      // Warm the code paths with one section, so the baseline is a server that has served before.
      const warm = sys.connect(0, 'reader');
      await withTimeout(warm.synced, 30_000, `${name}: warm-up sync`);
      warm.destroy();
      await sleep(settleMs);
      const before = memory(sys.pid).rss;
      for (let s = 0; s < sections; s += 25) {
        const batch = Array.from({ length: Math.min(25, sections - s) }, (_, i) => sys.connect(s + i, 'reader'));
        clients.push(...batch);
        await withTimeout(Promise.all(batch.map((c) => c.synced)), 60_000, `${name}: sync of idle clients`);
      }
      await sleep(settleMs);
      const open = memory(sys.pid).rss;
      for (const c of clients.splice(0)) c.destroy();
      await sleep(settleMs + 1000);
      const after = memory(sys.pid).rss;
      const perOpen = (open - before) / sections / KB;
      const perClosed = (after - before) / sections / KB;
      console.log(
        `[memory] ${name}: RSS ${(before / KB / KB).toFixed(0)} MB → ${(open / KB / KB).toFixed(0)} MB with ${sections} idle sections open → ${(after / KB / KB).toFixed(0)} MB after they closed`,
      );
      report.add({
        metric: 'RSS per idle open section',
        system: name,
        unit: 'KB',
        value: perOpen,
        target: name === 'charter' ? { op: '<', bound: 200, label: '< 200 KB' } : undefined,
        note: `${sections} sections, 1 idle client each`,
      });
      report.add({ metric: 'RSS kept per section after all left', system: name, unit: 'KB', value: perClosed, note: 'RSS; V8 returns memory lazily' });
      report.raw[name] = { before, open, after };
    } finally {
      for (const c of clients) c.destroy();
      await sys.stop();
    }
  }
  return report;
}

await runIfMain(import.meta.url, main, 15 * 60_000);
