import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_FIELD } from '@charter/shared/collab';
import { charterWithSecretariat, spawnServer, tempDataDir, type SpawnedServer } from '../helpers/server.js';
import { addMember, addParagraph, connectClient, freshTexts, paragraphTexts, waitFor, type Client } from '../helpers/collab.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('durability', () => {
  it('loses nothing any client saw relayed when the server is killed with SIGKILL during a burst of edits', async () => {
    const data = tempDataDir();
    cleanups.push(() => data.cleanup());
    let server: SpawnedServer = await spawnServer(data.dir);
    cleanups.push(() => server.kill('SIGKILL'));

    const { api, charter } = await charterWithSecretariat(server.url);
    const section = charter.sections[0]!;
    const drafter = await addMember(api, charter.id, 'drafter');
    const writers: Client[] = [connectClient(server.url, charter.id, section.id, api.token!), connectClient(server.url, charter.id, section.id, drafter.token)];
    const witness = connectClient(server.url, charter.id, section.id, api.token!);
    const everyone = [...writers, witness];
    cleanups.push(() => everyone.forEach((c) => c.destroy()));
    await Promise.all(everyone.map((c) => c.synced));

    // What the witness has seen relayed by the server, remembered as it arrives.
    const seen = new Set<string>();
    witness.doc.getXmlFragment(CONTENT_FIELD).observeDeep(() => {
      for (const text of paragraphTexts(witness.doc)) if (text.startsWith('burst ')) seen.add(text);
    });

    let n = 0;
    const burst = setInterval(() => {
      for (const [i, w] of writers.entries()) addParagraph(w.doc, `burst ${i}-${n}`);
      n++;
    }, 2);
    try {
      await waitFor(() => seen.size >= 150, { what: 'the burst to get going', timeout: 15_000 });
      await server.kill('SIGKILL');
    } finally {
      clearInterval(burst);
    }
    // Forget the clients: they hold edits the server may never have received, which must not mask a loss.
    const relayed = [...seen];
    everyone.forEach((c) => c.destroy());

    server = await spawnServer(data.dir);
    const after = await freshTexts(server.url, charter.id, section.id, api.token!);
    const missing = relayed.filter((t) => !after.includes(t));
    expect(missing).toEqual([]);
    expect(relayed.length).toBeGreaterThanOrEqual(150);

    // The restarted server keeps serving edits on the recovered document.
    const again = connectClient(server.url, charter.id, section.id, api.token!);
    cleanups.push(() => again.destroy());
    await again.synced;
    addParagraph(again.doc, 'after the crash');
    await waitFor(async () => (await freshTexts(server.url, charter.id, section.id, api.token!)).includes('after the crash'), {
      what: 'edit after restart',
    });
  });

  it('keeps an update written just before SIGKILL even when nobody else was connected', async () => {
    const data = tempDataDir();
    cleanups.push(() => data.cleanup());
    let server: SpawnedServer = await spawnServer(data.dir);
    cleanups.push(() => server.kill('SIGKILL'));
    const { api, charter } = await charterWithSecretariat(server.url);
    const section = charter.sections[1]!;

    const writer = connectClient(server.url, charter.id, section.id, api.token!);
    cleanups.push(() => writer.destroy());
    await writer.synced;
    addParagraph(writer.doc, 'acknowledged before the crash');
    // A second client receiving the text proves the server accepted it (it stores before it relays).
    const reader = connectClient(server.url, charter.id, section.id, api.token!);
    cleanups.push(() => reader.destroy());
    await waitFor(() => paragraphTexts(reader.doc).includes('acknowledged before the crash'), { what: 'relay' });
    await server.kill('SIGKILL');
    writer.destroy();
    reader.destroy();

    server = await spawnServer(data.dir);
    expect(await freshTexts(server.url, charter.id, section.id, api.token!)).toContain('acknowledged before the crash');
  });
});
