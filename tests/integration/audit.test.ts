import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, charterWithSecretariat, startTestServer, type TestServer } from '../helpers/server.js';
import { account, fetchBytes, signonBody } from './versions-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('audit trail', () => {
  it('records membership, finalise, reopen, sign-on, withdrawal, export and submission with actor and time', async () => {
    const { api, charter, user } = await charterWithSecretariat(server.url);
    const observer = await account(server, 'observer', 'Nok Observer');
    await api.post(`/api/charters/${charter.id}/members`, { email: observer.user.email, role: 'observer' });
    const version = (await api.post(`/api/charters/${charter.id}/finalise`, { label: 'First' })).body.version;
    const signer = await account(server, 'signer', 'Selam Signer');
    const signon = (await signer.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: 'MAP Foundation', country: 'TH' }))).body.signon;
    await signer.api.delete(`/api/versions/${version.id}/signons/${signon.id}`);
    await fetchBytes(server.url, `/api/versions/${version.id}/export.docx`);
    await api.get(`/api/versions/${version.id}/signons.csv`);
    const submission = (await api.post(`/api/versions/${version.id}/submissions`, { recipient: 'Khartoum Process Secretariat' })).body.submission;
    await api.patch(`/api/submissions/${submission.id}`, { status: 'acknowledged' });
    await api.post(`/api/charters/${charter.id}/reopen`);

    const res = await api.get(`/api/charters/${charter.id}/audit`);
    expect(res.status).toBe(200);
    const events = res.body.events as { at: string; actor: { id: string; name: string } | null; action: string; subject: string; details: any }[];
    for (const e of events) {
      expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(typeof e.action).toBe('string');
      expect(typeof e.subject).toBe('string');
      expect(typeof e.details).toBe('object');
    }
    const find = (action: string) => {
      const e = events.find((x) => x.action === action);
      expect(e, action).toBeDefined();
      return e!;
    };
    const secretariat = { id: user.id, name: user.name };
    expect(find('member.added')).toMatchObject({ actor: secretariat, subject: 'Nok Observer' });
    expect(find('charter.finalised')).toMatchObject({ actor: secretariat, details: { versionId: version.id, number: 1, sha256: version.sha256 } });
    expect(find('signon.created')).toMatchObject({
      actor: { id: signer.user.id, name: 'Selam Signer' },
      subject: 'MAP Foundation',
      details: { signonId: signon.id, versionSha256: version.sha256, country: 'TH' },
    });
    expect(find('signon.withdrawn')).toMatchObject({ actor: { id: signer.user.id, name: 'Selam Signer' }, details: { signonId: signon.id, by: 'signer' } });
    expect(find('version.exported')).toMatchObject({ actor: null, details: { versionId: version.id, format: 'docx' } });
    expect(find('signons.exported')).toMatchObject({ actor: secretariat, details: { format: 'csv' } });
    expect(find('submission.created')).toMatchObject({
      actor: secretariat,
      subject: 'Khartoum Process Secretariat',
      details: { submissionId: submission.id, docxSha256: submission.docxSha256 },
    });
    expect(find('submission.updated')).toMatchObject({ details: { from: 'submitted', to: 'acknowledged' } });
    expect(find('charter.reopened')).toMatchObject({ actor: secretariat, details: { afterVersion: 1 } });
    // In order of occurrence; no e-mail address of a signatory anywhere.
    const order = events.map((e) => e.action);
    expect(order.indexOf('charter.finalised')).toBeLessThan(order.indexOf('signon.created'));
    expect(order.indexOf('signon.created')).toBeLessThan(order.indexOf('signon.withdrawn'));
    expect(order.indexOf('submission.updated')).toBeLessThan(order.indexOf('charter.reopened'));
    expect(JSON.stringify(events)).not.toContain('director@');

    // Filter by an exact action or a prefix.
    const signons = (await api.get(`/api/charters/${charter.id}/audit?action=signon`)).body.events;
    expect(signons.map((e: { action: string }) => e.action)).toEqual(['signon.created', 'signon.withdrawn']);
    const exact = (await api.get(`/api/charters/${charter.id}/audit?action=charter.reopened`)).body.events;
    expect(exact).toHaveLength(1);
    const bad = await api.get(`/api/charters/${charter.id}/audit?action=${encodeURIComponent("'; DROP TABLE")}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_error');

    // Secretariat only: members 403, strangers 404, nobody 401.
    const byObserver = await observer.api.get(`/api/charters/${charter.id}/audit`);
    expect(byObserver.status).toBe(403);
    expect(byObserver.body.error.code).toBe('forbidden');
    expect((await signer.api.get(`/api/charters/${charter.id}/audit`)).status).toBe(404);
    expect((await new Api(server.url).get(`/api/charters/${charter.id}/audit`)).status).toBe(401);
    expect((await api.get('/api/charters/unknown/audit')).status).toBe(404);
  });

  it('is append-only in the database', async () => {
    const { charter } = await charterWithSecretariat(server.url);
    const db = server.ctx.store.db;
    expect(() => db.prepare("UPDATE audit_events SET action = 'x' WHERE charter_id = ?").run(charter.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_events WHERE charter_id = ?').run(charter.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM submission_events').run()).toThrow(/append-only/);
  });
});
