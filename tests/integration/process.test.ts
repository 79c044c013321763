import { afterAll, describe, expect, it } from 'vitest';
import { Api, spawnServer, startTestServer, tempDataDir, uniqueEmail } from '../helpers/server.js';

const data = tempDataDir();
afterAll(() => data.cleanup());

describe('the server process', () => {
  it('shuts down cleanly on SIGTERM and starts again on the same data', async () => {
    const first = await spawnServer(data.dir);
    const api = new Api(first.url);
    await api.register(uniqueEmail('sigterm'), 'Before Shutdown');
    const charter = (await api.post('/api/charters', { title: 'Survives SIGTERM' })).body.charter;
    await first.kill('SIGTERM');
    expect(first.child.exitCode).toBe(0);
    expect(first.output()).toContain('"event":"shutting_down"');

    const second = await spawnServer(data.dir);
    try {
      const again = new Api(second.url, api.token);
      expect((await again.get(`/api/charters/${charter.id}`)).body.charter.title).toBe('Survives SIGTERM');
    } finally {
      await second.kill('SIGTERM');
    }
  });

  it('refuses to start with a bad environment value, naming it', async () => {
    await expect(spawnServer(data.dir, { PORT: 'eighty' })).rejects.toThrow(/Invalid environment: PORT/);
  });

  it('answers an unexpected failure with a generic 500, logging it on one line', async () => {
    const server = await startTestServer();
    const api = new Api(server.url);
    await api.register(uniqueEmail('fault'));
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    const { setLogLevel } = await import('../../server/src/log.js');
    setLogLevel('error');
    process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      // Pull the database out from under the running server: every query now throws a TypeError.
      server.ctx.store.db.close();
      const res = await api.get('/api/charters');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.stringMatching(/went wrong/) } });
      expect(JSON.stringify(res.body)).not.toMatch(/TypeError|database|\.ts/);
    } finally {
      process.stderr.write = original;
      setLogLevel('silent');
      await server.stop();
    }
    const lines = writes.join('').trim().split('\n');
    const entry = JSON.parse(lines.find((l) => l.includes('unhandled_error'))!);
    expect(entry).toMatchObject({ level: 'error', event: 'unhandled_error', method: 'GET', path: '/api/charters' });
  });
});
