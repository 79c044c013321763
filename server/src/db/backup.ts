import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { migrations } from './migrations.js';

/**
 * Copies the live database at `source` to `target` with SQLite's online backup API: consistent
 * even while the server keeps writing, without stopping it. Returns the pages copied.
 */
export async function backupDatabase(source: string, target: string): Promise<{ totalPages: number }> {
  if (!existsSync(source)) throw new Error(`No database at ${source}.`);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const tmp = `${target}.partial`;
    rmSync(tmp, { force: true });
    const result = await db.backup(tmp);
    checkDatabase(tmp);
    renameSync(tmp, target);
    return { totalPages: result.totalPages };
  } finally {
    db.close();
  }
}

/** Opens a database file read-only and checks it is an intact Charter database this version can run. */
export function checkDatabase(file: string): { userVersion: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${String(integrity)}`);
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const hasUsers = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'").get();
    if (!hasUsers || userVersion < 1) throw new Error(`${file} is not a Charter database.`);
    if (userVersion > migrations.length) {
      throw new Error(`${file} comes from a newer Charter (schema ${userVersion}); update Charter before restoring it.`);
    }
    return { userVersion };
  } finally {
    db.close();
  }
}

/** Puts a backup in place of the database at `target` (the server must be stopped). */
export function restoreDatabase(backup: string, target: string): void {
  checkDatabase(backup);
  const tmp = `${target}.restoring`;
  const src = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    rmSync(tmp, { force: true });
    src.exec(`VACUUM INTO '${tmp.replaceAll("'", "''")}'`);
  } finally {
    src.close();
  }
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  renameSync(tmp, target);
}
