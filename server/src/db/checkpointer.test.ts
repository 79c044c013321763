import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.js';
import { openStore, type Store } from './index.js';

let dir: string;
let store: Store;
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the background checkpointer', () => {
  it('leaves checkpoints to its worker, which copies committed pages into the database file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'charter-ckpt-'));
    const file = join(dir, 'charter.db');
    store = openStore(file);
    const checkpointer = startCheckpointer(store, file, 20);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const dbBytes = () => statSync(file).size;
    const before = dbBytes();
    // About 2,000 pages of organisations: past the 1,000 pages at which SQLite would checkpoint by itself.
    const insert = (i: number) =>
      store.q.organisations.insert({
        id: `org-${i}`,
        name: `Organisation ${i} ${'x'.repeat(3000)}`,
        name_key: `organisation ${i}`,
        acronym: '',
        country: 'KE',
        website: '',
        created_at: '2026-11-22T10:00:00.000Z',
      });
    for (let i = 0; i < 2_000; i++) insert(i);
    // The main connection did not checkpoint: the database file has not grown yet.
    expect(dbBytes()).toBe(before);
    await expect.poll(dbBytes, { timeout: 10_000, interval: 20 }).toBeGreaterThan(before + 4_000_000);
    await checkpointer.stop();
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM organisations').get() as { n: number }).n).toBe(2_000);
  });
});
