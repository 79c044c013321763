import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startTestServer, uniqueEmail, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('accounts', () => {
  it('registers, signs in, reads me and signs out with a bearer token', async () => {
    const api = new Api(server.url);
    const email = uniqueEmail('amina');
    const reg = await api.post('/api/auth/register', { email, password: 'long enough pass', name: 'Amina Yusuf' });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ email, name: 'Amina Yusuf' });
    expect(typeof reg.body.user.id).toBe('string');
    expect(reg.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(reg.body.user).not.toHaveProperty('password_hash');

    const login = await new Api(server.url).post('/api/auth/login', { email: email.toUpperCase(), password: 'long enough pass' });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(reg.body.user.id);

    const me = await new Api(server.url, login.body.token).get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(email);

    const out = await new Api(server.url, login.body.token).post('/api/auth/logout');
    expect(out.status).toBe(204);
    const after = await new Api(server.url, login.body.token).get('/api/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    // The other session (from register) is still valid: logout ends only its own session.
    expect((await new Api(server.url, reg.body.token).get('/api/me')).status).toBe(200);
  });

  it('sets an HttpOnly SameSite=Lax session cookie that authenticates on its own', async () => {
    const email = uniqueEmail('cookie');
    const res = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'long enough pass', name: 'Cookie Person' }),
    });
    expect(res.status).toBe(201);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/charter_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here
    const pair = cookie.split(';')[0]!;
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie: pair } });
    expect(me.status).toBe(200);

    // A state-changing request riding on the cookie from another site is refused; from our own origin it passes.
    const cross = await fetch(`${server.url}/api/charters`, {
      method: 'POST',
      headers: { cookie: pair, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Forged' }),
    });
    expect(cross.status).toBe(403);
    expect((await cross.json()).error.code).toBe('forbidden');
    const same = await fetch(`${server.url}/api/charters`, {
      method: 'POST',
      headers: { cookie: pair, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Mine' }),
    });
    expect(same.status).toBe(201);
    const list = await fetch(`${server.url}/api/charters`, { headers: { cookie: pair } }).then((r) => r.json());
    expect(list.charters.map((c: { title: string }) => c.title)).toEqual(['Mine']);

    const logout = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: pair, origin: server.url } });
    expect(logout.status).toBe(204);
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie: pair } })).status).toBe(401);
  });

  it('refuses short passwords, taken e-mails and wrong credentials', async () => {
    const api = new Api(server.url);
    const short = await api.post('/api/auth/register', { email: uniqueEmail(), password: 'short', name: 'X' });
    expect(short.status).toBe(400);
    expect(short.body.error.code).toBe('validation_error');
    expect(short.body.error.details.fields).toHaveProperty('password');

    const email = uniqueEmail('taken');
    await new Api(server.url).register(email);
    const again = await api.post('/api/auth/register', { email: email.toUpperCase(), password: 'another long one', name: 'Y' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');

    const wrong = await api.post('/api/auth/login', { email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthenticated');
    const nobody = await api.post('/api/auth/login', { email: uniqueEmail('nobody'), password: 'whatever it is' });
    expect(nobody.status).toBe(401);
    expect(nobody.body.error.message).toBe(wrong.body.error.message);
  });

  it('throttles failed sign-ins per account with 429 and Retry-After', async () => {
    const api = new Api(server.url);
    const email = uniqueEmail('throttle');
    await new Api(server.url).register(email, 'Throttled', 'the right password');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await api.post('/api/auth/login', { email, password: `wrong ${i} password` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const blocked = await api.post('/api/auth/login', { email, password: 'the right password' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 401 on protected routes without a valid session', async () => {
    for (const token of [undefined, 'not-a-token', 'x'.repeat(500)]) {
      const api = new Api(server.url, token);
      expect((await api.get('/api/me')).status).toBe(401);
      expect((await api.get('/api/charters')).status).toBe(401);
      const create = await api.post('/api/charters', { title: 'No' });
      expect(create.status).toBe(401);
      expect(create.body.error.code).toBe('unauthenticated');
    }
  });
});
