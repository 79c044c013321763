import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from './env.js';
import { backupDatabase, restoreDatabase } from './db/backup.js';
import { openReadOnlyStore } from './db/index.js';
import { verifyStoredContent } from './domain/integrity.js';
import { databaseFile, pidFile } from './server.js';

const usage = `Usage:
  pnpm backup <file>    copy the database to <file> while the server runs
  pnpm restore <file>   put a backup back in DATA_DIR (stop the server first)
  pnpm verify           recompute every version's and submission's hash; exit 1 on any mismatch`;

function serverRunning(dataDir: string): number | undefined {
  const file = pidFile(dataDir);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Recomputes every stored hash (read-only, safe while the server runs); 1 when anything differs. */
function verify(dbFile: string): number {
  if (!existsSync(dbFile)) {
    process.stderr.write(`No database at ${dbFile}. Set DATA_DIR to the server's data directory.\n`);
    return 1;
  }
  const store = openReadOnlyStore(dbFile);
  try {
    const { versions, submissions, mismatches } = verifyStoredContent(store);
    for (const m of mismatches) {
      process.stdout.write(
        `MISMATCH ${m.kind} ${m.id} (charter ${m.charterId}): ${m.problem}; recorded ${m.recorded}, recomputed ${m.computed || '(unreadable)'}\n`,
      );
    }
    const verdict = mismatches.length ? `${mismatches.length} mismatch${mismatches.length === 1 ? '' : 'es'}` : 'all match';
    process.stdout.write(`Verified ${versions} version${versions === 1 ? '' : 's'} and ${submissions} submission${submissions === 1 ? '' : 's'} in ${dbFile}: ${verdict}.\n`);
    return mismatches.length ? 1 : 0;
  } finally {
    store.close();
  }
}

/** Operator commands that work on DATA_DIR: backup, restore and verify. */
async function main(argv: string[]): Promise<number> {
  const [command, file] = argv;
  const config = loadConfig();
  const db = databaseFile(config.dataDir);
  if (command === 'backup' && file) {
    const target = resolve(file);
    mkdirSync(dirname(target), { recursive: true });
    const { totalPages } = await backupDatabase(db, target);
    process.stdout.write(`Backed up ${db} to ${target} (${totalPages} pages).\n`);
    return 0;
  }
  if (command === 'restore' && file) {
    const pid = serverRunning(config.dataDir);
    if (pid) {
      process.stderr.write(`A Charter server (pid ${pid}) is using ${config.dataDir}. Stop it, then restore.\n`);
      return 1;
    }
    mkdirSync(config.dataDir, { recursive: true });
    restoreDatabase(resolve(file), db);
    process.stdout.write(`Restored ${resolve(file)} into ${db}. Start the server with pnpm start.\n`);
    return 0;
  }
  if (command === 'verify' && !file) return verify(db);
  process.stderr.write(usage + '\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  },
);
