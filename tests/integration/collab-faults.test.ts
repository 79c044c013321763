import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_FIELD } from '@charter/shared/collab';
import { readStoredSectionContent } from '../../server/src/collab/content.js';
import { charterWithSecretariat, startTestServer, type TestServer } from '../helpers/server.js';
import { addMember, addParagraph, connectClient, freshTexts, paragraphTexts, waitFor, type Client } from '../helpers/collab.js';

let server: TestServer;
const clients: Client[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  server.ctx.store.db.pragma('query_only = OFF');
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(() => server.stop());

function client(charterId: string, sectionId: string, token: string): Client {
  const c = connectClient(server.url, charterId, sectionId, token);
  clients.push(c);
  return c;
}

describe('storage faults during live editing', () => {
  it('refuses an edit it cannot store (1011, never relayed), then takes it exactly once when storage is back', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const section = charter.sections[0]!;
    const drafter = await addMember(api, charter.id, 'drafter', [section.id]);
    const writer = client(charter.id, section.id, drafter.token);
    const reader = client(charter.id, section.id, api.token!);
    await Promise.all([writer.synced, reader.synced]);

    addParagraph(writer.doc, 'stored before the fault');
    await waitFor(() => paragraphTexts(reader.doc).includes('stored before the fault'), { what: 'relay before the fault' });

    // The reader notes whenever the refused edit reaches it, and whether storage was failing at that moment.
    let faulty = false;
    const arrivals: boolean[] = [];
    let seen = false;
    reader.doc.getXmlFragment(CONTENT_FIELD).observeDeep(() => {
      const has = paragraphTexts(reader.doc).includes('written while the disk is read-only');
      if (has && !seen) arrivals.push(faulty);
      seen = has;
    });

    const db = server.ctx.store.db;
    db.pragma('query_only = ON'); // every write now fails as on a read-only file or a full disk
    faulty = true;
    try {
      addParagraph(writer.doc, 'written while the disk is read-only');
      // The collaboration server closes the room's connections with 1011 instead of pretending to have saved it.
      await waitFor(() => writer.closeCodes.includes(1011), { what: 'the writer to be closed with 1011' });
      await waitFor(() => reader.closeCodes.includes(1011), { what: 'the reader to be closed with 1011' });
      // The stock client keeps reconnecting and resending; each attempt is refused the same way.
      await waitFor(() => writer.closeCodes.filter((c) => c === 1011).length >= 2, { what: 'a refused retry', timeout: 5_000 });
      expect(paragraphTexts(reader.doc)).not.toContain('written while the disk is read-only');
      // Nor is it in storage.
      const stored = readStoredSectionContent(server.ctx.store, section.id).text;
      expect(stored).toContain('stored before the fault');
      expect(stored).not.toContain('written while the disk is read-only');
    } finally {
      db.pragma('query_only = OFF');
      faulty = false;
    }

    // The fault cleared: the writer reconnects on its own and its edit lands, once.
    await waitFor(() => paragraphTexts(reader.doc).includes('written while the disk is read-only'), {
      what: 'the edit to land after the fault',
      timeout: 10_000,
    });
    expect(arrivals).toEqual([false]);
    const after = await freshTexts(server.url, charter.id, section.id, api.token!);
    expect(after.filter((t) => t === 'written while the disk is read-only')).toHaveLength(1);
    expect(after.filter((t) => t === 'stored before the fault')).toHaveLength(1);

    // Live editing goes on normally, and the database is intact.
    addParagraph(writer.doc, 'after recovery');
    await waitFor(() => paragraphTexts(reader.doc).includes('after recovery'), { what: 'relay after recovery' });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const finalised = await api.post(`/api/charters/${charter.id}/finalise`, {});
    expect(finalised.status).toBe(201);
    const version = await api.get(`/api/versions/${finalised.body.version.id}`);
    const text: string = version.body.sections[0].text;
    expect(text.split('written while the disk is read-only')).toHaveLength(2);
    expect(text).toContain('after recovery');
  });
});
