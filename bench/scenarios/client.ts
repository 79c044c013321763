/**
 * Client weight: the gzipped JavaScript a first visit loads before the page settles, for the
 * public version page, the charter workspace and a section's editor; then the time until the
 * editor is editable in headless Chromium on a throttled connection (1.6 Mbit/s, 150 ms).
 *
 * Uses client/dist when it is at least as new as client/src, otherwise builds the client into a
 * temporary directory (never touching client/dist) and serves it with CLIENT_DIST.
 *
 *   node --import tsx bench/scenarios/client.ts [--rounds 3] [--dist <dir>] [--build]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { createCharter, register, startCharter, tempDir, type CharterProcess } from '../lib/charter.js';
import { HttpClient } from '../lib/http.js';
import { repoRoot, runIfMain } from '../lib/proc.js';
import { parseArgs, Report } from '../lib/report.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const KB = 1024;

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) if (name !== 'node_modules' && !name.startsWith('.')) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** A built client: client/dist when fresh, else a build into a temporary directory. */
function clientDist(args: Record<string, unknown>, report: Report): { dir: string; temp: boolean } | undefined {
  if (typeof args.dist === 'string') return { dir: args.dist, temp: false };
  const dist = join(repoRoot, 'client/dist');
  const sources = Math.max(newest(join(repoRoot, 'client/src')), newest(join(repoRoot, 'client/index.html')), newest(join(repoRoot, 'shared/src')));
  if (args.build !== true && existsSync(join(dist, 'index.html')) && newest(join(dist, 'index.html')) >= sources) return { dir: dist, temp: false };
  if (!existsSync(join(repoRoot, 'client/src/main.tsx'))) {
    report.notice('the client is not written yet (client/src/main.tsx missing): skipped');
    return undefined;
  }
  const dir = tempDir('client-dist');
  console.log(`[client] building the client into ${dir} (client/dist is missing or older than its sources)`);
  const res = spawnSync(process.execPath, [join(repoRoot, 'client/node_modules/vite/bin/vite.js'), 'build', '--outDir', dir, '--emptyOutDir'], {
    cwd: join(repoRoot, 'client'),
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (res.status !== 0 || !existsSync(join(dir, 'index.html'))) {
    report.notice(`the client does not build yet: skipped (${(res.stderr || res.stdout || '').trim().split('\n').slice(-3).join(' | ')})`);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return { dir, temp: true };
}

interface PageWeight {
  scripts: number;
  rawBytes: number;
  gzipBytes: number;
  transferBytes: number;
  files: { url: string; raw: number; gzip: number }[];
}

/** Loads `path` in a fresh context and sums the JavaScript fetched until the page settles. */
async function weigh(browser: Browser, server: CharterProcess, path: string, token: string | undefined, settle: string | undefined): Promise<PageWeight> {
  const context = await newContext(browser, server, token);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const transfer = new Map<string, number>();
    const urls = new Map<string, string>();
    cdp.on('Network.responseReceived', (e: any) => urls.set(e.requestId, e.response.url));
    cdp.on('Network.loadingFinished', (e: any) => transfer.set(e.requestId, e.encodedDataLength));
    const bodies: Promise<{ url: string; raw: number; gzip: number } | undefined>[] = [];
    page.on('response', (res) => {
      const type = res.headers()['content-type'] ?? '';
      const isJs = res.request().resourceType() === 'script' || /javascript/.test(type) || /\.m?js(\?|$)/.test(res.url());
      if (!isJs) return;
      bodies.push(
        res.body().then(
          (b) => ({ url: res.url(), raw: b.length, gzip: gzipSync(b, { level: constants.Z_BEST_COMPRESSION }).length }),
          () => undefined,
        ),
      );
    });
    await page.goto(server.url + path, { waitUntil: 'networkidle', timeout: 60_000 });
    if (settle) await page.waitForSelector(settle, { timeout: 30_000 });
    await page.waitForLoadState('networkidle', { timeout: 30_000 });
    const files = (await Promise.all(bodies)).filter((x): x is NonNullable<typeof x> => !!x);
    let transferBytes = 0;
    for (const [id, n] of transfer) if (/\.m?js(\?|$)/.test(urls.get(id) ?? '')) transferBytes += n;
    return {
      scripts: files.length,
      rawBytes: files.reduce((n, f) => n + f.raw, 0),
      gzipBytes: files.reduce((n, f) => n + f.gzip, 0),
      transferBytes,
      files: files.map((f) => ({ ...f, url: new URL(f.url).pathname })),
    };
  } finally {
    await context.close();
  }
}

async function newContext(browser: Browser, server: CharterProcess, token: string | undefined): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (token) await context.addCookies([{ name: 'charter_session', value: token, url: server.url }]);
  return context;
}

/** Time from navigation until the section editor accepts input, throttled to 1.6 Mbit/s and 150 ms. */
async function timeEditable(
  browser: Browser,
  server: CharterProcess,
  path: string,
  token: string,
): Promise<{ ms: number; waterfall: { what: string; startMs: number; endMs: number; bytes: number }[] }> {
  const context = await newContext(browser, server, token);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 200_000 });
    // The waterfall (CDP timestamps are seconds on the browser's clock): what the wait was spent on.
    const requests = new Map<string, { what: string; start: number; end: number; bytes: number }>();
    let firstTs: number | undefined;
    cdp.on('Network.requestWillBeSent', (e: any) => {
      firstTs ??= e.timestamp;
      requests.set(e.requestId, { what: new URL(e.request.url).pathname, start: e.timestamp, end: NaN, bytes: 0 });
    });
    cdp.on('Network.loadingFinished', (e: any) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
    });
    cdp.on('Network.webSocketCreated', (e: any) => requests.set(e.requestId, { what: `ws ${new URL(e.url).pathname}`, start: NaN, end: NaN, bytes: 0 }));
    cdp.on('Network.webSocketWillSendHandshakeRequest', (e: any) => {
      const r = requests.get(e.requestId);
      if (r) r.start = e.timestamp;
    });
    cdp.on('Network.webSocketFrameReceived', (e: any) => {
      const r = requests.get(e.requestId);
      if (r && Number.isNaN(r.end)) r.end = e.timestamp;
    });
    const t0 = performance.now();
    await page.goto(server.url + path, { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForSelector('.ProseMirror[contenteditable="true"]', { timeout: 60_000 });
    const ms = performance.now() - t0;
    const base = firstTs ?? 0;
    const waterfall = [...requests.values()]
      .map((r) => ({ what: r.what, startMs: Math.round((r.start - base) * 1000), endMs: Math.round((r.end - base) * 1000), bytes: r.bytes }))
      .sort((a, b) => a.startMs - b.startMs);
    return { ms, waterfall };
  } finally {
    await context.close();
  }
}

export async function main(argv: string[]): Promise<Report> {
  const args = parseArgs(argv);
  const rounds = Number(args.rounds ?? 3);
  const report = new Report('client', { rounds, chromium: CHROMIUM, throttle: { downBytesPerSecond: 200_000, upBytesPerSecond: 200_000, latencyMs: 150 } });
  if (!existsSync(CHROMIUM)) {
    report.notice(`no Chromium at ${CHROMIUM} (apt-get install -y chromium): skipped`);
    return report;
  }
  const dist = clientDist(args, report);
  if (!dist) return report;
  const server = await startCharter({ env: { CLIENT_DIST: dist.dir } });
  let browser: Browser | undefined;
  try {
    const owner = await register(server.url, 'client-secretariat');
    const api = new HttpClient(server.url, owner.token);
    const drafting = await createCharter(api, 'Client benchmark (drafting)');
    const frozen = await createCharter(api, 'Client benchmark (finalised)');
    const fin = await api.request('POST', `/api/charters/${frozen.id}/finalise`, {});
    const versionId: string | undefined = fin.status === 201 ? fin.body.version.id : undefined;
    api.close();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    const pages: [string, string, string | undefined, string | undefined, number][] = [
      ['version page', `/versions/${versionId}`, undefined, undefined, 150],
      ['workspace', `/charters/${drafting.id}`, owner.token, undefined, 400],
      ['section editor (workspace)', `/charters/${drafting.id}/sections/${drafting.sections[0]!.id}`, owner.token, '.ProseMirror', 400],
    ];
    await report.quiet('pages');
    for (const [label, path, token, settle, budget] of pages) {
      if (label === 'version page' && !versionId) {
        report.notice(`finalise answered ${fin.status}: the version page is skipped`);
        continue;
      }
      const runs: PageWeight[] = [];
      for (let r = 0; r < rounds; r++) runs.push(await weigh(browser, server, path, token, settle));
      report.addRounds({
        metric: `initial JS, gzipped: ${label}`,
        system: 'charter',
        unit: 'KB',
        rounds: runs.map((w) => w.gzipBytes / KB),
        target: { op: '<', bound: budget, label: `< ${budget} KB` },
      });
      report.add({ metric: `initial JS, raw: ${label}`, system: 'charter', unit: 'KB', value: runs[0]!.rawBytes / KB, note: `${runs[0]!.scripts} files` });
      report.raw[label] = runs[0];
      console.log(`[client] ${label}: ${runs[0]!.scripts} scripts, ${(runs[0]!.rawBytes / KB).toFixed(0)} KB raw, ${(runs[0]!.gzipBytes / KB).toFixed(1)} KB gzipped`);
    }
    const editorPath = `/charters/${drafting.id}/sections/${drafting.sections[0]!.id}`;
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const { ms, waterfall } = await timeEditable(browser, server, editorPath, owner.token);
      times.push(ms);
      if (r === 0) {
        report.raw.editableWaterfall = waterfall;
        console.log(`[client] editable after ${ms.toFixed(0)} ms; waterfall of the first load (ms from the first request):`);
        for (const w of waterfall) console.log(`  ${String(w.startMs).padStart(6)} → ${String(w.endMs).padStart(6)}  ${(w.bytes / KB).toFixed(1).padStart(7)} KB  ${w.what}`);
      }
    }
    report.addRounds({ metric: 'editable, 1.6 Mbit/s + 150 ms', system: 'charter', unit: 'ms', rounds: times, target: { op: '<', bound: 3000, label: '< 3 s' } });
  } finally {
    await browser?.close().catch(() => {});
    await server.stop();
    if (dist.temp) rmSync(dist.dir, { recursive: true, force: true });
  }
  return report;
}

await runIfMain(import.meta.url, main, 15 * 60_000);
