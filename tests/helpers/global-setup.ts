import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Bundles the server (what `pnpm start` and the crash tests run) and builds the web client when it
 * is missing or stale, so browser tests and `pnpm start` serve the same files.
 */
export default function setup(): void {
  execFileSync('node', ['server/scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (process.env.CHARTER_SKIP_CLIENT_BUILD) return;
  // ensure-built returns at once when client/dist is newer than every source file.
  if (existsSync(resolve(root, 'client/scripts/ensure-built.mjs'))) {
    execFileSync('node', ['client/scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  }
}
