import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Api, charterWithSecretariat, startTestServer, uniqueEmail, type TestServer } from '../helpers/server.js';
import {
  addMember,
  addParagraph,
  connectClient,
  freshTexts,
  openRaw,
  openRawUrl,
  paragraphTexts,
  prependParagraph,
  waitFor,
  withTimeout,
  type Client,
} from '../helpers/collab.js';

let srv: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.stop();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function client(charterId: string, sectionId: string, token: string): Client {
  const c = connectClient(srv.url, charterId, sectionId, token);
  clients.push(c);
  return c;
}

const stats = () => srv.ctx.collab!.stats();

/**
 * Waits until the server has discarded `count` more updates than `before`. Each stock client
 * also answers the server's sync step 1 with a step 2, which a read-only connection has dropped too.
 */
const droppedReaches = (count: number) => waitFor(() => stats().droppedUpdates >= count, { what: `${count} dropped updates` });

describe('live co-editing', () => {
  it('two writers converge, and a fresh client sees both edits on top of the template content exactly once', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const drafter = await addMember(api, charter.id, 'drafter');
    const initial = await freshTexts(srv.url, charter.id, section.id, api.token!);
    expect(initial.length).toBeGreaterThan(0);

    const a = client(charter.id, section.id, api.token!);
    const b = client(charter.id, section.id, drafter.token);
    await withTimeout(Promise.all([a.synced, b.synced]), 5_000, 'sync');
    expect(paragraphTexts(a.doc)).toEqual(initial);

    addParagraph(a.doc, 'Written by the secretariat');
    addParagraph(b.doc, 'Written by the drafter');
    for (let i = 0; i < 20; i++) (i % 2 ? a : b).doc.transact(() => addParagraph((i % 2 ? a : b).doc, `line ${i}`));

    await waitFor(() => paragraphTexts(a.doc).length === initial.length + 22 && paragraphTexts(b.doc).length === initial.length + 22, {
      what: 'both clients to have every paragraph',
    });
    expect(paragraphTexts(a.doc)).toEqual(paragraphTexts(b.doc));
    const fresh = await freshTexts(srv.url, charter.id, section.id, api.token!);
    expect(fresh).toEqual(paragraphTexts(a.doc));
    expect(fresh.slice(0, initial.length)).toEqual(initial);
    expect(fresh).toContain('Written by the secretariat');
    expect(fresh).toContain('Written by the drafter');
    expect(srv.ctx.collab!.sectionContent(section.id).text).toContain('Written by the drafter');
  });

  it('drops what an observer writes: the other clients and a fresh client never see it', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const observer = await addMember(api, charter.id, 'observer');
    const writer = client(charter.id, section.id, api.token!);
    await writer.synced;

    const base = stats().droppedUpdates;
    const obs = client(charter.id, section.id, observer.token);
    await obs.synced;
    await droppedReaches(base + 1); // its sync step 2
    prependParagraph(obs.doc, 'Observer tried to write this');
    await droppedReaches(base + 2);

    // The observer still receives what writers write.
    addParagraph(writer.doc, 'Secretariat text');
    await waitFor(() => paragraphTexts(obs.doc).includes('Secretariat text'), { what: 'observer to receive the update' });
    expect(paragraphTexts(writer.doc)).not.toContain('Observer tried to write this');
    const fresh = await freshTexts(srv.url, charter.id, section.id, api.token!);
    expect(fresh).toContain('Secretariat text');
    expect(fresh).not.toContain('Observer tried to write this');
  });

  it('drops what a drafter writes in a section not assigned to them, and keeps what they write in theirs', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const [foreign, own] = [charter.sections[0]!, charter.sections[1]!];
    const drafter = await addMember(api, charter.id, 'drafter', [own.id]);

    const base = stats().droppedUpdates;
    const there = client(charter.id, foreign.id, drafter.token);
    const here = client(charter.id, own.id, drafter.token);
    await Promise.all([there.synced, here.synced]);
    await droppedReaches(base + 1);
    prependParagraph(there.doc, 'Not my section');
    prependParagraph(here.doc, 'My own section');
    await droppedReaches(base + 2);

    await waitFor(async () => (await freshTexts(srv.url, charter.id, own.id, api.token!)).includes('My own section'), {
      what: 'own-section edit to be stored',
    });
    expect(await freshTexts(srv.url, charter.id, foreign.id, api.token!)).not.toContain('Not my section');
  });

  it('refuses strangers on the upgrade: 401 without or with a bad session, 403 for non-members and other sites, 404 for unknown sections', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const stranger = new Api(srv.url);
    await stranger.register(uniqueEmail('stranger'));

    const none = await openRaw(srv.url, charter.id, section.id);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body!).error.code).toBe('unauthenticated');
    expect((await openRaw(srv.url, charter.id, section.id, 'not-a-real-token')).status).toBe(401);

    const outsider = await openRaw(srv.url, charter.id, section.id, stranger.token);
    expect(outsider.status).toBe(403);
    expect(JSON.parse(outsider.body!).error.code).toBe('forbidden');
    expect((await openRaw(srv.url, 'no-such-charter', section.id, api.token)).status).toBe(403);
    expect((await openRaw(srv.url, charter.id, 'no-such-section', api.token)).status).toBe(404);
    // Another charter's section through this charter's path.
    const other = await api.post('/api/charters', { title: 'Another', templateId: 'principles-of-practice' });
    expect((await openRaw(srv.url, charter.id, other.body.charter.sections[0].id, api.token)).status).toBe(404);

    // Cross-site WebSocket hijacking: the cookie rides along, but the Origin is someone else's.
    const cookie = { cookie: `charter_session=${api.token}` };
    expect((await openRaw(srv.url, charter.id, section.id, undefined, { ...cookie, origin: 'https://evil.example' })).status).toBe(403);
    const sameSite = await openRaw(srv.url, charter.id, section.id, undefined, { ...cookie, origin: srv.url });
    expect(sameSite.ws).toBeDefined();
    sameSite.ws!.close();
    const bearer = await openRaw(srv.url, charter.id, section.id, undefined, { authorization: `Bearer ${api.token}` });
    expect(bearer.ws).toBeDefined();
    bearer.ws!.close();

    // Other paths are not WebSocket endpoints.
    expect((await openRawUrl(`${srv.url.replace('http', 'ws')}/somewhere/else?token=${api.token}`)).status).toBe(404);

    // The stock client gets nowhere without a session either.
    const anonymous = client(charter.id, section.id, '');
    await waitFor(() => anonymous.provider.wsUnsuccessfulReconnects > 0, { what: 'refused connection' });
    expect(anonymous.provider.synced).toBe(false);
  });

  it('applies a role change to an already open connection, and closes it with 4403 when the membership goes', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const member = await addMember(api, charter.id, 'drafter');
    const c = client(charter.id, section.id, member.token);
    await c.synced;

    prependParagraph(c.doc, 'While drafter');
    await waitFor(async () => (await freshTexts(srv.url, charter.id, section.id, api.token!)).includes('While drafter'), { what: 'drafter edit' });

    expect((await api.patch(`/api/charters/${charter.id}/members/${member.user.id}`, { role: 'observer' })).status).toBe(200);
    const base = stats().droppedUpdates;
    prependParagraph(c.doc, 'While observer');
    await droppedReaches(base + 1);
    expect(await freshTexts(srv.url, charter.id, section.id, api.token!)).not.toContain('While observer');
    expect(c.provider.wsconnected).toBe(true);

    expect((await api.patch(`/api/charters/${charter.id}/members/${member.user.id}`, { role: 'drafter' })).status).toBe(200);
    prependParagraph(c.doc, 'Drafter again');
    await waitFor(async () => (await freshTexts(srv.url, charter.id, section.id, api.token!)).includes('Drafter again'), { what: 'edit after promotion' });
    expect(c.closeCodes).toEqual([]);

    expect((await api.delete(`/api/charters/${charter.id}/members/${member.user.id}`)).status).toBe(204);
    await waitFor(() => c.closeCodes.includes(4403), { what: 'close 4403' });
    // 44xx tells the stock client not to come back.
    expect(c.provider.shouldConnect).toBe(false);
  });

  it('makes every connection read-only while the charter is finalised, and writable again on reopen', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const c = client(charter.id, section.id, api.token!);
    await c.synced;

    expect((await api.post(`/api/charters/${charter.id}/finalise`, { label: 'v1' })).status).toBe(201);
    const base = stats().droppedUpdates;
    prependParagraph(c.doc, 'After finalising');
    await droppedReaches(base + 1);
    expect(await freshTexts(srv.url, charter.id, section.id, api.token!)).not.toContain('After finalising');

    expect((await api.post(`/api/charters/${charter.id}/reopen`)).status).toBe(200);
    prependParagraph(c.doc, 'After reopening');
    await waitFor(async () => (await freshTexts(srv.url, charter.id, section.id, api.token!)).includes('After reopening'), { what: 'edit after reopen' });
  });

  it('carries presence between clients and removes it when a client leaves', async () => {
    const { api, charter } = await charterWithSecretariat(srv.url);
    const section = charter.sections[0]!;
    const observer = await addMember(api, charter.id, 'observer');
    const a = client(charter.id, section.id, api.token!);
    const b = client(charter.id, section.id, observer.token);
    a.provider.awareness.setLocalStateField('user', { name: 'Amina', color: '#c00' });
    b.provider.awareness.setLocalStateField('user', { name: 'Observer', color: '#00c' });
    await waitFor(() => (a.provider.awareness.getStates().get(b.doc.clientID) as { user?: { name: string } })?.user?.name === 'Observer', {
      what: 'observer presence at a',
    });
    await waitFor(() => (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } })?.user?.name === 'Amina', {
      what: 'secretariat presence at b',
    });
    clients.splice(clients.indexOf(b), 1);
    b.provider.disconnect();
    await waitFor(() => !a.provider.awareness.getStates().has(b.doc.clientID), { what: 'presence removed' });
    b.destroy();
  });
});
