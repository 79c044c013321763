import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, charterWithSecretariat, startTestServer, uniqueEmail, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('security headers', () => {
  it('sends a strict CSP, nosniff, a referrer policy and no framing on API and pages', async () => {
    for (const path of ['/api/health', '/', '/charters/x']) {
      const res = await fetch(server.url + path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    expect((await fetch(`${server.url}/api/health`)).headers.get('cache-control')).toBe('no-store');
  });
});

describe('storage faults', () => {
  it('answers 503 while the database cannot be written, keeps reads working, and recovers', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const db = server.ctx.store.db;
    db.pragma('query_only = ON'); // every write now fails as on a read-only file
    try {
      const write = await api.post('/api/charters', { title: 'Cannot be saved' });
      expect(write.status).toBe(503);
      expect(write.body.error.code).toBe('storage_unavailable');
      expect(write.body.error.message).toMatch(/cannot save/i);
      const register = await new Api(server.url).post('/api/auth/register', { email: uniqueEmail(), password: 'long enough pass', name: 'X' });
      expect(register.status).toBe(503);
      const read = await api.get(`/api/charters/${charter.id}`);
      expect(read.status).toBe(200);
    } finally {
      db.pragma('query_only = OFF');
    }
    const after = await api.post('/api/charters', { title: 'Saved after the fault' });
    expect(after.status).toBe(201);
    const titles = (await api.get('/api/charters')).body.charters.map((c: { title: string }) => c.title);
    expect(titles).toContain('Saved after the fault');
    expect(titles).not.toContain('Cannot be saved');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
