import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, charterWithSecretariat, startTestServer, uniqueEmail, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('templates and charters', () => {
  it('lists the templates with their sections', async () => {
    const res = await new Api(server.url).get('/api/templates');
    expect(res.status).toBe(200);
    const ids = res.body.templates.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['principles-of-practice', 'joint-recommendations', 'sign-on-letter']));
    const pop = res.body.templates.find((t: { id: string }) => t.id === 'principles-of-practice');
    expect(pop.sections.map((s: { key: string }) => s.key)).toEqual(
      expect.arrayContaining(['case-management', 'shelters', 'access-to-justice']),
    );
    for (const t of res.body.templates) {
      expect(t.title).toBeTruthy();
      expect(t.description).toBeTruthy();
      for (const s of t.sections) expect(s).toMatchObject({ key: expect.any(String), title: expect.any(String) });
    }
  });

  it('creates a charter from each template with its sections, the creator as secretariat', async () => {
    const api = new Api(server.url);
    await api.register(uniqueEmail('creator'));
    const templates = (await api.get('/api/templates')).body.templates as { id: string; sections: { key: string; title: string }[] }[];
    for (const template of templates) {
      const res = await api.post('/api/charters', { title: `From ${template.id}`, templateId: template.id });
      expect(res.status).toBe(201);
      const charter = res.body.charter;
      expect(charter).toMatchObject({ title: `From ${template.id}`, status: 'drafting', templateId: template.id, role: 'secretariat' });
      expect(charter.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(charter.sections.map((s: { key: string }) => s.key)).toEqual(template.sections.map((s) => s.key));
      expect(charter.sections.map((s: { position: number }) => s.position)).toEqual(template.sections.map((_, i) => i));
      const again = await api.get(`/api/charters/${charter.id}`);
      expect(again.status).toBe(200);
      expect(again.body.charter.sections).toEqual(charter.sections);
    }
    const list = await api.get('/api/charters');
    expect(list.body.charters).toHaveLength(templates.length);
  });

  it('creates a charter without a template and refuses an unknown template', async () => {
    const api = new Api(server.url);
    await api.register(uniqueEmail());
    const plain = await api.post('/api/charters', { title: 'Joint statement', description: 'On shelters' });
    expect(plain.status).toBe(201);
    expect(plain.body.charter).toMatchObject({ description: 'On shelters', templateId: null, sections: [] });
    const unknown = await api.post('/api/charters', { title: 'X', templateId: 'no-such-template' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields).toHaveProperty('templateId');
    expect((await api.get('/api/charters')).body.charters).toHaveLength(1);
  });

  it('lets the secretariat add, rename and reorder sections', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const added = await api.post(`/api/charters/${charter.id}/sections`, { title: 'Data protection' });
    expect(added.status).toBe(201);
    expect(added.body.section).toMatchObject({ key: 'data-protection', title: 'Data protection', position: charter.sections.length });

    const explicit = await api.post(`/api/charters/${charter.id}/sections`, { title: 'Children', key: 'children' });
    expect(explicit.body.section.key).toBe('children');
    const clash = await api.post(`/api/charters/${charter.id}/sections`, { title: 'Children again', key: 'children' });
    expect(clash.status).toBe(409);
    const derived = await api.post(`/api/charters/${charter.id}/sections`, { title: 'Children' });
    expect(derived.body.section.key).toBe('children-2');

    const renamed = await api.patch(`/api/charters/${charter.id}/sections/${added.body.section.id}`, { title: 'Data protection and privacy' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.section.title).toBe('Data protection and privacy');

    const moved = await api.patch(`/api/charters/${charter.id}/sections/${added.body.section.id}`, { position: 0 });
    expect(moved.body.section.position).toBe(0);
    const sections = (await api.get(`/api/charters/${charter.id}`)).body.charter.sections as { id: string; position: number }[];
    expect(sections[0]!.id).toBe(added.body.section.id);
    expect(sections.map((s) => s.position)).toEqual(sections.map((_, i) => i));
  });
});
