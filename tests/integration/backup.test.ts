import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Api, repoRoot, spawnServer, tempDataDir, uniqueEmail } from '../helpers/server.js';

const run = promisify(execFile);
const live = tempDataDir();
const restored = tempDataDir();
const backups = tempDataDir();
afterAll(() => [live, restored, backups].forEach((d) => d.cleanup()));

const cli = (command: string, file: string, dataDir: string) =>
  run(process.execPath, ['--import', 'tsx', join(repoRoot, 'server/src/cli.ts'), command, file], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir },
  });

describe('backup and restore', () => {
  it('backs up while the server keeps writing, and restores into a fresh data dir', async () => {
    const server = await spawnServer(live.dir);
    const api = new Api(server.url);
    await api.register(uniqueEmail('backup'), 'Backup Secretariat');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await api.post('/api/charters', { title: `Charter ${i}`, templateId: 'sign-on-letter' })).body.charter.id);

    // Keep writing while the backup runs; every charter answered 201 before the backup started must be in it.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 200; i++) await api.post('/api/charters', { title: `During backup ${i}` });
    })();
    const file = join(backups.dir, 'charter-backup.db');
    const { stdout } = await cli('backup', file, live.dir);
    writing = false;
    await writer;
    expect(stdout).toMatch(/Backed up .* pages/);
    expect(existsSync(file)).toBe(true);

    // Restoring over a data dir a running server uses is refused.
    await expect(cli('restore', file, live.dir)).rejects.toMatchObject({ stderr: expect.stringMatching(/Stop it, then restore/) });
    await server.kill('SIGTERM');

    await cli('restore', file, restored.dir);
    const back = await spawnServer(restored.dir);
    try {
      const again = new Api(back.url, api.token);
      const charters = (await again.get('/api/charters')).body.charters as { id: string; sections: unknown[] }[];
      for (const id of made) expect(charters.map((c) => c.id)).toContain(id);
      const first = (await again.get(`/api/charters/${made[0]}`)).body.charter;
      expect(first.sections.map((s: { key: string }) => s.key)).toEqual(['letter']);
    } finally {
      await back.kill('SIGTERM');
    }
  });

  it('refuses to restore a file that is not a Charter database', async () => {
    const bogus = join(backups.dir, 'bogus.db');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bogus, 'this is not sqlite');
    await expect(cli('restore', bogus, restored.dir)).rejects.toMatchObject({ code: 1 });
  });
});
