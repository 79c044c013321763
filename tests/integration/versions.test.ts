import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, charterWithSecretariat, uniqueEmail, startTestServer, type TestServer } from '../helpers/server.js';
import { account, appendParagraphs, finalisedCharter, signonBody } from './versions-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const HEX64 = /^[0-9a-f]{64}$/;

describe('finalise', () => {
  it('freezes the current text of every section as version 1 and marks the charter finalised', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const cases = charter.sections.find((s) => s.key === 'case-management')!;
    appendParagraphs(server, cases.id, ['Agreed in plenary: every case has one named case worker.']);

    const res = await api.post(`/api/charters/${charter.id}/finalise`, { label: 'Adopted at the Nairobi forum' });
    expect(res.status).toBe(201);
    const version = res.body.version;
    expect(version).toMatchObject({ charterId: charter.id, number: 1, label: 'Adopted at the Nairobi forum' });
    expect(version.id).toEqual(expect.any(String));
    expect(version.sha256).toMatch(HEX64);
    expect(version.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    expect((await api.get(`/api/charters/${charter.id}`)).body.charter.status).toBe('finalised');

    // Public: read without any session.
    const read = await new Api(server.url).get(`/api/versions/${version.id}`);
    expect(read.status).toBe(200);
    expect(read.body.version).toEqual(version);
    expect(read.body.charter).toEqual({ id: charter.id, title: 'Regional principles of practice' });
    expect(read.body.sections.map((s: { key: string }) => s.key)).toEqual(charter.sections.map((s) => s.key));
    for (const s of read.body.sections) {
      expect(s.title).toBeTruthy();
      expect(s.doc.type).toBe('doc');
      expect(s.text.length).toBeGreaterThan(20);
    }
    const frozen = read.body.sections.find((s: { key: string }) => s.key === 'case-management');
    expect(frozen.text).toContain('Agreed in plenary: every case has one named case worker.');
    expect(frozen.text).toContain('Case management');
    expect(JSON.stringify(frozen.doc)).toContain('Agreed in plenary');

    // Writes that reach storage after finalising do not change the version.
    appendParagraphs(server, cases.id, ['Written after finalising.']);
    const again = await new Api(server.url).get(`/api/versions/${version.id}`);
    expect(again.body).toEqual(read.body);
    expect(JSON.stringify(again.body)).not.toContain('Written after finalising');

    const verify = await new Api(server.url).get(`/api/versions/${version.id}/verify`);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true, sha256: version.sha256 });
  });

  it('tells live connections at once that the charter became read-only (accessChanged)', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const seen: string[] = [];
    const listener = (id: string) => seen.push(id);
    server.ctx.bus.on('accessChanged', listener);
    try {
      await api.post(`/api/charters/${charter.id}/finalise`);
      expect(seen).toContain(charter.id);
      seen.length = 0;
      await api.post(`/api/charters/${charter.id}/reopen`);
      expect(seen).toContain(charter.id);
    } finally {
      server.ctx.bus.off('accessChanged', listener);
    }
  });

  it('gives two charters with the same text the same hash, and a different text a different one', async () => {
    const a = await finalisedCharter(server);
    const b = await finalisedCharter(server);
    expect(a.version.sha256).toBe(b.version.sha256);
    const c = await charterWithSecretariat(server.url);
    appendParagraphs(server, c.charter.sections[0]!.id, ['One more sentence.']);
    const v = await c.api.post(`/api/charters/${c.charter.id}/finalise`);
    expect(v.body.version.sha256).not.toBe(a.version.sha256);
  });

  it('refuses finalising and reopening to those who may not, and in the wrong state', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const observer = await account(server, 'observer');
    const drafterEmail = uniqueEmail('drafter');
    const drafter = new Api(server.url);
    await drafter.register(drafterEmail);
    await api.post(`/api/charters/${charter.id}/members`, { email: observer.user.email, role: 'observer' });
    await api.post(`/api/charters/${charter.id}/members`, { email: drafterEmail, role: 'drafter' });
    const stranger = await account(server, 'stranger');

    expect((await new Api(server.url).post(`/api/charters/${charter.id}/finalise`)).status).toBe(401);
    const byObserver = await observer.api.post(`/api/charters/${charter.id}/finalise`);
    expect(byObserver.status).toBe(403);
    expect(byObserver.body.error.code).toBe('forbidden');
    expect((await drafter.post(`/api/charters/${charter.id}/finalise`)).status).toBe(403);
    const byStranger = await stranger.api.post(`/api/charters/${charter.id}/finalise`);
    expect(byStranger.status).toBe(404);
    expect(byStranger.body.error.code).toBe('not_found');
    expect((await api.post('/api/charters/no-such-charter/finalise')).status).toBe(404);

    const tooLong = await api.post(`/api/charters/${charter.id}/finalise`, { label: 'x'.repeat(201) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('validation_error');
    expect(tooLong.body.error.details.fields).toHaveProperty('label');
    const notJson = await api.request('POST', `/api/charters/${charter.id}/finalise`, '{"label":', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect((await api.get(`/api/charters/${charter.id}/versions`)).body.versions).toEqual([]);

    const reopenDrafting = await api.post(`/api/charters/${charter.id}/reopen`);
    expect(reopenDrafting.status).toBe(409);
    expect(reopenDrafting.body.error.code).toBe('not_finalised');

    expect((await api.post(`/api/charters/${charter.id}/finalise`)).status).toBe(201);
    const twice = await api.post(`/api/charters/${charter.id}/finalise`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_finalised');
    expect(twice.body.error.message).toEqual(expect.any(String));

    expect((await new Api(server.url).post(`/api/charters/${charter.id}/reopen`)).status).toBe(401);
    expect((await observer.api.post(`/api/charters/${charter.id}/reopen`)).status).toBe(403);
    expect((await stranger.api.post(`/api/charters/${charter.id}/reopen`)).status).toBe(404);
    expect((await api.get(`/api/charters/${charter.id}/versions`)).body.versions).toHaveLength(1);
  });

  it('answers 404 for unknown or malformed version ids, on every version route', async () => {
    const anon = new Api(server.url);
    for (const path of ['/api/versions/nope', '/api/versions/nope/verify', '/api/versions/nope/export.docx', '/api/versions/nope/signons', '/api/versions/bad%20id']) {
      const res = await anon.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });

  it('lists versions to members only', async () => {
    const { api, charter } = await finalisedCharter(server);
    const observer = await account(server, 'observer');
    await api.post(`/api/charters/${charter.id}/members`, { email: observer.user.email, role: 'observer' });
    const list = await observer.api.get(`/api/charters/${charter.id}/versions`);
    expect(list.status).toBe(200);
    expect(list.body.versions).toHaveLength(1);
    expect(list.body.versions[0]).toMatchObject({ number: 1, charterId: charter.id, sha256: expect.stringMatching(HEX64) });
    expect((await new Api(server.url).get(`/api/charters/${charter.id}/versions`)).status).toBe(401);
    expect((await (await account(server)).api.get(`/api/charters/${charter.id}/versions`)).status).toBe(404);
  });
});

describe('reopen and a second version', () => {
  it('returns the charter to drafting and leaves version 1 and its sign-ons as they were', async () => {
    const { api, charter, version: v1 } = await finalisedCharter(server, 'First');
    const signer = await account(server, 'signer');
    const signed = await signer.api.post(`/api/versions/${v1.id}/signons`, signonBody({ name: 'MAP Foundation', country: 'TH', acronym: 'MAP' }));
    expect(signed.status).toBe(201);
    const v1Before = (await api.get(`/api/versions/${v1.id}`)).body;

    const reopened = await api.post(`/api/charters/${charter.id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body.charter).toMatchObject({ id: charter.id, status: 'drafting', role: 'secretariat' });
    expect(reopened.body.charter.sections).toHaveLength(charter.sections.length);

    // Drafting again: text changes, a section is added and one renamed.
    appendParagraphs(server, charter.sections.find((s) => s.key === 'shelters')!.id, ['Shelters open to men and boys as well.']);
    const added = await api.post(`/api/charters/${charter.id}/sections`, { title: 'Data protection', key: 'data-protection' });
    expect(added.status).toBe(201);
    const access = charter.sections.find((s) => s.key === 'access-to-justice')!;
    expect((await api.patch(`/api/charters/${charter.id}/sections/${access.id}`, { title: 'Access to justice and remedies' })).status).toBe(200);

    const second = await api.post(`/api/charters/${charter.id}/finalise`, { label: 'Second' });
    expect(second.status).toBe(201);
    const v2 = second.body.version;
    expect(v2.number).toBe(2);
    expect(v2.sha256).not.toBe(v1.sha256);

    expect((await api.get(`/api/versions/${v1.id}`)).body).toEqual(v1Before);
    expect((await api.get(`/api/versions/${v1.id}/verify`)).body).toMatchObject({ ok: true, sha256: v1.sha256 });
    expect((await api.get(`/api/versions/${v2.id}/verify`)).body).toMatchObject({ ok: true, sha256: v2.sha256 });
    const v1Signons = (await new Api(server.url).get(`/api/versions/${v1.id}/signons`)).body;
    expect(v1Signons.total).toBe(1);
    expect(v1Signons.byCountry[0].signons[0].id).toBe(signed.body.signon.id);
    expect((await new Api(server.url).get(`/api/versions/${v2.id}/signons`)).body.total).toBe(0);

    const versions = (await api.get(`/api/charters/${charter.id}/versions`)).body.versions;
    expect(versions.map((v: { number: number }) => v.number)).toEqual([1, 2]);
    expect(versions[0]).toMatchObject({ id: v1.id, label: 'First', signonCount: 1 });
    expect(versions[1]).toMatchObject({ id: v2.id, label: 'Second', signonCount: 0 });

    // An organisation may still sign the earlier version: it is immutable.
    const late = await signer.api.post(`/api/versions/${v1.id}/signons`, signonBody({ name: 'Chab Dai Coalition', country: 'KH' }));
    expect(late.status).toBe(201);

    // A readable comparison of the two versions, section by section.
    const cmp = await new Api(server.url).get(`/api/versions/${v1.id}/compare/${v2.id}`);
    expect(cmp.status).toBe(200);
    expect(cmp.body.from.id).toBe(v1.id);
    expect(cmp.body.to.id).toBe(v2.id);
    const byKey = Object.fromEntries(cmp.body.sections.map((s: { key: string }) => [s.key, s]));
    expect(byKey['data-protection']).toMatchObject({ change: 'added', title: { from: null, to: 'Data protection' } });
    expect(byKey.shelters.change).toBe('changed');
    expect(byKey.shelters.diff).toContainEqual({ op: 'insert', text: expect.stringContaining('Shelters open to men and boys as well.') });
    expect(byKey['access-to-justice']).toMatchObject({
      change: 'changed',
      formattingOnly: false,
      title: { from: 'Access to justice', to: 'Access to justice and remedies' },
    });
    expect(byKey['case-management']).toMatchObject({ change: 'unchanged', diff: [] });
    expect(cmp.body.summary).toEqual({ added: 1, removed: 0, changed: 2, unchanged: charter.sections.length - 2 });
    // Backwards, the added section is removed.
    const back = await api.get(`/api/versions/${v2.id}/compare/${v1.id}`);
    expect(back.body.sections.find((s: { key: string }) => s.key === 'data-protection')).toMatchObject({ change: 'removed' });
    expect(back.body.summary.removed).toBe(1);
  });

  it('refuses to compare versions of different charters, or unknown ones', async () => {
    const a = await finalisedCharter(server);
    const b = await finalisedCharter(server);
    const cross = await a.api.get(`/api/versions/${a.version.id}/compare/${b.version.id}`);
    expect(cross.status).toBe(400);
    expect(cross.body.error.code).toBe('validation_error');
    expect((await a.api.get(`/api/versions/${a.version.id}/compare/unknown`)).status).toBe(404);
  });
});

describe('immutability', () => {
  it('cannot be altered in place, and verify notices a change made behind its back', async () => {
    const { version } = await finalisedCharter(server);
    const db = server.ctx.store.db;
    expect(() => db.prepare("UPDATE versions SET label = 'changed' WHERE id = ?").run(version.id)).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE version_sections SET text = 'changed' WHERE version_id = ?").run(version.id)).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM version_sections WHERE version_id = ?').run(version.id)).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM versions WHERE id = ?').run(version.id)).toThrow(/immutable/);

    // Someone with the database file drops the guard and edits the text: verify says so.
    db.exec('DROP TRIGGER version_sections_no_update');
    try {
      db.prepare("UPDATE version_sections SET text = text || ' (edited)' WHERE version_id = ? AND position = 0").run(version.id);
      const res = await new Api(server.url).get(`/api/versions/${version.id}/verify`);
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.sha256).not.toBe(version.sha256);
      expect(res.body.recorded).toBe(version.sha256);
    } finally {
      db.exec(`CREATE TRIGGER version_sections_no_update BEFORE UPDATE ON version_sections
        BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;`);
    }
  });
});
