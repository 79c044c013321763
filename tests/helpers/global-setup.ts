import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds the web client once when it is missing, so browser tests and `pnpm start` serve the same files. */
export default function setup(): void {
  if (existsSync(resolve(root, 'client/index.html')) && !existsSync(resolve(root, 'client/dist/index.html'))) {
    execFileSync('node', ['client/scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' });
  }
}
