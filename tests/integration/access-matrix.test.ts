import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startTestServer, uniqueEmail, type ApiResponse, type TestServer } from '../helpers/server.js';
import { addParagraph, connectClient, freshTexts, openRaw, waitFor, withTimeout } from '../helpers/collab.js';

/**
 * Who may call what. Every route the server answers (its own route table) must have an entry
 * here, and every entry must name a route that exists: adding a route without declaring its
 * policy fails this test.
 *
 * Outcomes: 'ok' = 2xx; 'auth' = 401; 'deny' = 403 or 404 (non-members learn nothing).
 */
const ROLES = ['anonymous', 'stranger', 'observer', 'drafterOther', 'drafter', 'secretariat'] as const;
type RoleName = (typeof ROLES)[number];
type Outcome = 'ok' | 'auth' | 'deny';
type Policy = Record<RoleName, Outcome>;

const policy = (anonymous: Outcome, stranger: Outcome, member: Outcome, secretariat: Outcome): Policy => ({
  anonymous,
  stranger,
  observer: member,
  drafterOther: member,
  drafter: member,
  secretariat,
});
/** Anyone, signed in or not. */
const PUBLIC = policy('ok', 'ok', 'ok', 'ok');
/** Any signed-in account. */
const SIGNED_IN = policy('auth', 'ok', 'ok', 'ok');
/** Members of the charter, whatever their role. */
const MEMBERS = policy('auth', 'deny', 'ok', 'ok');
/** The charter's secretariat only. */
const SECRETARIAT = policy('auth', 'deny', 'deny', 'ok');

/** The state a route needs besides a fresh charter with its four members. */
type Need = 'version' | 'signon' | 'submission' | 'invitation';

interface Fixture {
  charterId: string;
  /** The section in the path: assigned to `drafter`, not to `drafterOther`. */
  sectionId: string;
  otherSectionId: string;
  /** The member the member routes act on (the observer). */
  targetUserId: string;
  versionId?: string;
  signonId?: string;
  submissionId?: string;
  invitationId?: string;
  invitationToken?: string;
}

interface RouteSpec {
  policy: Policy;
  needs?: Need[];
  /** A valid body for this role's call (each role gets its own, so allowed calls do not collide). */
  body?: (fx: Fixture, role: RoleName) => unknown | Promise<unknown>;
  /** The session to call with, instead of the role's own (routes that end the session they are called with). */
  session?: (role: RoleName) => Promise<string | undefined>;
}

let server: TestServer;
const accounts = {} as Record<Exclude<RoleName, 'anonymous'>, { api: Api; id: string; email: string; password: string }>;
const PASSWORD = 'access matrix password';

const org = (role: RoleName) => ({
  organisation: { name: `Matrix organisation of the ${role}`, country: 'KE' },
  signatory: { name: `Signatory for ${role}`, title: 'Director', email: `${role.toLowerCase()}@matrix.example.org` },
  consent: true,
});

async function freshSession(role: RoleName): Promise<string | undefined> {
  if (role === 'anonymous') return undefined;
  const res = await new Api(server.url).post('/api/auth/login', { email: accounts[role].email, password: PASSWORD });
  if (res.status !== 200) throw new Error(`login ${role}: ${res.status}`);
  return res.body.token;
}

async function invitation(fx: Fixture): Promise<{ id: string; token: string }> {
  const res = await accounts.secretariat.api.post(`/api/charters/${fx.charterId}/members`, { email: uniqueEmail('invitee'), role: 'observer' });
  if (res.status !== 201 || !res.body.invitation) throw new Error(`invite: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.invitation;
}

const ROUTES: Record<string, RouteSpec> = {
  'GET /api/health': { policy: PUBLIC },
  'POST /api/auth/register': {
    policy: PUBLIC,
    body: (_fx, role) => ({ email: uniqueEmail(`register-${role}`), password: PASSWORD, name: `Registered by ${role}` }),
  },
  'POST /api/auth/login': {
    policy: PUBLIC,
    body: (_fx, role) => ({ email: accounts[role === 'anonymous' ? 'stranger' : role].email, password: PASSWORD }),
  },
  // Logging out ends the session it is called with: each role uses a session of its own for it.
  'POST /api/auth/logout': { policy: PUBLIC, session: freshSession },
  'GET /api/me': { policy: SIGNED_IN },
  'GET /api/templates': { policy: PUBLIC },
  'GET /api/templates/:templateId': { policy: PUBLIC },
  'GET /api/charters': { policy: SIGNED_IN },
  'POST /api/charters': { policy: SIGNED_IN, body: (_fx, role) => ({ title: `Charter of the ${role}` }) },
  'GET /api/charters/:charterId': { policy: MEMBERS },
  'PATCH /api/charters/:charterId': { policy: SECRETARIAT, body: (_fx, role) => ({ title: `Renamed by ${role}` }) },
  'POST /api/charters/:charterId/sections': { policy: SECRETARIAT, body: (_fx, role) => ({ title: `Section by ${role}` }) },
  'PATCH /api/charters/:charterId/sections/:sectionId': { policy: SECRETARIAT, body: (_fx, role) => ({ title: `Retitled by ${role}` }) },
  'GET /api/charters/:charterId/members': { policy: MEMBERS },
  'POST /api/charters/:charterId/members': {
    policy: SECRETARIAT,
    body: (_fx, role) => ({ email: uniqueEmail(`added-by-${role}`), role: 'observer' }),
  },
  'PATCH /api/charters/:charterId/members/:userId': { policy: SECRETARIAT, body: () => ({ role: 'drafter' }) },
  'DELETE /api/charters/:charterId/members/:userId': { policy: SECRETARIAT },
  'DELETE /api/charters/:charterId/invitations/:invitationId': { policy: SECRETARIAT, needs: ['invitation'] },
  'GET /api/invitations/:token': { policy: PUBLIC, needs: ['invitation'] },
  // Anyone holding a link may accept it (the link is the credential): each role gets a link of its own.
  'POST /api/invitations/accept': { policy: SIGNED_IN, body: async (fx) => ({ token: (await invitation(fx)).token }) },
  'POST /api/charters/:charterId/finalise': { policy: SECRETARIAT, body: (_fx, role) => ({ label: `by ${role}` }) },
  'POST /api/charters/:charterId/reopen': { policy: SECRETARIAT, needs: ['version'] },
  'GET /api/charters/:charterId/versions': { policy: MEMBERS, needs: ['version'] },
  // A finalised version is public: anyone with its id may read, verify, compare and export it.
  'GET /api/versions/:versionId': { policy: PUBLIC, needs: ['version'] },
  'GET /api/versions/:versionId/verify': { policy: PUBLIC, needs: ['version'] },
  'GET /api/versions/:versionId/compare/:otherVersionId': { policy: PUBLIC, needs: ['version'] },
  'GET /api/versions/:versionId/export.docx': { policy: PUBLIC, needs: ['version'] },
  'POST /api/versions/:versionId/signons': { policy: SIGNED_IN, needs: ['version'], body: (_fx, role) => org(role) },
  'GET /api/versions/:versionId/signons': { policy: PUBLIC, needs: ['version'] },
  'GET /api/versions/:versionId/signons.csv': { policy: SECRETARIAT, needs: ['version'] },
  // Each signed-in account sees its own sign-ons (possibly none).
  'GET /api/versions/:versionId/signons/mine': { policy: SIGNED_IN, needs: ['version'] },
  // Suggestions come only from publicly listed sign-ons: public.
  'GET /api/organisations': { policy: PUBLIC },
  // The signer may withdraw too; here the secretariat signed, so only it may.
  'DELETE /api/versions/:versionId/signons/:signonId': { policy: SECRETARIAT, needs: ['signon'] },
  'POST /api/versions/:versionId/submissions': {
    policy: SECRETARIAT,
    needs: ['version'],
    body: (_fx, role) => ({ recipient: `Regional body (${role})` }),
  },
  'GET /api/charters/:charterId/submissions': { policy: MEMBERS, needs: ['submission'] },
  'GET /api/submissions/:submissionId': { policy: MEMBERS, needs: ['submission'] },
  'GET /api/submissions/:submissionId/document.docx': { policy: MEMBERS, needs: ['submission'] },
  'PATCH /api/submissions/:submissionId': { policy: SECRETARIAT, needs: ['submission'], body: () => ({ status: 'acknowledged' }) },
  'GET /api/charters/:charterId/audit': { policy: SECRETARIAT },
};

/** The routes the server really answers: its route table without middleware and the static client. */
function serverRoutes(): string[] {
  const keys = server.app.routes
    .filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'))
    .map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)];
}

/** A new charter with the four members in place, plus whatever the route needs. */
async function fixture(needs: Need[] = []): Promise<Fixture> {
  const sec = accounts.secretariat.api;
  const created = await sec.post('/api/charters', { title: 'Access matrix charter', templateId: 'principles-of-practice' });
  if (created.status !== 201) throw new Error(`create: ${created.status}`);
  const charter = created.body.charter as { id: string; sections: { id: string }[] };
  const fx: Fixture = {
    charterId: charter.id,
    sectionId: charter.sections[0]!.id,
    otherSectionId: charter.sections[1]!.id,
    targetUserId: accounts.observer.id,
  };
  const members: [RoleName, string, string[]?][] = [
    ['observer', 'observer'],
    ['drafterOther', 'drafter', [fx.otherSectionId]],
    ['drafter', 'drafter', [fx.sectionId]],
  ];
  for (const [who, role, sectionIds] of members) {
    const res = await sec.post(`/api/charters/${charter.id}/members`, { email: accounts[who as 'observer'].email, role, ...(sectionIds ? { sectionIds } : {}) });
    if (res.status !== 201) throw new Error(`add ${who}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  if (needs.includes('invitation')) {
    const inv = await invitation(fx);
    fx.invitationId = inv.id;
    fx.invitationToken = inv.token;
  }
  if (needs.some((n) => n === 'version' || n === 'signon' || n === 'submission')) {
    const fin = await sec.post(`/api/charters/${charter.id}/finalise`, {});
    if (fin.status !== 201) throw new Error(`finalise: ${fin.status}`);
    fx.versionId = fin.body.version.id;
  }
  if (needs.includes('signon')) {
    const res = await sec.post(`/api/versions/${fx.versionId}/signons`, org('secretariat'));
    if (res.status !== 201) throw new Error(`sign on: ${res.status}`);
    fx.signonId = res.body.signon.id;
  }
  if (needs.includes('submission')) {
    const res = await sec.post(`/api/versions/${fx.versionId}/submissions`, { recipient: 'Fixture body' });
    if (res.status !== 201) throw new Error(`submit: ${res.status}`);
    fx.submissionId = res.body.submission.id;
  }
  return fx;
}

function fillPath(path: string, fx: Fixture): string {
  const values: Record<string, string | undefined> = {
    charterId: fx.charterId,
    sectionId: fx.sectionId,
    userId: fx.targetUserId,
    invitationId: fx.invitationId,
    token: fx.invitationToken,
    versionId: fx.versionId,
    otherVersionId: fx.versionId,
    signonId: fx.signonId,
    submissionId: fx.submissionId,
    templateId: 'principles-of-practice',
  };
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = values[name];
    if (!v) throw new Error(`no value for :${name} in ${path}: declare what the route needs`);
    return encodeURIComponent(v);
  });
}

function matches(outcome: Outcome, res: ApiResponse, earlierSuccess: boolean): boolean {
  if (outcome === 'ok') return (res.status >= 200 && res.status < 300) || (earlierSuccess && res.status === 409);
  if (outcome === 'auth') return res.status === 401;
  return res.status === 403 || res.status === 404;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLES) {
    if (role === 'anonymous') continue;
    const api = new Api(server.url);
    const email = uniqueEmail(`matrix-${role}`);
    const user = await api.register(email, `The ${role}`, PASSWORD);
    accounts[role] = { api, id: user.id, email, password: PASSWORD };
  }
});
afterAll(() => server.stop());

describe('access matrix', () => {
  it('declares a policy for every route in the route table, and only for routes that exist', () => {
    const routes = serverRoutes();
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !(r in ROUTES)), 'routes without a policy entry in access-matrix.test.ts').toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !routes.includes(r)), 'policy entries for routes that no longer exist').toEqual([]);
  });

  it('answers every route as every role exactly as the policy says', async () => {
    const failures: string[] = [];
    const conflicts: string[] = [];
    let checks = 0;
    const routes = serverRoutes().filter((r) => r in ROUTES);
    for (const key of routes) {
      const spec = ROUTES[key]!;
      const [method, path] = key.split(' ') as [string, string];
      const fx = await fixture(spec.needs);
      const url = fillPath(path, fx);
      let earlierSuccess = false;
      for (const role of ROLES) {
        const token = spec.session ? await spec.session(role) : role === 'anonymous' ? undefined : accounts[role].api.token;
        const api = new Api(server.url, token);
        const body = method === 'GET' || method === 'DELETE' ? undefined : ((await spec.body?.(fx, role)) ?? {});
        const res = await api.request(method, url, body);
        checks++;
        const expected = spec.policy[role];
        if (!matches(expected, res, earlierSuccess)) {
          failures.push(`${key} as ${role}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        }
        if (res.status >= 400) {
          // Every refusal in the contract's error shape; never a 5xx.
          expect(res.status, `${key} as ${role}`).toBeLessThan(500);
          expect(res.body?.error, `${key} as ${role}`).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        }
        if (res.status === 409 && expected === 'ok') conflicts.push(`${key} as ${role}`);
        if (res.status >= 200 && res.status < 300) earlierSuccess = true;
      }
    }
    console.log(`access matrix: ${routes.length} routes × ${ROLES.length} roles = ${checks} checks, ${failures.length} failures (409 after an earlier success: ${conflicts.join('; ') || 'none'})`);
    expect(failures).toEqual([]);
    expect(checks).toBe(routes.length * ROLES.length);
  });

  it('applies the same roles to live editing: who may connect, and whose edits are kept', async () => {
    const fx = await fixture();
    // anonymous: refused; stranger: not a member; observer and drafterOther: read-only; drafter and secretariat: write.
    const expected: Record<RoleName, 'auth' | 'deny' | 'read' | 'write'> = {
      anonymous: 'auth',
      stranger: 'deny',
      observer: 'read',
      drafterOther: 'read',
      drafter: 'write',
      secretariat: 'write',
    };
    const seen: Record<string, string> = {};
    for (const role of ROLES) {
      const token = role === 'anonymous' ? undefined : accounts[role].api.token;
      // The upgrade is decided before any socket exists: HTTP 401 without a session, 403 for a non-member.
      const raw = await openRaw(server.url, fx.charterId, fx.sectionId, token);
      if (!raw.ws) {
        seen[role] = raw.status === 401 ? 'auth' : raw.status === 403 || raw.status === 404 ? 'deny' : `HTTP ${raw.status}`;
        continue;
      }
      raw.ws.close();
      // Admitted: the stock client edits, and the server either keeps the edit or drops it as read-only.
      const client = connectClient(server.url, fx.charterId, fx.sectionId, token);
      try {
        await withTimeout(client.synced, 5_000, `${role} sync`);
        const dropped = server.ctx.collab!.stats().droppedUpdates;
        addParagraph(client.doc, `edit by ${role}`);
        seen[role] = await Promise.race([
          waitFor(() => server.ctx.collab!.stats().droppedUpdates > dropped, { timeout: 3_000, what: 'drop' }).then(() => 'read'),
          waitFor(async () => (await freshTexts(server.url, fx.charterId, fx.sectionId, accounts.secretariat.api.token!)).includes(`edit by ${role}`), {
            timeout: 3_000,
            what: 'stored',
          }).then(() => 'write'),
        ]);
      } catch (err) {
        seen[role] = `error: ${(err as Error).message}`;
      } finally {
        client.destroy();
      }
    }
    expect(seen).toEqual(expected);
    console.log(`access matrix: WebSocket /collab/:charterId/:sectionId × ${ROLES.length} roles = ${ROLES.length} checks`);
    const texts = await freshTexts(server.url, fx.charterId, fx.sectionId, accounts.secretariat.api.token!);
    for (const role of ROLES) expect(texts.includes(`edit by ${role}`), role).toBe(expected[role] === 'write');
  });
});
