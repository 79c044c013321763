import { afterAll, describe, expect, it } from 'vitest';
import { Api, startTestServer, tempDataDir, uniqueEmail } from '../helpers/server.js';

const data = tempDataDir();
afterAll(() => data.cleanup());

describe('data survives a restart', () => {
  it('keeps accounts, sessions, charters, sections, members and invitations on the same data dir', async () => {
    const first = await startTestServer({ dataDir: data.dir, keepData: true });
    const api = new Api(first.url);
    const email = uniqueEmail('persist');
    const user = await api.register(email, 'Persistent Secretariat', 'persistent password');
    const charter = (await api.post('/api/charters', { title: 'Durable charter', templateId: 'principles-of-practice' })).body.charter;
    const section = (await api.post(`/api/charters/${charter.id}/sections`, { title: 'Annex' })).body.section;
    const drafter = new Api(first.url);
    const drafterUser = await drafter.register(uniqueEmail('drafter'), 'Drafter');
    await api.post(`/api/charters/${charter.id}/members`, { email: drafterUser.email, role: 'drafter', sectionIds: [section.id] });
    const invite = (await api.post(`/api/charters/${charter.id}/members`, { email: uniqueEmail('later'), role: 'observer' })).body.invitation;
    const token = api.token!;
    await first.stop();

    const second = await startTestServer({ dataDir: data.dir, keepData: true });
    try {
      const again = new Api(second.url, token);
      expect((await again.get('/api/me')).body.user.id).toBe(user.id);
      const relogin = await new Api(second.url).post('/api/auth/login', { email, password: 'persistent password' });
      expect(relogin.status).toBe(200);
      const seen = (await again.get(`/api/charters/${charter.id}`)).body.charter;
      expect(seen.title).toBe('Durable charter');
      expect(seen.sections.map((s: { key: string }) => s.key)).toEqual([...charter.sections.map((s: { key: string }) => s.key), 'annex']);
      const members = (await again.get(`/api/charters/${charter.id}/members`)).body;
      expect(members.members.find((m: { userId: string }) => m.userId === drafterUser.id)).toMatchObject({ role: 'drafter', sectionIds: [section.id] });
      expect(members.invitations).toHaveLength(1);
      expect((await new Api(second.url).get(`/api/invitations/${invite.token}`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
