import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, charterWithSecretariat, startTestServer, uniqueEmail, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function person(label: string) {
  const api = new Api(server.url);
  const user = await api.register(uniqueEmail(label), `${label} person`);
  return { api, user };
}

describe('members and working groups', () => {
  it('adds existing accounts with roles and limits drafters to their sections', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const drafter = await person('drafter');
    const observer = await person('observer');
    const shelters = charter.sections.find((s) => s.key === 'shelters')!;

    const add = await api.post(`/api/charters/${charter.id}/members`, { email: drafter.user.email, role: 'drafter', sectionIds: [shelters.id] });
    expect(add.status).toBe(201);
    expect(add.body.member).toEqual({
      userId: drafter.user.id,
      email: drafter.user.email,
      name: 'drafter person',
      role: 'drafter',
      sectionIds: [shelters.id],
      organisation: null,
    });
    expect((await api.post(`/api/charters/${charter.id}/members`, { email: observer.user.email, role: 'observer' })).status).toBe(201);

    const members = await drafter.api.get(`/api/charters/${charter.id}/members`);
    expect(members.status).toBe(200);
    expect(members.body.members.map((m: { role: string }) => m.role).sort()).toEqual(['drafter', 'observer', 'secretariat']);
    expect(members.body).not.toHaveProperty('invitations');

    const seen = await drafter.api.get(`/api/charters/${charter.id}`);
    expect(seen.body.charter).toMatchObject({ role: 'drafter', assignedSectionIds: [shelters.id] });
    expect((await observer.api.get('/api/charters')).body.charters.map((c: { id: string }) => c.id)).toEqual([charter.id]);

    const dup = await api.post(`/api/charters/${charter.id}/members`, { email: drafter.user.email, role: 'observer' });
    expect(dup.status).toBe(409);
  });

  it('keeps drafters and observers from secretariat actions and strangers out entirely', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const drafter = await person('drafter');
    const stranger = await person('stranger');
    await api.post(`/api/charters/${charter.id}/members`, { email: drafter.user.email, role: 'drafter' });
    const section = charter.sections[0]!;

    expect((await drafter.api.post(`/api/charters/${charter.id}/sections`, { title: 'Mine' })).status).toBe(403);
    expect((await drafter.api.patch(`/api/charters/${charter.id}/sections/${section.id}`, { title: 'Renamed' })).status).toBe(403);
    const invite = await drafter.api.post(`/api/charters/${charter.id}/members`, { email: stranger.user.email, role: 'secretariat' });
    expect(invite.status).toBe(403);
    expect(invite.body.error.code).toBe('forbidden');

    for (const res of [
      await stranger.api.get(`/api/charters/${charter.id}`),
      await stranger.api.get(`/api/charters/${charter.id}/members`),
      await stranger.api.post(`/api/charters/${charter.id}/sections`, { title: 'Intrusion' }),
      await stranger.api.patch(`/api/charters/${charter.id}/sections/${section.id}`, { title: 'Intrusion' }),
      await stranger.api.post(`/api/charters/${charter.id}/members`, { email: stranger.user.email, role: 'secretariat' }),
    ]) {
      expect([403, 404]).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain('Regional principles');
    }
    expect((await stranger.api.get('/api/charters')).body.charters).toEqual([]);
    // Nothing the refused calls asked for happened.
    const after = (await api.get(`/api/charters/${charter.id}`)).body.charter;
    expect(after.sections).toEqual(charter.sections);
    expect((await api.get(`/api/charters/${charter.id}/members`)).body.members).toHaveLength(2);
  });

  it('invites people without an account; the role waits for them at registration', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const justice = charter.sections.find((s) => s.key === 'access-to-justice')!;
    const email = uniqueEmail('invitee');
    const res = await api.post(`/api/charters/${charter.id}/members`, { email, role: 'drafter', sectionIds: [justice.id] });
    expect(res.status).toBe(201);
    const { token, url } = res.body.invitation;
    expect(typeof token).toBe('string');
    expect(url).toContain(encodeURIComponent(token));
    expect(url.startsWith(server.url)).toBe(true);

    const listed = await api.get(`/api/charters/${charter.id}/members`);
    expect(listed.body.invitations).toEqual([expect.objectContaining({ email, role: 'drafter', sectionIds: [justice.id] })]);

    const preview = await new Api(server.url).get(`/api/invitations/${token}`);
    expect(preview.body.invitation).toMatchObject({ role: 'drafter', charter: { id: charter.id } });

    const invitee = new Api(server.url);
    const reg = await invitee.post('/api/auth/register', { email, password: 'a long password', name: 'Invited Drafter', invitation: token });
    expect(reg.status).toBe(201);
    invitee.token = reg.body.token;
    const seen = await invitee.get(`/api/charters/${charter.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.charter).toMatchObject({ role: 'drafter', assignedSectionIds: [justice.id] });
    expect((await api.get(`/api/charters/${charter.id}/members`)).body.invitations).toEqual([]);

    // A used invitation cannot be used again, and a bad one fails registration without creating the account.
    const reuseEmail = uniqueEmail('reuse');
    const reuse = await new Api(server.url).post('/api/auth/register', { email: reuseEmail, password: 'a long password', name: 'Late', invitation: token });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error.details.fields).toHaveProperty('invitation');
    expect((await new Api(server.url).post('/api/auth/login', { email: reuseEmail, password: 'a long password' })).status).toBe(401);
  });

  it('accepts an invitation for a person who already has an account, and can revoke one', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const later = await api.post(`/api/charters/${charter.id}/members`, { email: uniqueEmail('later'), role: 'observer' });
    const existing = await person('existing');
    const accepted = await existing.api.post('/api/invitations/accept', { token: later.body.invitation.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ charterId: charter.id, role: 'observer' });

    const revoked = await api.post(`/api/charters/${charter.id}/members`, { email: uniqueEmail('revoked'), role: 'drafter' });
    expect((await api.delete(`/api/charters/${charter.id}/invitations/${revoked.body.invitation.id}`)).status).toBe(204);
    expect((await new Api(server.url).get(`/api/invitations/${revoked.body.invitation.token}`)).status).toBe(404);
  });

  it('always keeps at least one secretariat', async () => {
    const { api, user, charter } = await charterWithSecretariat(server.url);
    const demote = await api.patch(`/api/charters/${charter.id}/members/${user.id}`, { role: 'observer' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_secretariat');
    expect((await api.delete(`/api/charters/${charter.id}/members/${user.id}`)).status).toBe(409);

    const second = await person('second');
    await api.post(`/api/charters/${charter.id}/members`, { email: second.user.email, role: 'secretariat' });
    expect((await api.patch(`/api/charters/${charter.id}/members/${user.id}`, { role: 'observer' })).status).toBe(200);
    expect((await api.get(`/api/charters/${charter.id}`)).body.charter.role).toBe('observer');
    expect((await second.api.patch(`/api/charters/${charter.id}/members/${second.user.id}`, { role: 'drafter' })).status).toBe(409);
  });

  it('refuses sections that are not the charter’s, and sections for non-drafters', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const other = await charterWithSecretariat(server.url);
    const p = await person('p');
    const foreign = await api.post(`/api/charters/${charter.id}/members`, { email: p.user.email, role: 'drafter', sectionIds: [other.charter.sections[0]!.id] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details.fields).toHaveProperty('sectionIds');
    const observerWithSections = await api.post(`/api/charters/${charter.id}/members`, { email: p.user.email, role: 'observer', sectionIds: [charter.sections[0]!.id] });
    expect(observerWithSections.status).toBe(400);
    expect((await p.api.get(`/api/charters/${charter.id}`)).status).toBe(404);
  });
});
