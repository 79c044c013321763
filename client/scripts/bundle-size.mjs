#!/usr/bin/env node
// Initial JavaScript per page of the built client, gzipped: what a phone downloads before the
// page can be used. Reads the Vite manifest (client/dist/.vite/manifest.json), follows each
// page's static imports from the entry, and compares with the budgets of the web client issue.
// Usage: node client/scripts/bundle-size.mjs [--json] ; exits 1 when a budget is exceeded.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const client = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(client, 'dist');
const manifestPath = join(dist, '.vite/manifest.json');
if (!existsSync(manifestPath)) {
  console.error('client/dist is not built: run `pnpm build` first.');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

/** Pages, as the chunks a route renders at once (the entry is always included). */
export const PAGES = [
  { name: 'version page', route: '/versions/:versionId', chunks: ['src/pages/VersionPage.tsx'], budgetKb: 150 },
  {
    name: 'workspace, section editor',
    route: '/charters/:charterId/sections/:sectionId',
    chunks: ['src/pages/WorkspacePage.tsx', 'src/pages/SectionPage.tsx', 'src/editor/SectionEditor.tsx'],
    budgetKb: 400,
  },
  { name: 'workspace, overview', route: '/charters/:charterId', chunks: ['src/pages/WorkspacePage.tsx', 'src/pages/WorkspaceOverview.tsx'], budgetKb: 400 },
  { name: 'home', route: '/', chunks: ['src/pages/HomePage.tsx'], budgetKb: 150 },
];

const gzCache = new Map();
function gzipBytes(file) {
  if (!gzCache.has(file)) {
    const path = join(dist, file);
    const gz = `${path}.gz`;
    gzCache.set(file, existsSync(gz) ? readFileSync(gz).byteLength : gzipSync(readFileSync(path), { level: 9 }).byteLength);
  }
  return gzCache.get(file);
}

function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    const entry = manifest[key];
    if (!entry) throw new Error(`No chunk for ${key} in the manifest`);
    seen.add(key);
    for (const dep of entry.imports ?? []) visit(dep);
  };
  for (const k of keys) visit(k);
  return [...seen].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
}

const results = PAGES.map((page) => {
  const files = closure(['index.html', ...page.chunks]);
  const bytes = files.reduce((sum, f) => sum + gzipBytes(f), 0);
  return { ...page, files: files.length, gzipKb: Math.round((bytes / 1024) * 10) / 10, ok: bytes <= page.budgetKb * 1024 };
});

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(results.map(({ chunks: _chunks, ...r }) => r), null, 2));
} else {
  for (const r of results) {
    console.log(`${r.ok ? 'ok  ' : 'OVER'} ${r.name.padEnd(28)} ${String(r.gzipKb).padStart(7)} KB gzipped (budget ${r.budgetKb} KB, ${r.files} files)  ${r.route}`);
  }
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
