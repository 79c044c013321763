import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from './env.js';
import { backupDatabase, restoreDatabase } from './db/backup.js';
import { databaseFile, pidFile } from './server.js';

const usage = `Usage:
  pnpm backup <file>    copy the database to <file> while the server runs
  pnpm restore <file>   put a backup back in DATA_DIR (stop the server first)`;

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

/** Operator commands that work on DATA_DIR: backup and restore. */
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
