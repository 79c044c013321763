import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Api, repoRoot, spawnServer, tempDataDir, uniqueEmail, type SpawnedServer } from '../helpers/server.js';
import { addParagraph, connectClient, freshTexts, paragraphTexts, waitFor, withTimeout, type Client } from '../helpers/collab.js';

/**
 * Crash loop: several cycles of live editing by stock y-websocket clients and concurrent sign-ons,
 * each ended by SIGKILL of the server process at a random moment, then a restart on the same data
 * directory. Whatever a witness client saw relayed, and every sign-on answered 201, must be there
 * after every restart. The kill moments come from a seeded PRNG (CRASH_SEED replays a run).
 */
const CYCLES = Number(process.env.CRASH_CYCLES ?? 4);
const SEED = Number(process.env.CRASH_SEED ?? 0xc0ffee);
const SECTIONS = 2;
const SIGNERS = 3;

const data = tempDataDir();
let server: SpawnedServer | undefined;
const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server?.kill('SIGKILL');
  data.cleanup();
});

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const signonBody = (name: string) => ({
  organisation: { name, country: 'KE' },
  signatory: { name: 'Signatory', title: 'Director', email: 'director@crash.example.org' },
  consent: true,
});

async function signonNames(url: string, versionId: string): Promise<Set<string>> {
  const list = (await new Api(url).get(`/api/versions/${versionId}/signons`)).body;
  return new Set(list.byCountry.flatMap((g: { signons: { organisation: { name: string } }[] }) => g.signons.map((s) => s.organisation.name)));
}

describe('crash loop', () => {
  it('loses no relayed edit and no answered sign-on across repeated kill -9 and restart', { timeout: 120_000 }, async () => {
    const random = prng(SEED);
    const started = Date.now();
    server = await spawnServer(data.dir);

    // Accounts and documents: a charter being edited, and another one finalised so a version can be signed.
    const secretariat = new Api(server.url);
    await secretariat.register(uniqueEmail('crash-secretariat'), 'Crash Secretariat');
    const drafter = new Api(server.url);
    const drafterUser = await drafter.register(uniqueEmail('crash-drafter'), 'Crash Drafter');
    const signers: Api[] = [];
    for (let i = 0; i < SIGNERS; i++) {
      const api = new Api(server.url);
      await api.register(uniqueEmail(`crash-signer-${i}`), `Signer ${i}`);
      signers.push(api);
    }
    const charter = (await secretariat.post('/api/charters', { title: 'Edited through crashes', templateId: 'principles-of-practice' })).body.charter;
    expect((await secretariat.post(`/api/charters/${charter.id}/members`, { email: drafterUser.email, role: 'drafter' })).status).toBe(201);
    const signed = (await secretariat.post('/api/charters', { title: 'Signed through crashes', templateId: 'sign-on-letter' })).body.charter;
    const version = (await secretariat.post(`/api/charters/${signed.id}/finalise`, {})).body.version;
    expect(version.id).toEqual(expect.any(String));
    const sections: string[] = charter.sections.slice(0, SECTIONS).map((s: { id: string }) => s.id);

    const relayed = sections.map(() => new Set<string>());
    const answered = new Set<string>();
    const killMoments: number[] = [];

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      if (cycle > 1) server = await spawnServer(data.dir);
      const url = server.url;
      // Everything from earlier cycles is there after the restart.
      for (const [i, sectionId] of sections.entries()) {
        const texts = new Set(await freshTexts(url, charter.id, sectionId, secretariat.token!));
        expect([...relayed[i]!].filter((t) => !texts.has(t)), `section ${i} after restart ${cycle - 1}`).toEqual([]);
      }
      const names = await signonNames(url, version.id);
      expect([...answered].filter((n) => !names.has(n)), `sign-ons after restart ${cycle - 1}`).toEqual([]);

      // Two writers and a witness per section; the witness only ever hears the server.
      const writers: Client[] = [];
      const witnesses: Client[] = [];
      for (const sectionId of sections) {
        writers.push(connectClient(url, charter.id, sectionId, secretariat.token!), connectClient(url, charter.id, sectionId, drafter.token!));
        witnesses.push(connectClient(url, charter.id, sectionId, secretariat.token!));
      }
      clients.push(...writers, ...witnesses);
      await withTimeout(Promise.all([...writers, ...witnesses].map((c) => c.synced)), 10_000, 'clients to sync');

      let n = 0;
      const burst = setInterval(() => {
        writers.forEach((w, k) => addParagraph(w.doc, `c${cycle}-s${k >> 1}-w${k & 1}-${n}`));
        n++;
      }, 4);
      // Sign-ons in parallel, one stream per signer account, each organisation new.
      let signing = true;
      let killing = false;
      let attempted = 0;
      const failures: string[] = [];
      const streams = signers.map(async (signer, s) => {
        const api = new Api(url, signer.token);
        for (let k = 0; signing; k++) {
          const name = `Crash cycle ${cycle} signer ${s} organisation ${k}`;
          attempted++;
          try {
            const res = await api.post(`/api/versions/${version.id}/signons`, signonBody(name));
            if (res.status === 201) answered.add(name);
            else if (res.status !== 429) failures.push(`sign-on answered ${res.status}: ${JSON.stringify(res.body)}`);
          } catch (err) {
            // A request cut by the kill has no answer: it proves nothing either way.
            if (!killing) failures.push((err as Error).message);
          }
        }
      });

      // Let both streams get going, then kill at a random moment.
      const answeredBefore = answered.size;
      const edits = () => witnesses.reduce((sum, w) => sum + paragraphTexts(w.doc).filter((t) => t.startsWith(`c${cycle}-`)).length, 0);
      await waitFor(() => edits() >= 40 && answered.size - answeredBefore >= 5, { timeout: 15_000, what: 'edits and sign-ons to flow' });
      const delay = Math.floor(random() * 700);
      killMoments.push(delay);
      await new Promise((r) => setTimeout(r, delay));
      killing = true;
      await server.kill('SIGKILL');
      signing = false;
      clearInterval(burst);
      await Promise.all(streams);
      expect(failures).toEqual([]);
      // Whatever reached a witness before its socket closed was relayed, hence stored.
      await Promise.all(witnesses.map((w) => waitFor(() => !w.provider.wsconnected, { what: 'witness to notice the crash' })));
      for (const [i, w] of witnesses.entries()) for (const t of paragraphTexts(w.doc)) if (/^c\d+-/.test(t)) relayed[i]!.add(t);
      // Forget every client: they hold edits the server may never have received, which must not mask a loss.
      for (const c of [...writers, ...witnesses]) c.destroy();
      clients.length = 0;
      expect(attempted).toBeGreaterThan(0);
    }

    // After the last crash: everything is there, once, and the versions still verify.
    server = await spawnServer(data.dir);
    let editsChecked = 0;
    for (const [i, sectionId] of sections.entries()) {
      const texts = await freshTexts(server.url, charter.id, sectionId, secretariat.token!);
      const counts = new Map<string, number>();
      for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
      expect([...relayed[i]!].filter((t) => !counts.has(t)), `section ${i} at the end`).toEqual([]);
      expect([...counts].filter(([t, c]) => /^c\d+-/.test(t) && c > 1), 'duplicated paragraphs').toEqual([]);
      editsChecked += relayed[i]!.size;
    }
    const names = await signonNames(server.url, version.id);
    expect([...answered].filter((name) => !names.has(name))).toEqual([]);
    const integrity = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'server/src/cli.ts'), 'verify'], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: data.dir },
    });
    expect(integrity.stdout).toMatch(/all match/);
    await server.kill('SIGTERM');
    server = undefined;

    console.log(
      `crash loop: seed ${SEED}, ${CYCLES} cycles of kill -9 (at +${killMoments.join(', +')} ms), ${editsChecked} relayed edits checked, ` +
        `${answered.size} answered sign-ons checked, 0 lost, in ${Math.round((Date.now() - started) / 1000)} s`,
    );
    expect(editsChecked).toBeGreaterThan(CYCLES * 40);
  });
});
