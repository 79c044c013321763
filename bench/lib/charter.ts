import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { HttpClient } from './http.js';
import { removeAtExit, repoRoot, spawnTracked, stopChild, waitForOutput } from './proc.js';

/**
 * Environment for every Charter server the benchmark starts. The limits named here are the ones a
 * forum-sized load would trip on one loopback address; a server that does not know a name ignores it.
 */
export const BENCH_SERVER_ENV: Record<string, string> = {
  LOG_LEVEL: 'info',
};

export interface CharterProcess {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  output(): string;
  /** SIGTERM (graceful: flushes and compacts), SIGKILL after 10 s. Removes the data dir unless `keep`. */
  stop(opts?: { keep?: boolean }): Promise<void>;
}

/** A fresh directory under the system temp dir, removed when the benchmark process exits. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `charter-bench-${label}-`));
  removeAtExit(dir);
  return dir;
}

let built = false;

/** Bundles the server once per benchmark process, as `pnpm start` does before it runs it. */
function ensureServerBuilt(): void {
  if (built) return;
  execFileSync(process.execPath, [join(repoRoot, 'server/scripts/build.mjs')], { stdio: 'inherit' });
  built = true;
}

/**
 * Starts the server exactly as `pnpm start` runs it (the bundle in server/dist/) as its own
 * process, so its CPU and memory are measured alone, on a loopback port chosen by the OS, with a
 * data directory of its own.
 */
export async function startCharter(opts: { dataDir?: string; env?: Record<string, string>; nodeArgs?: string[] } = {}): Promise<CharterProcess> {
  ensureServerBuilt();
  const dataDir = opts.dataDir ?? tempDir('data');
  const child = spawnTracked(process.execPath, [...(opts.nodeArgs ?? []), join(repoRoot, 'server/dist/index.mjs')], {
    env: { ...process.env, ...BENCH_SERVER_ENV, ...opts.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
  });
  const m = await waitForOutput(child, /"event":"listening","url":"(http:\/\/127\.0\.0\.1:\d+)"/, 60_000);
  const url = m[1]!;
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    dataDir,
    output: child.output,
    stop: async ({ keep = false } = {}) => {
      await stopChild(child, 'SIGTERM', 10_000);
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
const runTag = `${process.pid.toString(36)}${Date.now().toString(36)}`;
export const uniqueEmail = (label: string) => `${label}-${runTag}-${seq++}@bench.example.org`;

export interface Account {
  id: string;
  email: string;
  token: string;
}

/** Registers an account over HTTP (from `localAddress` when given: each address has its own registration limit). */
export async function register(url: string, label: string, localAddress?: string): Promise<Account> {
  const http = new HttpClient(url, undefined, { localAddress });
  try {
    const email = uniqueEmail(label);
    const res = await http.request('POST', '/api/auth/register', { email, password: 'correct horse battery staple', name: `Bench ${label}` });
    if (res.status !== 201) throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.user.id, email, token: res.body.token };
  } finally {
    http.close();
  }
}

/** Registers `n` accounts, a few at a time, spreading them over loopback source addresses 127.0.0.2+. */
export async function registerMany(url: string, label: string, n: number, concurrency = 4): Promise<Account[]> {
  const out: Account[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await register(url, `${label}${i}`, `127.0.0.${2 + (i % 200)}`);
      }
    }),
  );
  return out;
}

export interface CharterInfo {
  id: string;
  status: string;
  sections: { id: string; key: string; title: string; position: number }[];
}

/** Creates a charter from the principles-of-practice template and adds sections until it has `sections`. */
export async function createCharter(api: HttpClient, title: string, sections = 0): Promise<CharterInfo> {
  const body = await api.expect<{ charter: CharterInfo }>('POST', '/api/charters', { title, templateId: 'principles-of-practice' }, 201);
  const charter = body.charter;
  for (let i = charter.sections.length; i < sections; i++) {
    const s = await api.expect<{ section: CharterInfo['sections'][number] }>(
      'POST',
      `/api/charters/${charter.id}/sections`,
      { title: `Bench section ${i + 1}`, key: `bench-${i + 1}` },
      201,
    );
    charter.sections.push(s.section);
  }
  return charter;
}

export async function addMember(api: HttpClient, charterId: string, email: string, role: 'drafter' | 'observer' | 'secretariat', sectionIds?: string[]) {
  return api.expect('POST', `/api/charters/${charterId}/members`, { email, role, ...(sectionIds ? { sectionIds } : {}) }, 201);
}

/** Which of the routes this benchmark depends on exist in the working tree (they are being written concurrently). */
export function routesPresent(): { versions: boolean; signons: boolean; export: boolean; client: boolean; collab: boolean } {
  const has = (p: string) => existsSync(join(repoRoot, p));
  const collabSource = has('server/src/collab/server.ts') ? readFileSync(join(repoRoot, 'server/src/collab/server.ts'), 'utf8') : '';
  return {
    versions: has('server/src/routes/versions.ts'),
    signons: has('server/src/routes/signons.ts'),
    export: has('server/src/routes/versions.ts') || has('server/src/routes/export.ts'),
    client: has('client/dist/index.html'),
    collab: collabSource !== '' && !/Placeholder/.test(collabSource),
  };
}
