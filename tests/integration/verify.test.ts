import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/src/db/index.js';
import { databaseFile } from '../../server/src/server.js';
import { repoRoot, startTestServer, tempDataDir } from '../helpers/server.js';
import { finalisedCharter } from './versions-helpers.js';

const run = promisify(execFile);
const data = tempDataDir();
afterAll(() => data.cleanup());

/** `pnpm verify` on a data dir: its exit code and output (a non-zero exit is not thrown). */
async function verify(dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(repoRoot, 'server/src/cli.ts'), 'verify'], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('pnpm verify', () => {
  it('passes clean data (also while the server runs) and names each tampered version and submission', async () => {
    const server = await startTestServer({ dataDir: data.dir, keepData: true });
    let first: Awaited<ReturnType<typeof finalisedCharter>>;
    let second: Awaited<ReturnType<typeof finalisedCharter>>;
    let submissionId: string;
    try {
      first = await finalisedCharter(server, 'Nairobi');
      second = await finalisedCharter(server, 'Bangkok');
      const sub = await first.api.post(`/api/versions/${first.version.id}/submissions`, { recipient: 'East African Community' });
      expect(sub.status).toBe(201);
      submissionId = sub.body.submission.id;

      const live = await verify(data.dir);
      expect(live, live.stderr).toMatchObject({ code: 0 });
      expect(live.stdout).toMatch(/Verified 2 versions and 1 submission .*: all match\./);
    } finally {
      await server.stop();
    }

    // Tamper from outside the application: a second connection drops the immutability trigger and edits the text.
    const outside = openStore(databaseFile(data.dir));
    try {
      outside.db.exec('DROP TRIGGER version_sections_no_update');
      const changed = outside.db
        .prepare("UPDATE version_sections SET text = text || ' (quietly amended)' WHERE version_id = ? AND position = 0")
        .run(second.version.id).changes;
      expect(changed).toBe(1);
    } finally {
      outside.close();
    }
    const oneBad = await verify(data.dir);
    expect(oneBad.code).toBe(1);
    expect(oneBad.stdout).toContain(`MISMATCH version ${second.version.id}`);
    expect(oneBad.stdout).toContain(`recorded ${second.version.sha256}`);
    expect(oneBad.stdout).not.toContain(first.version.id);
    expect(oneBad.stdout).toMatch(/Verified 2 versions and 1 submission .*: 1 mismatch\./);

    // Flip one byte of the stored DOCX of the submission.
    const outside2 = openStore(databaseFile(data.dir));
    try {
      outside2.db.exec('DROP TRIGGER submissions_fixed_fields');
      const { docx } = outside2.q.submissions.document(submissionId)!;
      const flipped = Buffer.from(docx);
      const middle = flipped.length >> 1;
      flipped[middle] = flipped[middle]! ^ 0xff;
      outside2.db.prepare('UPDATE submissions SET docx = ? WHERE id = ?').run(flipped, submissionId);
    } finally {
      outside2.close();
    }
    const twoBad = await verify(data.dir);
    expect(twoBad.code).toBe(1);
    expect(twoBad.stdout).toContain(`MISMATCH submission ${submissionId}`);
    expect(twoBad.stdout).toContain(`MISMATCH version ${second.version.id}`);
    expect(twoBad.stdout).toMatch(/: 2 mismatches\./);
  });

  it('says so when DATA_DIR holds no database', async () => {
    const empty = tempDataDir();
    try {
      const res = await verify(empty.dir);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/No database at/);
    } finally {
      empty.cleanup();
    }
  });
});
