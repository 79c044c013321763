import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations.js';
import { prepareStatements, type Statements } from './statements.js';

export type Db = Database.Database;

export interface Store {
  db: Db;
  /** Prepared statements, grouped by resource. */
  q: Statements;
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  tx<T>(fn: () => T): T;
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite database at `file`: WAL journal, foreign keys on,
 * migrations applied, statements prepared once. The only module that touches better-sqlite3.
 */
export function openStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a crash of the process (not of the OS) without an fsync per commit.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const q = prepareStatements(db);
  return {
    db,
    q,
    tx: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => {
      if (db.open) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      }
    },
  };
}

/**
 * Opens an existing database for reading only (operator checks such as `pnpm verify`): nothing
 * is migrated or written, and it is safe while the server runs. Write statements fail if called.
 */
export function openReadOnlyStore(file: string): Store {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== migrations.length) {
      const hint = version < migrations.length ? 'Start the server once to migrate it.' : 'Update Charter first.';
      throw new Error(`${file} has schema ${version}; this Charter expects ${migrations.length}. ${hint}`);
    }
    const q = prepareStatements(db);
    return {
      db,
      q,
      tx: <T>(fn: () => T): T => db.transaction(fn)(),
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let i = current; i < migrations.length; i++) {
    db.transaction(() => {
      db.exec(migrations[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
