import { afterAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../server/src/log.js';
import { Api, spawnServer, startTestServer, tempDataDir, uniqueEmail } from '../helpers/server.js';
import { addParagraph, connectClient, openRaw, paragraphTexts, waitFor } from '../helpers/collab.js';

const data = tempDataDir();
afterAll(() => data.cleanup());

/** Any e-mail address at all (not `hono@4.13.19` in a stack trace's path): none may reach the log, whoever's it is. */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;

/** Every secret in `secrets` that occurs in `log`, plus every e-mail address it holds. */
function leaks(log: string, secrets: string[]): string[] {
  const found = secrets.filter((s) => s.length >= 8 && log.includes(s)).map((s) => `secret ${s.slice(0, 6)}…`);
  for (const m of log.match(EMAIL) ?? []) found.push(`e-mail ${m}`);
  return found;
}

describe('secrets and logs', () => {
  it('writes no password, session or invitation token, or e-mail address to the log of a full run at debug level', async () => {
    const server = await spawnServer(data.dir, { LOG_LEVEL: 'debug' });
    const secrets: string[] = [];
    try {
      const base = server.url;
      // Register, and sign in with a wrong then the right password.
      const secEmail = uniqueEmail('log-secretariat');
      const secPassword = 'Very secret password 1';
      const sec = new Api(base);
      await sec.register(secEmail, 'Amina Secretariat', secPassword);
      secrets.push(secEmail, secPassword, sec.token!);
      const wrongPassword = 'Wrong but secret password 2';
      secrets.push(wrongPassword);
      expect((await new Api(base).post('/api/auth/login', { email: secEmail, password: wrongPassword })).status).toBe(401);
      expect((await new Api(base).post('/api/auth/login', { email: uniqueEmail('nobody'), password: wrongPassword })).status).toBe(401);
      const login = await new Api(base).post('/api/auth/login', { email: secEmail.toUpperCase(), password: secPassword });
      expect(login.status).toBe(200);
      const cookieToken: string = login.body.token;
      secrets.push(cookieToken);
      // Throttled sign-ins, too.
      let throttled = 0;
      for (let i = 0; i < 11; i++) if ((await new Api(base).post('/api/auth/login', { email: secEmail, password: `${wrongPassword}${i}` })).status === 429) throttled++;
      expect(throttled).toBeGreaterThan(0);

      // Bearer and cookie requests (the cookie one state-changing, from our own origin).
      const cookie = { cookie: `charter_session=${cookieToken}` };
      expect((await sec.get('/api/me')).status).toBe(200);
      expect((await fetch(`${base}/api/me`, { headers: cookie })).status).toBe(200);
      const created = await fetch(`${base}/api/charters`, {
        method: 'POST',
        headers: { ...cookie, origin: base, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Logged charter', templateId: 'principles-of-practice' }),
      });
      expect(created.status).toBe(201);
      const charter = ((await created.json()) as { charter: { id: string; sections: { id: string }[] } }).charter;
      // A cross-site cookie request is refused (and may be logged, but without the cookie).
      expect((await fetch(`${base}/api/charters`, { method: 'POST', headers: { ...cookie, origin: 'https://evil.example' }, body: '{}' })).status).toBe(403);

      // Invite by e-mail: the invitee registers through the link; an existing account is added directly.
      const inviteeEmail = uniqueEmail('log-invitee');
      const invited = await sec.post(`/api/charters/${charter.id}/members`, { email: inviteeEmail, role: 'drafter' });
      expect(invited.status).toBe(201);
      const invitationToken: string = invited.body.invitation.token;
      secrets.push(inviteeEmail, invitationToken);
      expect((await new Api(base).get(`/api/invitations/${invitationToken}`)).status).toBe(200);
      const invitee = new Api(base);
      const inviteePassword = 'Invitee secret password 3';
      secrets.push(inviteePassword);
      const reg = await invitee.post('/api/auth/register', { email: inviteeEmail, password: inviteePassword, name: 'Invited Drafter', invitation: invitationToken });
      expect(reg.status).toBe(201);
      invitee.token = reg.body.token;
      secrets.push(invitee.token!);
      const observerEmail = uniqueEmail('log-observer');
      const observer = new Api(base);
      await observer.register(observerEmail, 'Observer', 'Observer secret password 4');
      secrets.push(observerEmail, 'Observer secret password 4', observer.token!);
      expect((await sec.post(`/api/charters/${charter.id}/members`, { email: observerEmail, role: 'observer' })).status).toBe(201);
      const revoked = await sec.post(`/api/charters/${charter.id}/members`, { email: uniqueEmail('log-revoked'), role: 'observer' });
      secrets.push(revoked.body.invitation.email, revoked.body.invitation.token);
      expect((await sec.delete(`/api/charters/${charter.id}/invitations/${revoked.body.invitation.id}`)).status).toBe(204);
      expect((await sec.get(`/api/charters/${charter.id}/members`)).status).toBe(200);

      // Live editing with the token in the query, with the cookie, and a refused bad token.
      const section = charter.sections[0]!.id;
      const writer = connectClient(base, charter.id, section, invitee.token);
      const reader = connectClient(base, charter.id, section, sec.token);
      try {
        await Promise.all([writer.synced, reader.synced]);
        addParagraph(writer.doc, 'Edited while the log listens');
        await waitFor(() => paragraphTexts(reader.doc).includes('Edited while the log listens'), { what: 'relay' });
        const viaCookie = await openRaw(base, charter.id, section, undefined, cookie);
        expect(viaCookie.ws).toBeDefined();
        viaCookie.ws?.close();
        const badToken = 'not-a-session-token-but-secret-looking-0123456789';
        secrets.push(badToken);
        expect((await openRaw(base, charter.id, section, badToken)).status).toBe(401);
        // A malformed frame: the connection is closed and logged at debug level.
        const bad = await openRaw(base, charter.id, section, observer.token);
        const closed = new Promise((r) => bad.ws!.once('close', r));
        bad.ws!.send(new Uint8Array([0, 2, 40, 1, 2, 3]));
        await closed;
      } finally {
        writer.destroy();
        reader.destroy();
      }

      // Finalise, sign on with a signatory e-mail, export the CSV, withdraw, sign out.
      const version = (await sec.post(`/api/charters/${charter.id}/finalise`, { label: 'Logged' })).body.version;
      const signatoryEmail = uniqueEmail('log-signatory');
      secrets.push(signatoryEmail);
      const signon = await observer.post(`/api/versions/${version.id}/signons`, {
        organisation: { name: 'Awareness Against Human Trafficking', country: 'KE', acronym: 'HAART' },
        signatory: { name: 'Radoslaw Malinowski', title: 'Director', email: signatoryEmail },
        consent: true,
      });
      expect(signon.status).toBe(201);
      expect((await sec.get(`/api/versions/${version.id}/signons.csv`)).status).toBe(200);
      expect((await observer.delete(`/api/versions/${version.id}/signons/${signon.body.signon.id}`)).status).toBe(200);
      expect((await sec.post(`/api/versions/${version.id}/submissions`, { recipient: 'IGAD' })).status).toBe(201);
      expect((await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { ...cookie, origin: base } })).status).toBe(204);
      expect((await sec.post('/api/auth/logout')).status).toBe(204);
    } finally {
      await server.kill('SIGTERM');
    }
    const log = server.output();
    // The run was really logged at debug level (open and close of live connections at least).
    expect(log).toContain('"level":"debug"');
    expect(log).toContain('"event":"collab_open"');
    expect(log).toContain('"event":"shutting_down"');
    console.log(`secrets-in-logs: ${log.split('\n').filter(Boolean).length} log lines checked against ${secrets.length} secrets and every e-mail pattern`);
    expect(leaks(log, secrets)).toEqual([]);
  });

  it('does not log an invitation token that is part of the path of a failing request', async () => {
    const server = await startTestServer();
    const writes: string[] = [];
    const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    const capture = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stdout.write;
    const token = 'invitation-token-that-must-stay-secret-0123456789';
    try {
      setLogLevel('debug');
      process.stdout.write = capture;
      process.stderr.write = capture;
      // Pull the database out from under the server: the lookup throws and is logged as an unhandled error.
      server.ctx.store.db.close();
      const res = await new Api(server.url).get(`/api/invitations/${token}?email=someone%40example.org`);
      expect(res.status).toBe(500);
    } finally {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
      setLogLevel('silent');
      await server.stop();
    }
    const log = writes.join('');
    expect(log).toContain('unhandled_error');
    expect(leaks(log, [token])).toEqual([]);
  });
});
