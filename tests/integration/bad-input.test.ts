import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, charterWithSecretariat, startTestServer, uniqueEmail, type TestServer } from '../helpers/server.js';

let server: TestServer;
let owner: Awaited<ReturnType<typeof charterWithSecretariat>>;
let other: Awaited<ReturnType<typeof charterWithSecretariat>>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await charterWithSecretariat(server.url);
  other = await charterWithSecretariat(server.url);
});
afterAll(() => server.stop());

/** A snapshot of everything the owner can see, to prove refused requests changed nothing. */
async function snapshot() {
  const charter = (await owner.api.get(`/api/charters/${owner.charter.id}`)).body;
  const members = (await owner.api.get(`/api/charters/${owner.charter.id}/members`)).body;
  const charters = (await owner.api.get('/api/charters')).body;
  return JSON.stringify({ charter, members, charters });
}

function expectError(res: { status: number; body: any; headers: Headers }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(typeof res.body.error.code).toBe('string');
  expect(res.body.error.code).toMatch(/^[a-z_]+$/);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(5);
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|SQLITE|stack/i);
  if (code) expect(res.body.error.code).toBe(code);
}

describe('bad input on every write route', () => {
  const routes = () => {
    const c = owner.charter.id;
    const s = owner.charter.sections[0]!.id;
    return [
      { method: 'POST', path: '/api/auth/register', valid: { email: uniqueEmail('v'), password: 'long enough pass', name: 'Valid' } },
      { method: 'POST', path: '/api/auth/login', valid: { email: 'a@b.org', password: 'x' } },
      { method: 'POST', path: '/api/charters', valid: { title: 'Valid title' } },
      { method: 'PATCH', path: `/api/charters/${c}`, valid: { title: 'Valid title' } },
      { method: 'POST', path: `/api/charters/${c}/sections`, valid: { title: 'Valid section' } },
      { method: 'PATCH', path: `/api/charters/${c}/sections/${s}`, valid: { title: 'Valid section' } },
      { method: 'POST', path: `/api/charters/${c}/members`, valid: { email: uniqueEmail('m'), role: 'observer' } },
    ];
  };

  it('answers malformed JSON, non-objects and wrong types with 400 and changes nothing', async () => {
    const before = await snapshot();
    for (const route of routes()) {
      for (const raw of ['{bad json', '[1,2,3]', '"a string"', 'null', '42', '{"title": }']) {
        const res = await owner.api.request(route.method, route.path, raw);
        expectError(res, 400, 'validation_error');
      }
      const valid = route.valid as Record<string, unknown>;
      for (const key of Object.keys(valid)) {
        for (const wrong of [123, true, [], {}, null]) {
          const res = await owner.api.request(route.method, route.path, { ...valid, [key]: wrong });
          if (route.path === '/api/auth/login' && key === 'password' && wrong === null) continue;
          expectError(res, 400, 'validation_error');
          expect(Object.keys(res.body.error.details.fields)).toContain(key);
        }
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses missing fields, unknown enum values, oversized and invalid strings', async () => {
    const before = await snapshot();
    const c = owner.charter.id;
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/auth/register', { password: 'long enough pass', name: 'No email' }, 'email'],
      ['POST', '/api/auth/register', { email: 'not-an-email', password: 'long enough pass', name: 'X' }, 'email'],
      ['POST', '/api/auth/register', { email: uniqueEmail(), password: 'long enough pass', name: 'x'.repeat(201) }, 'name'],
      ['POST', '/api/auth/register', { email: uniqueEmail(), password: 'long enough pass', name: '   ' }, 'name'],
      ['POST', '/api/auth/register', { email: uniqueEmail(), password: 'long enough pass', name: 'Nul\u0000byte' }, 'name'],
      ['POST', '/api/auth/register', { email: uniqueEmail(), password: 'long enough pass', name: 'Lone \ud800 surrogate' }, 'name'],
      ['POST', '/api/auth/register', { email: uniqueEmail(), password: 'long enough pass', name: 'X', organisation: { name: 'HAART', country: 'Kenya' } }, 'organisation.country'],
      ['POST', '/api/auth/register', { email: uniqueEmail(), password: 'long enough pass', name: 'X', organisation: { name: 'HAART', country: 'ke' } }, 'organisation.country'],
      ['POST', '/api/auth/register', { email: uniqueEmail(), password: 'long enough pass', name: 'X', organisation: { name: 'HAART', country: 'ZZ' } }, 'organisation.country'],
      ['POST', '/api/charters', {}, 'title'],
      ['POST', '/api/charters', { title: 't'.repeat(301) }, 'title'],
      ['POST', '/api/charters', { title: 'ok', description: 'd'.repeat(5001) }, 'description'],
      ['POST', `/api/charters/${c}/sections`, { title: 'ok', key: 'Not A Key!' }, 'key'],
      ['PATCH', `/api/charters/${c}/sections/${owner.charter.sections[0]!.id}`, { position: -1 }, 'position'],
      ['PATCH', `/api/charters/${c}/sections/${owner.charter.sections[0]!.id}`, { position: 1.5 }, 'position'],
      ['PATCH', `/api/charters/${c}/sections/${owner.charter.sections[0]!.id}`, {}, '(body)'],
      ['POST', `/api/charters/${c}/members`, { email: uniqueEmail(), role: 'admin' }, 'role'],
      ['POST', `/api/charters/${c}/members`, { email: uniqueEmail() }, 'role'],
      ['POST', `/api/charters/${c}/members`, { email: uniqueEmail(), role: 'drafter', sectionIds: 'all' }, 'sectionIds'],
    ];
    for (const [method, path, body, field] of cases) {
      const api = path.startsWith('/api/auth') ? new Api(server.url) : owner.api;
      const res = await api.request(method, path, body);
      expectError(res, 400, 'validation_error');
      expect(Object.keys(res.body.error.details.fields)).toContain(field);
    }
    expect(await snapshot()).toBe(before);
  });

  it('answers unknown ids and someone else’s ids with 404 (or 403), never leaking the other charter', async () => {
    const before = await snapshot();
    const theirs = other.charter;
    const responses = [
      await owner.api.get('/api/charters/does-not-exist'),
      await owner.api.get('/api/charters/%00%00'),
      await owner.api.get(`/api/charters/${'a'.repeat(300)}`),
      await owner.api.get(`/api/charters/${theirs.id}`),
      await owner.api.get(`/api/charters/${theirs.id}/members`),
      await owner.api.patch(`/api/charters/${theirs.id}`, { title: 'Taken over' }),
      await owner.api.post(`/api/charters/${theirs.id}/sections`, { title: 'Injected' }),
      await owner.api.patch(`/api/charters/${theirs.id}/sections/${theirs.sections[0]!.id}`, { title: 'Renamed' }),
      // Their section id through my own charter: still not found.
      await owner.api.patch(`/api/charters/${owner.charter.id}/sections/${theirs.sections[0]!.id}`, { title: 'Renamed' }),
      await owner.api.patch(`/api/charters/${owner.charter.id}/members/${other.user.id}`, { role: 'observer' }),
      await owner.api.delete(`/api/charters/${owner.charter.id}/members/${other.user.id}`),
      await owner.api.delete(`/api/charters/${owner.charter.id}/invitations/nope`),
      await new Api(server.url).get('/api/invitations/not-a-real-invitation-token'),
    ];
    for (const res of responses) {
      expect([403, 404]).toContain(res.status);
      expectError(res, res.status);
      expect(JSON.stringify(res.body)).not.toContain(theirs.id);
    }
    expect(await snapshot()).toBe(before);
    const untouched = (await other.api.get(`/api/charters/${theirs.id}`)).body.charter;
    expect(untouched.title).toBe('Regional principles of practice');
    expect(untouched.sections).toEqual(theirs.sections);
  });

  it('answers 413 to an oversized body and 404 JSON to unknown API routes', async () => {
    const huge = await owner.api.post('/api/charters', { title: 'x', description: 'y'.repeat(2 * 1024 * 1024) });
    expectError(huge, 413, 'payload_too_large');
    const unknown = await owner.api.get('/api/nothing-here');
    expectError(unknown, 404, 'not_found');
  });

  it('ignores prototype-pollution keys and unknown fields', async () => {
    const res = await owner.api.request('POST', '/api/charters', '{"title":"Proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(res.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(res.body.charter).not.toHaveProperty('polluted');
  });
});
