#!/usr/bin/env node
// Builds the web client when client/dist is missing or older than any of its sources, so that
// `pnpm start` and the browser tests always serve what the code says. Silent when up to date.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(client, '..');
const builtIndex = join(client, 'dist/index.html');

/** Newest modification time under `path` (a file or a directory), ignoring node_modules. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

const sources = [
  join(client, 'src'),
  join(client, 'public'),
  join(client, 'index.html'),
  join(client, 'vite.config.ts'),
  join(client, 'package.json'),
  join(root, 'shared/src'),
];

const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
const stale = builtAt === 0 || sources.some((s) => newest(s) > builtAt);
if (!stale) process.exit(0);

console.log(builtAt === 0 ? 'Building the web client…' : 'The web client changed since its last build; rebuilding…');
const vite = join(client, 'node_modules/vite/bin/vite.js');
// Test runners set NODE_ENV=test, which would make React's development build: always build for production.
const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
  cwd: client,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.status !== 0) {
  console.error('The web client failed to build.');
  process.exit(result.status ?? 1);
}
