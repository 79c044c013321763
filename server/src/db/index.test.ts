import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './index.js';

let dir: string;
let store: Store;
let reader: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'charter-store-'));
  store = openStore(join(dir, 'charter.db'));
  // A second connection sees only what has been committed.
  reader = new Database(join(dir, 'charter.db'), { readonly: true });
});
afterEach(() => {
  reader.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const organisation = (name: string, country = 'KE') => ({
  id: `org-${name}`,
  name,
  name_key: name.toLowerCase(),
  acronym: '',
  country,
  website: '',
  created_at: '2026-11-22T10:00:00.000Z',
});
const committedNames = () => (reader.prepare('SELECT name FROM organisations ORDER BY name').all() as { name: string }[]).map((r) => r.name);

describe('store.txGrouped (group commit)', () => {
  it('runs writes queued in the same turn in order, in one transaction, and settles them only after the commit', async () => {
    const seenByOthers: string[][] = [];
    const seenByMe: number[] = [];
    const writes = ['HAART Kenya', 'Awareness Against Human Trafficking', 'Trace Kenya'].map((name) =>
      store.txGrouped(() => {
        seenByOthers.push(committedNames());
        store.q.organisations.insert(organisation(name));
        seenByMe.push((store.db.prepare('SELECT COUNT(*) AS n FROM organisations').get() as { n: number }).n);
        return name.length;
      }),
    );
    // Nothing runs before the event loop turns.
    expect(committedNames()).toEqual([]);
    expect(await Promise.all(writes)).toEqual([11, 35, 11]);
    // Each write saw the ones before it; no other connection saw any of them before the shared commit.
    expect(seenByMe).toEqual([1, 2, 3]);
    expect(seenByOthers).toEqual([[], [], []]);
    expect(committedNames()).toEqual(['Awareness Against Human Trafficking', 'HAART Kenya', 'Trace Kenya']);
  });

  it('undoes only the write that failed, and rejects only its caller', async () => {
    const first = store.txGrouped(() => store.q.organisations.insert(organisation('HAART Kenya')));
    const failing = store.txGrouped(() => {
      store.q.organisations.insert(organisation('Half-written'));
      throw new Error('refused after writing');
    });
    const duplicate = store.txGrouped(() => store.q.organisations.insert({ ...organisation('HAART Kenya'), id: 'other-id' }));
    const last = store.txGrouped(() => store.q.organisations.insert(organisation('Trace Kenya')));
    const outcomes = await Promise.allSettled([first, failing, duplicate, last]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(((outcomes[1] as PromiseRejectedResult).reason as Error).message).toBe('refused after writing');
    expect(((outcomes[2] as PromiseRejectedResult).reason as { code: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(committedNames()).toEqual(['HAART Kenya', 'Trace Kenya']);
  });

  it('starts a new batch for writes queued after a batch has committed', async () => {
    await store.txGrouped(() => store.q.organisations.insert(organisation('HAART Kenya')));
    const seen = await store.txGrouped(() => committedNames());
    expect(seen).toEqual(['HAART Kenya']);
  });

  it('rejects every write of a batch whose commit fails, and writes none of them', async () => {
    const a = store.txGrouped(() => store.q.organisations.insert(organisation('HAART Kenya')));
    // Closing the connection before the batch runs makes the whole transaction fail.
    const b = store.txGrouped(() => store.q.organisations.insert(organisation('Trace Kenya')));
    store.db.close();
    const outcomes = await Promise.allSettled([a, b]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(committedNames()).toEqual([]);
  });
});
