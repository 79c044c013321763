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
  /**
   * Group commit: runs `fn` in a transaction shared with the other `txGrouped` writes queued in
   * the same turn of the event loop, and settles once that transaction has committed. Each `fn`
   * runs in a savepoint of its own, so one that throws undoes only its own changes.
   */
  txGrouped<T>(fn: () => T): Promise<T>;
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
    ...transactions(db),
    close: () => {
      if (db.open) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      }
    },
  };
}

/**
 * The store's two ways to write: `tx` runs a function in a transaction (a savepoint when already
 * inside one); `txGrouped` shares a commit with the writes around it. The transaction function is
 * built once and reused: `db.transaction(fn)` per call would build four wrappers each time, a
 * measurable share of a sign-on's cost.
 */
function transactions(db: Database.Database): Pick<Store, 'tx' | 'txGrouped'> {
  const run = db.transaction((fn: () => unknown) => fn());
  const tx = <T>(fn: () => T): T => run(fn) as T;
  return { tx, txGrouped: groupCommitter(db, tx) };
}

interface GroupedWrite {
  fn: () => unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * Writes that arrive together (a burst of sign-ons) share one commit: in WAL mode most of a small
 * write's cost is the commit itself (writing each touched page to the log, and the checkpoints
 * that follow), so N writes in one transaction cost much less than N transactions. Nobody waits
 * for a timer: the batch is whatever queued up before the event loop's next check phase, and
 * every caller is answered only after the commit, so an answered write is a durable one.
 */
function groupCommitter(db: Database.Database, tx: Store['tx']): Store['txGrouped'] {
  // Inside the batch's transaction, `tx` is a savepoint: each write can fail alone.
  const all = db.transaction((batch: GroupedWrite[]) =>
    batch.map((job) => {
      try {
        return { ok: true as const, value: tx(job.fn) };
      } catch (err) {
        return { ok: false as const, err };
      }
    }),
  );
  let queue: GroupedWrite[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    let results: ReturnType<typeof all>;
    try {
      results = all(batch);
    } catch (err) {
      // The commit itself failed (disk full, I/O error): nothing of the batch was written.
      for (const job of batch) job.reject(err);
      return;
    }
    results.forEach((r, i) => (r.ok ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.err)));
  };
  return <T>(fn: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (queue.push({ fn, resolve: resolve as (v: unknown) => void, reject }) === 1) setImmediate(flush);
    });
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
      ...transactions(db),
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
