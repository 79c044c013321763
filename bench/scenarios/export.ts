/**
 * Export: a charter of 50 sections (2,000 paragraphs with lists and links, written through the
 * collaboration endpoint as an editor would), finalised, 1,000 organisations signed on, then the
 * DOCX from GET /api/versions/:id/export.docx on a fresh server process: wall time, the
 * process's peak RSS (VmHWM; the export worker thread is part of the process), and how long
 * other requests wait while a document renders. Next to it, Debian's pandoc turning the same content (from the
 * version's own JSON, as HTML) into DOCX, timed with /usr/bin/time.
 *
 *   node --import tsx bench/scenarios/export.ts [--sections 50] [--paragraphs 2000] [--signatories 1000] [--rounds 5]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import { editorSchema, type JSONContent } from '@charter/shared/editor';
import { createCharter, register, registerMany, routesPresent, startCharter, tempDir } from '../lib/charter.js';
import { countParagraphs, sectionContent, toHtml } from '../lib/content.js';
import { HttpClient } from '../lib/http.js';
import { memory, repoRoot, sleep, waitUntil, withTimeout, runIfMain } from '../lib/proc.js';
import { median, parseArgs, quantile, Report } from '../lib/report.js';
import { postSignon, signonBody } from '../lib/signons.js';
import { collabServerPath } from '@charter/shared/collab';

const MB = 1024 * 1024;

/** Writes a section's content through the collaboration endpoint, as one editor's change, and waits until it is sent. */
async function writeSection(port: number, charterId: string, sectionId: string, token: string, content: JSONContent): Promise<void> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}${collabServerPath(charterId)}`, sectionId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
    resyncInterval: -1,
  });
  try {
    await withTimeout(
      new Promise<void>((r) => (provider.synced ? r() : provider.once('sync', () => r()))),
      30_000,
      `sync of section ${sectionId}`,
    );
    const source = prosemirrorJSONToYDoc(editorSchema(), content, 'content');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
    source.destroy();
    const ws = provider.ws as unknown as { bufferedAmount: number } | null;
    await waitUntil(() => (ws?.bufferedAmount ?? 0) === 0, 10_000, 10);
    await sleep(50);
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

function pandocAvailable(): string | undefined {
  try {
    return execFileSync('pandoc', ['--version']).toString().split('\n')[0];
  } catch {
    return undefined;
  }
}

/** Runs pandoc under /usr/bin/time: wall seconds and max RSS. */
function runPandoc(html: string, out: string): { ms: number; peak: number } {
  const hasTime = existsSync('/usr/bin/time');
  const started = performance.now();
  const res = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'BENCH_TIME %e %M', 'pandoc', '--toc', '-f', 'html', '-t', 'docx', '-o', out, html], { encoding: 'utf8', timeout: 300_000 })
    : spawnSync('pandoc', ['--toc', '-f', 'html', '-t', 'docx', '-o', out, html], { encoding: 'utf8', timeout: 300_000 });
  const ms = performance.now() - started;
  if (res.status !== 0) throw new Error(`pandoc failed: ${res.stderr}`);
  const m = /BENCH_TIME ([\d.]+) (\d+)/.exec(res.stderr ?? '');
  return { ms: m ? Number(m[1]) * 1000 : ms, peak: m ? Number(m[2]) * 1024 : NaN };
}

export async function main(argv: string[]): Promise<Report> {
  const args = parseArgs(argv);
  const sections = Number(args.sections ?? 50);
  const paragraphs = Number(args.paragraphs ?? 2000);
  const signatories = Number(args.signatories ?? 1000);
  const rounds = Number(args.rounds ?? 5);
  const cpuProf = args['cpu-prof'] === true;
  const profDir = join(repoRoot, 'bench/results/profiles');
  if (cpuProf) mkdirSync(profDir, { recursive: true });
  const report = new Report('export', { sections, paragraphs, signatories, rounds, serverArgs: args['server-args'] ?? null });
  const present = routesPresent();
  if (!present.collab || !present.versions || !present.signons) {
    report.notice(`skipped: waiting for ${[!present.collab && 'the collab server', !present.versions && 'routes/versions.ts', !present.signons && 'routes/signons.ts'].filter(Boolean).join(', ')}`);
    return report;
  }
  const work = tempDir('export');

  // 1. Build the charter, its text, the version and the sign-ons on one server.
  const builder = await startCharter();
  let versionId: string;
  try {
    const owner = await register(builder.url, 'export-secretariat');
    const api = new HttpClient(builder.url, owner.token);
    const charter = await createCharter(api, 'Regional principles of practice (export benchmark)', sections);
    const perSection = Math.floor(paragraphs / sections);
    for (let i = 0; i < sections; i++) {
      const n = perSection + (i < paragraphs - perSection * sections ? 1 : 0);
      await writeSection(builder.port, charter.id, charter.sections[i]!.id, owner.token, sectionContent(i, n));
    }
    const fin = await api.expect<{ version: { id: string } }>('POST', `/api/charters/${charter.id}/finalise`, { label: 'Benchmark' }, 201);
    versionId = fin.version.id;
    // Sign-ons: many people, each from an address of their own, each under the per-account limit.
    const signers = await registerMany(builder.url, 'export-signer', Math.max(1, Math.ceil(signatories / 40)));
    let next = 0;
    let refused = 0;
    await Promise.all(
      signers.map(async (acct, k) => {
        const http = new HttpClient(builder.url, acct.token, { localAddress: `127.0.1.${2 + (k % 250)}`, maxSockets: 1 });
        while (next < signatories) {
          const i = next++;
          const res = await postSignon(http, versionId, signonBody(i, 'export'));
          if (res.status !== 201) refused++;
        }
        http.close();
      }),
    );
    if (refused) report.notice(`${refused} sign-ons were refused while preparing the export`);
    api.close();
  } finally {
    await builder.stop({ keep: true });
  }

  // 2. A fresh server process: export `rounds` times, then read its peak memory.
  // --server-args "--max-old-space-size=256": try V8 settings on the exporting process.
  const extra = typeof args['server-args'] === 'string' ? args['server-args'].split(' ').filter(Boolean) : [];
  const server = await startCharter({ dataDir: builder.dataDir, nodeArgs: [...extra, ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])] });
  const http = new HttpClient(server.url);
  const pinger = new HttpClient(server.url);
  const times: number[] = [];
  const healthMs: number[] = [];
  let baseline = NaN;
  let peakBefore = NaN;
  let peak = NaN;
  let docxBytes = 0;
  let versionDoc: { sections: { title: string; doc: JSONContent }[]; charter: { title: string }; version: { number: number; sha256: string } };
  let signonList: { total: number; countries: number; byCountry: { countryName: string; signons: any[] }[] };
  try {
    versionDoc = (await http.get(`/api/versions/${versionId}`)).body;
    signonList = (await http.get(`/api/versions/${versionId}/signons`)).body;
    await report.quiet('exports');
    ({ rss: baseline, peak: peakBefore } = memory(server.pid));
    for (let r = 0; r < rounds; r++) {
      // Meanwhile another client asks for /api/health every 20 ms: how long does the server keep
      // everyone else waiting while a document renders?
      let exporting = true;
      const pings = (async () => {
        while (exporting) {
          healthMs.push((await pinger.get('/api/health')).ms);
          await sleep(20);
        }
      })();
      const res = await http.request('GET', `/api/versions/${versionId}/export.docx`, undefined, 120_000);
      exporting = false;
      await pings;
      if (res.status !== 200 || !Buffer.isBuffer(res.body) || res.body.subarray(0, 2).toString() !== 'PK') {
        throw new Error(`export answered ${res.status} ${String(res.body).slice(0, 300)}`);
      }
      times.push(res.ms);
      docxBytes = res.bytes;
    }
    peak = memory(server.pid).peak;
  } finally {
    http.close();
    pinger.close();
    await server.stop();
  }
  const paragraphCount = versionDoc.sections.reduce((n, s) => n + countParagraphs(s.doc), 0);
  console.log(
    `[export] ${versionDoc.sections.length} sections, ${paragraphCount} paragraphs, ${signonList.total} sign-ons; DOCX ${(docxBytes / 1024).toFixed(0)} KiB; ` +
      `times ${times.map((t) => t.toFixed(0)).join(' / ')} ms; server RSS before ${(baseline / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB`,
  );
  if (signonList.total !== signatories) report.notice(`expected ${signatories} sign-ons, the version has ${signonList.total}`);

  report.add({ metric: 'DOCX export, first request', system: 'charter', unit: 'ms', value: times[0]! });
  report.addRounds({ metric: 'DOCX export', system: 'charter', unit: 'ms', rounds: times, target: { op: '<', bound: 1000, label: '< 1 s' } });
  report.add({ metric: 'server peak RSS (VmHWM)', system: 'charter', unit: 'MB', value: peak / MB, target: { op: '<', bound: 300, label: '< 300 MB' } });
  report.add({
    metric: 'other requests during export, max wait',
    system: 'charter',
    unit: 'ms',
    value: Math.max(...healthMs),
    note: `${healthMs.length} health checks, p50 ${quantile(healthMs, 0.5).toFixed(1)} ms`,
  });
  report.add({ metric: 'server RSS before export', system: 'charter', unit: 'MB', value: baseline / MB, note: `peak before: ${(peakBefore / MB).toFixed(0)} MB` });
  report.add({ metric: 'DOCX size', system: 'charter', unit: 'KiB', value: docxBytes / 1024 });
  report.add({ metric: 'paragraphs / sign-ons exported', system: 'charter', unit: '', value: paragraphCount, note: `${signonList.total} sign-ons, ${versionDoc.sections.length} sections` });

  // 3. pandoc on the same content.
  const pandoc = pandocAvailable();
  if (!pandoc) {
    report.notice('pandoc is not installed (apt-get install -y pandoc): the comparison is skipped');
  } else {
    const html = [
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${versionDoc.charter.title}</title></head><body>`,
      `<h1>${versionDoc.charter.title}</h1><p>Version ${versionDoc.version.number}</p><p>SHA-256 ${versionDoc.version.sha256}</p>`,
      ...versionDoc.sections.map((s) => `<h1>${s.title}</h1>\n${toHtml(s.doc)}`),
      `<h1>Signatory organisations</h1><p>${signonList.total} organisations from ${signonList.countries} countries</p>`,
      ...signonList.byCountry.map(
        (g) =>
          `<h2>${g.countryName}</h2><table><thead><tr><th>Organisation</th><th>Acronym</th><th>Signatory</th><th>Title</th><th>Date</th></tr></thead><tbody>` +
          g.signons
            .filter((s) => !s.withheld)
            .map((s) => `<tr><td>${s.organisation.name}</td><td>${s.organisation.acronym}</td><td>${s.signatory.name}</td><td>${s.signatory.title}</td><td>${s.signedAt.slice(0, 10)}</td></tr>`)
            .join('') +
          '</tbody></table>',
      ),
      '</body></html>',
    ].join('\n');
    const htmlFile = join(work, 'charter.html');
    writeFileSync(htmlFile, html);
    await report.quiet('pandoc');
    const runs = Array.from({ length: Math.min(3, rounds) }, (_, i) => runPandoc(htmlFile, join(work, `pandoc-${i}.docx`)));
    report.addRounds({ metric: 'pandoc HTML → DOCX', system: 'pandoc', unit: 'ms', rounds: runs.map((r) => r.ms), note: pandoc });
    report.add({ metric: 'pandoc peak RSS', system: 'pandoc', unit: 'MB', value: Math.max(...runs.map((r) => r.peak)) / MB });
    report.add({
      metric: 'pandoc time / Charter time',
      system: 'pandoc / charter',
      unit: 'x',
      value: median(runs.map((r) => r.ms)) / median(times),
      target: { op: '>=', bound: 2, label: '>= 2x' },
    });
    report.raw.pandoc = { version: pandoc, runs, htmlBytes: html.length };
  }
  report.raw.charter = { times, healthMs, baseline, peakBefore, peak, serverArgs: extra, docxBytes, paragraphCount, signons: signonList.total };
  rmSync(work, { recursive: true, force: true });
  rmSync(builder.dataDir, { recursive: true, force: true });
  return report;
}

await runIfMain(import.meta.url, main, 20 * 60_000);
