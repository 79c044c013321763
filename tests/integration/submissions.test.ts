import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startTestServer, type TestServer } from '../helpers/server.js';
import { FORUM_ORGS, account, fetchBytes, finalisedCharter, sha256, signonBody } from './versions-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const IGAD = 'Intergovernmental Authority on Development (IGAD)';

async function withMembers() {
  const setup = await finalisedCharter(server, 'Nairobi forum');
  const observer = await account(server, 'observer');
  await setup.api.post(`/api/charters/${setup.charter.id}/members`, { email: observer.user.email, role: 'observer' });
  const stranger = await account(server, 'stranger');
  return { ...setup, observer, stranger };
}

describe('submissions', () => {
  it('keeps the exact bytes generated at submission time, with their hash and the sign-on count', async () => {
    const { api, version, charter } = await withMembers();
    const signer = await account(server, 'signer');
    for (const org of FORUM_ORGS.slice(0, 3)) await signer.api.post(`/api/versions/${version.id}/signons`, signonBody(org));

    const res = await api.post(`/api/versions/${version.id}/submissions`, {
      recipient: IGAD,
      reference: 'IGAD/SOC/2026/17',
      submittedAt: '2026-11-20T09:30:00+03:00',
      notes: 'Handed over at the ministerial meeting.',
    });
    expect(res.status).toBe(201);
    const submission = res.body.submission;
    expect(submission).toMatchObject({
      versionId: version.id,
      recipient: IGAD,
      reference: 'IGAD/SOC/2026/17',
      status: 'submitted',
      submittedAt: '2026-11-20T06:30:00.000Z',
      signonCount: 3,
      notes: 'Handed over at the ministerial meeting.',
    });
    expect(submission.id).toEqual(expect.any(String));
    expect(submission.docxSha256).toMatch(/^[0-9a-f]{64}$/);

    const doc = await fetchBytes(server.url, `/api/submissions/${submission.id}/document.docx`, api.token);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sha256(doc.bytes)).toBe(submission.docxSha256);
    const text = (await mammoth.extractRawText({ buffer: doc.bytes })).value;
    expect(text).toContain('3 organisations from 3 countries');
    expect(text).toContain(version.sha256);

    // Later sign-ons change later exports, never what was submitted.
    await signer.api.post(`/api/versions/${version.id}/signons`, signonBody(FORUM_ORGS[5]!));
    const again = await fetchBytes(server.url, `/api/submissions/${submission.id}/document.docx`, api.token);
    expect(again.bytes.equals(doc.bytes)).toBe(true);
    const second = await api.post(`/api/versions/${version.id}/submissions`, { recipient: 'East African Community (EAC) Secretariat' });
    expect(second.status).toBe(201);
    expect(second.body.submission).toMatchObject({ signonCount: 4, reference: null, status: 'submitted' });
    expect(second.body.submission.docxSha256).not.toBe(submission.docxSha256);
    expect(Date.parse(second.body.submission.submittedAt)).toBeGreaterThan(Date.now() - 60_000);
    const dated = await api.post(`/api/versions/${version.id}/submissions`, { recipient: 'African Union Commission', submittedAt: '2026-11-21' });
    expect(dated.body.submission.submittedAt).toBe('2026-11-21T00:00:00.000Z');

    const list = await api.get(`/api/charters/${charter.id}/submissions`);
    expect(list.status).toBe(200);
    expect(list.body.submissions.map((s: { id: string }) => s.id).sort()).toEqual(
      [submission.id, second.body.submission.id, dated.body.submission.id].sort(),
    );
    expect(() => server.ctx.store.db.prepare("UPDATE submissions SET docx = x'00' WHERE id = ?").run(submission.id)).toThrow();
    expect(() => server.ctx.store.db.prepare('DELETE FROM submissions WHERE id = ?').run(submission.id)).toThrow();
  });

  it('moves through the statuses, recording each change, and refuses anything else', async () => {
    const { api, version, observer, stranger } = await withMembers();
    const created = (await api.post(`/api/versions/${version.id}/submissions`, { recipient: 'African Union Commission' })).body.submission;
    const url = `/api/submissions/${created.id}`;

    for (const status of ['acknowledged', 'adopted', 'returned', 'submitted']) {
      const res = await api.patch(url, { status });
      expect(res.status).toBe(200);
      expect(res.body.submission).toMatchObject({ id: created.id, status, docxSha256: created.docxSha256 });
    }
    const noted = await api.patch(url, { notes: 'Returned for translation into French, then resubmitted.' });
    expect(noted.body.submission).toMatchObject({ status: 'submitted', notes: 'Returned for translation into French, then resubmitted.' });

    const bad = await api.patch(url, { status: 'approved' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_error');
    expect(bad.body.error.details.fields).toHaveProperty('status');
    expect((await api.patch(url, {})).status).toBe(400);
    expect((await api.patch(url, { notes: 5 })).status).toBe(400);
    expect((await observer.api.patch(url, { status: 'adopted' })).status).toBe(403);
    expect((await stranger.api.patch(url, { status: 'adopted' })).status).toBe(404);
    expect((await new Api(server.url).patch(url, { status: 'adopted' })).status).toBe(401);
    expect((await api.patch('/api/submissions/unknown', { status: 'adopted' })).status).toBe(404);

    const detail = await observer.api.get(url);
    expect(detail.status).toBe(200);
    expect(detail.body.submission.status).toBe('submitted');
    expect(detail.body.history.map((e: { fromStatus: string | null; toStatus: string }) => [e.fromStatus, e.toStatus])).toEqual([
      [null, 'submitted'],
      ['submitted', 'acknowledged'],
      ['acknowledged', 'adopted'],
      ['adopted', 'returned'],
      ['returned', 'submitted'],
      ['submitted', 'submitted'],
    ]);
    expect(detail.body.history.at(-1).notesChanged).toBe(true);
  });

  it('refuses submissions to those who may not, bad input and unknown versions, writing nothing', async () => {
    const { api, version, charter, observer, stranger } = await withMembers();
    const url = `/api/versions/${version.id}/submissions`;
    expect((await new Api(server.url).post(url, { recipient: IGAD })).status).toBe(401);
    const byObserver = await observer.api.post(url, { recipient: IGAD });
    expect(byObserver.status).toBe(403);
    expect(byObserver.body.error.code).toBe('forbidden');
    expect((await stranger.api.post(url, { recipient: IGAD })).status).toBe(403);
    expect((await api.post('/api/versions/unknown/submissions', { recipient: IGAD })).status).toBe(404);
    const noRecipient = await api.post(url, { reference: 'x' });
    expect(noRecipient.status).toBe(400);
    expect(noRecipient.body.error.details.fields).toHaveProperty('recipient');
    const badDate = await api.post(url, { recipient: IGAD, submittedAt: 'last Tuesday' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details.fields).toHaveProperty('submittedAt');
    expect((await api.post(url, { recipient: IGAD, submittedAt: '2026-02-30' })).status).toBe(400);
    expect((await api.post(url, { recipient: IGAD, submittedAt: '2026-02-30T10:00:00Z' })).status).toBe(400);
    expect((await api.post(url, { recipient: 'x'.repeat(301) })).status).toBe(400);

    expect((await api.get(`/api/charters/${charter.id}/submissions`)).body.submissions).toEqual([]);
    const created = (await api.post(url, { recipient: IGAD })).body.submission;

    // Reading: members of any role; strangers learn nothing.
    expect((await observer.api.get(`/api/charters/${charter.id}/submissions`)).status).toBe(200);
    expect((await stranger.api.get(`/api/charters/${charter.id}/submissions`)).status).toBe(404);
    expect((await new Api(server.url).get(`/api/charters/${charter.id}/submissions`)).status).toBe(401);
    const doc = `/api/submissions/${created.id}/document.docx`;
    expect((await fetchBytes(server.url, doc, observer.api.token)).status).toBe(200);
    expect((await fetchBytes(server.url, doc, stranger.api.token)).status).toBe(404);
    expect((await fetchBytes(server.url, doc)).status).toBe(401);
    expect((await fetchBytes(server.url, '/api/submissions/unknown/document.docx', api.token)).status).toBe(404);
  });
});
