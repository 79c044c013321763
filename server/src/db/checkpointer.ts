import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { log } from '../log.js';
import type { Store } from './index.js';

/**
 * The worker's whole program, run from this string so that the bundled server needs no extra
 * file: its own connection to the database, and a PASSIVE checkpoint whenever asked. PASSIVE
 * never waits for, or blocks, the main connection's readers and writers.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
parentPort.on('message', (message) => {
  if (message !== 'checkpoint') return;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, result });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: String(err && err.message || err) });
  }
});
`;

export interface Checkpointer {
  /** Stops the worker; from then on the main connection checkpoints by itself again. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the main thread. By default SQLite checkpoints inside whichever
 * commit pushes the WAL past 1,000 pages: that commit then copies the pages into the database
 * and waits for the disk (measured here: about 10 ms, once every few hundred small commits),
 * and every keystroke and sign-on queued behind it waits too. Instead, the main connection never
 * checkpoints (`wal_autocheckpoint = 0`), and a worker thread with a connection of its own runs a
 * PASSIVE checkpoint every `intervalMs` while there were commits. Should the worker fail, the
 * main connection goes back to checkpointing itself, so the WAL never grows without bound.
 */
export function startCheckpointer(store: Store, file: string, intervalMs = 500): Checkpointer {
  const { db } = store;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file } });
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  let busy = false;
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  let seen = totalChanges.get() as number;
  const fallBack = (reason: string, detail: unknown) => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
    log.error('checkpointer_stopped', { reason, detail });
  };
  worker.on('message', (reply: { ok: boolean; message?: string }) => {
    busy = false;
    if (!reply.ok) log.warn('checkpoint_failed', { message: reply.message });
  });
  worker.on('error', (err) => fallBack('error', err));
  worker.on('exit', (code) => fallBack('exit', code));
  const timer = setInterval(() => {
    if (busy || stopped || !db.open) return;
    // Only when something was committed since the last look: an idle server does nothing.
    const changes = totalChanges.get() as number;
    if (changes === seen) return;
    seen = changes;
    busy = true;
    worker.postMessage('checkpoint');
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await worker.terminate();
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
    },
  };
}
