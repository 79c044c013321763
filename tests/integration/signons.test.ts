import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, startTestServer, type TestServer } from '../helpers/server.js';
import { FORUM_ORGS, account, finalisedCharter, forumOf41, parseCsv, signonBody } from './versions-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

describe('signing on', () => {
  it('records a sign-on against the version hash and lists it publicly without e-mail addresses', async () => {
    const { version } = await finalisedCharter(server);
    const signer = await account(server, 'signer', 'Wanjiru Kamau');
    const res = await signer.api.post(`/api/versions/${version.id}/signons`, {
      organisation: { name: '  Awareness   Against Human Trafficking ', country: 'KE', acronym: 'HAART', website: 'https://haartkenya.org' },
      signatory: { name: 'Radoslaw Malinowski', title: 'Co-founder', email: 'Radoslaw@HAART.example.org' },
      consent: true,
    });
    expect(res.status).toBe(201);
    const signon = res.body.signon;
    expect(signon).toMatchObject({
      versionId: version.id,
      organisation: { name: 'Awareness Against Human Trafficking', acronym: 'HAART', country: 'KE' },
      signatory: { name: 'Radoslaw Malinowski', title: 'Co-founder' },
      publicListing: true,
    });
    expect(signon.id).toEqual(expect.any(String));
    expect(signon.organisation.id).toEqual(expect.any(String));
    expect(signon.signedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(JSON.stringify(res.body)).not.toMatch(EMAIL);

    // The row keeps the hash of the text signed and the account that signed.
    const row = server.ctx.store.q.signons.byId(signon.id)!;
    expect(row).toMatchObject({ version_sha256: version.sha256, account_id: signer.user.id, signatory_email: 'radoslaw@haart.example.org' });

    const list = await new Api(server.url).get(`/api/versions/${version.id}/signons`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, countries: 1 });
    expect(list.body.byCountry).toEqual([
      expect.objectContaining({ country: 'KE', countryName: 'Kenya', count: 1, unlisted: 0, signons: [expect.objectContaining({ id: signon.id })] }),
    ]);
    expect(JSON.stringify(list.body)).not.toMatch(EMAIL);
  });

  it('lets exactly one of 20 simultaneous sign-ons of one organisation land; the others are 409 already_signed', async () => {
    const { version } = await finalisedCharter(server);
    const signers = await Promise.all([0, 1, 2, 3].map((i) => account(server, `forum-${i}`)));
    const variants = [
      'Chab Dai Coalition',
      'chab dai coalition',
      'CHAB DAI COALITION',
      '  Chab Dai Coalition  ',
      'Chab  Dai   Coalition',
      'Chab Dai\tCoalition',
      'cHaB dAi CoAlItIoN',
    ];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signers[i % signers.length]!.api.post(
          `/api/versions/${version.id}/signons`,
          signonBody({ name: variants[i % variants.length]!, country: 'KH' }),
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.code).toBe('already_signed');
    const list = (await new Api(server.url).get(`/api/versions/${version.id}/signons`)).body;
    expect(list.total).toBe(1);

    // Same name from another country is another organisation.
    const other = await signers[0]!.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: 'Chab Dai Coalition', country: 'TH' }));
    expect(other.status).toBe(201);
    expect((await new Api(server.url).get(`/api/versions/${version.id}/signons`)).body).toMatchObject({ total: 2, countries: 2 });
  });

  it('relies on the unique index, not only on the check before inserting', async () => {
    const { version } = await finalisedCharter(server);
    const signer = await account(server, 'signer');
    const url = `/api/versions/${version.id}/signons`;
    expect((await signer.api.post(url, signonBody({ name: 'Ban Ying', country: 'DE' }))).status).toBe(201);
    // As if a second process had checked before the first one inserted: the index still refuses.
    const q = server.ctx.store.q.signons;
    const check = q.liveByKey;
    q.liveByKey = () => undefined;
    try {
      const dup = await signer.api.post(url, signonBody({ name: ' BAN  YING ', country: 'DE' }));
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('already_signed');
    } finally {
      q.liveByKey = check;
    }
    expect((await new Api(server.url).get(url)).body.total).toBe(1);
  });

  it('lets a forum of 41 organisations from 8 countries sign from one account and one address', async () => {
    const { version } = await finalisedCharter(server);
    const desk = await account(server, 'forum-desk');
    for (const org of forumOf41()) {
      const res = await desk.api.post(`/api/versions/${version.id}/signons`, signonBody(org));
      expect(res.status, org.name).toBe(201);
    }
    const list = (await new Api(server.url).get(`/api/versions/${version.id}/signons`)).body;
    expect(list.total).toBe(41);
    expect(list.countries).toBe(8);
    expect(list.byCountry.map((g: { country: string }) => g.country)).toEqual(['ET', 'ID', 'IN', 'KE', 'KH', 'MX', 'TH', 'UG']);
    expect(list.byCountry.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(41);
    const th = list.byCountry.find((g: { country: string }) => g.country === 'TH');
    const names = th.signons.map((s: { organisation: { name: string } }) => s.organisation.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
  });

  it('answers 429 rate_limited with Retry-After when one account signs on too fast', async () => {
    const { version } = await finalisedCharter(server);
    const bot = await account(server, 'bot');
    let last;
    for (let i = 0; i < 61; i++) {
      last = await bot.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: `Spam organisation ${i}`, country: 'KE' }));
    }
    expect(last!.status).toBe(429);
    expect(last!.body.error.code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses sign-ons without consent, with a bad country or fields, unauthenticated, or to an unknown version, writing nothing', async () => {
    const { version } = await finalisedCharter(server);
    const signer = await account(server, 'signer');
    const url = `/api/versions/${version.id}/signons`;
    const org = { name: 'Platform for Labour Action', country: 'UG' };

    const noConsent = await signer.api.post(url, { ...signonBody(org), consent: undefined });
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.code).toBe('validation_error');
    expect(noConsent.body.error.details.fields).toHaveProperty('consent');
    const falseConsent = await signer.api.post(url, { ...signonBody(org), consent: false });
    expect(falseConsent.status).toBe(400);
    expect(falseConsent.body.error.details.fields).toHaveProperty('consent');
    expect((await signer.api.post(url, { ...signonBody(org), consent: 'yes' })).status).toBe(400);

    for (const country of ['ug', 'Uganda', 'UK', 'ZZ', 'UGA', '', 256, null]) {
      const res = await signer.api.post(url, signonBody({ name: org.name, country: country as string }));
      expect(res.status, String(country)).toBe(400);
      expect(res.body.error.details.fields).toHaveProperty(['organisation.country']);
    }
    const noEmail = await signer.api.post(url, { ...signonBody(org), signatory: { name: 'A', title: 'B' } });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error.details.fields).toHaveProperty(['signatory.email']);
    const badEmail = await signer.api.post(url, { ...signonBody(org), signatory: { name: 'A', title: 'B', email: 'not-an-address' } });
    expect(badEmail.body.error.details.fields).toHaveProperty(['signatory.email']);
    const noName = await signer.api.post(url, { ...signonBody(org), organisation: { name: '   ', country: 'UG' } });
    expect(noName.body.error.details.fields).toHaveProperty(['organisation.name']);
    expect((await signer.api.post(url, { ...signonBody(org), publicListing: 'no' })).status).toBe(400);
    const badSite = await signer.api.post(url, signonBody({ ...org }, { organisation: { ...org, website: 'javascript:alert(1)' } }));
    expect(badSite.status).toBe(400);
    expect((await signer.api.request('POST', url, 'not json', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await signer.api.request('POST', url, '[1,2]', { 'content-type': 'application/json' })).status).toBe(400);

    const anon = await new Api(server.url).post(url, signonBody(org));
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthenticated');
    const unknown = await signer.api.post('/api/versions/no-such-version/signons', signonBody(org));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');

    expect((await new Api(server.url).get(`/api/versions/${version.id}/signons`)).body.total).toBe(0);
  });
});

describe('unlisted organisations', () => {
  it('counts an organisation that asked not to be listed, in total and in its country, without naming it or its signatory', async () => {
    const { version } = await finalisedCharter(server);
    const signer = await account(server, 'signer');
    const listed = await signer.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: 'MAP Foundation', country: 'TH', acronym: 'MAP' }));
    expect(listed.status).toBe(201);
    const unlisted = await signer.api.post(`/api/versions/${version.id}/signons`, {
      organisation: { name: 'Quiet Shelter Network', country: 'TH', acronym: 'QSN' },
      signatory: { name: 'Somchai Hidden', title: 'Coordinator', email: 'somchai@quiet.example.org' },
      consent: true,
      publicListing: false,
    });
    expect(unlisted.status).toBe(201);
    // The signer's own answer may show what they sent.
    expect(unlisted.body.signon).toMatchObject({ publicListing: false, organisation: { name: 'Quiet Shelter Network' } });

    const list = await new Api(server.url).get(`/api/versions/${version.id}/signons`);
    expect(list.body).toMatchObject({ total: 2, countries: 1 });
    const th = list.body.byCountry[0];
    expect(th).toMatchObject({ country: 'TH', count: 2, unlisted: 1 });
    expect(th.signons).toHaveLength(2);
    const withheld = th.signons.find((s: { withheld?: boolean }) => s.withheld);
    expect(withheld).toMatchObject({
      id: unlisted.body.signon.id,
      publicListing: false,
      organisation: { id: null, name: null, acronym: null, country: 'TH' },
      signatory: { name: null, title: null },
    });
    const json = JSON.stringify(list.body);
    for (const secret of ['Quiet Shelter Network', 'QSN', 'Somchai', 'quiet.example.org', unlisted.body.signon.organisation.id]) {
      expect(json).not.toContain(secret);
    }
    expect(json).toContain('MAP Foundation');
    expect(json).not.toMatch(EMAIL);
  });
});

describe('withdrawal', () => {
  it('lets the signer or the secretariat withdraw; the row stays, marked, and leaves the lists', async () => {
    const { api: secretariat, version } = await finalisedCharter(server);
    const signer = await account(server, 'signer');
    const stranger = await account(server, 'stranger');
    const a = (await signer.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: 'Willow International', country: 'UG' })))
      .body.signon;
    const b = (await signer.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: 'Platform for Labour Action', country: 'UG' })))
      .body.signon;

    const byStranger = await stranger.api.delete(`/api/versions/${version.id}/signons/${a.id}`);
    expect(byStranger.status).toBe(403);
    expect(byStranger.body.error.code).toBe('forbidden');
    expect((await new Api(server.url).delete(`/api/versions/${version.id}/signons/${a.id}`)).status).toBe(401);
    expect((await signer.api.delete(`/api/versions/${version.id}/signons/no-such-signon`)).status).toBe(404);
    const other = await finalisedCharter(server);
    expect((await signer.api.delete(`/api/versions/${other.version.id}/signons/${a.id}`)).status).toBe(404);

    const withdrawn = await signer.api.delete(`/api/versions/${version.id}/signons/${a.id}`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.signon).toMatchObject({ id: a.id, withdrawnAt: expect.stringMatching(/Z$/) });
    const again = await signer.api.delete(`/api/versions/${version.id}/signons/${a.id}`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('withdrawn');

    const bySecretariat = await secretariat.delete(`/api/versions/${version.id}/signons/${b.id}`);
    expect(bySecretariat.status).toBe(200);

    const list = (await new Api(server.url).get(`/api/versions/${version.id}/signons`)).body;
    expect(list).toMatchObject({ total: 0, countries: 0, byCountry: [] });
    const row = server.ctx.store.q.signons.byId(a.id)!;
    expect(row).toMatchObject({ withdrawn_by: signer.user.id, withdrawn_at: withdrawn.body.signon.withdrawnAt });
    expect(server.ctx.store.q.signons.byId(b.id)!.withdrawn_by).not.toBe(signer.user.id);
    expect(() => server.ctx.store.db.prepare('DELETE FROM signons WHERE id = ?').run(a.id)).toThrow();
    expect(() => server.ctx.store.db.prepare("UPDATE signons SET org_name = 'x' WHERE id = ?").run(b.id)).toThrow();

    // Having withdrawn, the organisation may sign again.
    const resigned = await signer.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: 'willow international', country: 'UG' }));
    expect(resigned.status).toBe(201);
    expect((await new Api(server.url).get(`/api/versions/${version.id}/signons`)).body.total).toBe(1);
  });
});

describe('CSV for the secretariat', () => {
  it('has every live sign-on with e-mails, RFC 4180 quoting and formula cells neutralised', async () => {
    const { api: secretariat, version, charter } = await finalisedCharter(server);
    const signer = await account(server, 'signer');
    const url = `/api/versions/${version.id}/signons`;
    await signer.api.post(url, signonBody(FORUM_ORGS[0]!));
    await signer.api.post(url, {
      organisation: { name: '=HYPERLINK("http://evil.example","click")', country: 'KE', acronym: '+SUM(A1)' },
      signatory: { name: '@cmd', title: 'Director, "Programmes"\nEast Africa', email: 'evil@example.org' },
      consent: true,
      publicListing: false,
    });
    const gone = (await signer.api.post(url, signonBody({ name: 'Withdrawn Org', country: 'KE' }))).body.signon;
    await signer.api.delete(`${url}/${gone.id}`);

    const res = await secretariat.get(`/api/versions/${version.id}/signons.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = res.body as string;
    expect(text).toContain('\r\n');
    const rows = parseCsv(text);
    const [header, ...data] = rows;
    expect(header).toContain('signatory_email');
    expect(data).toHaveLength(2);
    const col = (name: string) => header!.indexOf(name);
    const evil = data.find((r) => r[col('signatory_email')] === 'evil@example.org')!;
    expect(evil[col('organisation')]).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(evil[col('acronym')]).toBe("'+SUM(A1)");
    expect(evil[col('signatory_name')]).toBe("'@cmd");
    expect(evil[col('signatory_title')]).toBe('Director, "Programmes"\nEast Africa');
    expect(evil[col('public_listing')]).toBe('no');
    const haart = data.find((r) => r[col('organisation')] === FORUM_ORGS[0]!.name)!;
    expect(haart[col('signatory_email')]).toMatch(EMAIL);
    expect(haart[col('version_sha256')]).toBe(version.sha256);
    // No cell starts a formula.
    for (const r of data) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(text).not.toContain('Withdrawn Org');

    // Refusals: anonymous 401, not the secretariat 403, unknown version 404.
    expect((await new Api(server.url).get(`/api/versions/${version.id}/signons.csv`)).status).toBe(401);
    expect((await signer.api.get(`/api/versions/${version.id}/signons.csv`)).status).toBe(403);
    const observer = await account(server, 'observer');
    await secretariat.post(`/api/charters/${charter.id}/members`, { email: observer.user.email, role: 'observer' });
    expect((await observer.api.get(`/api/versions/${version.id}/signons.csv`)).status).toBe(403);
    expect((await secretariat.get('/api/versions/no-such-version/signons.csv')).status).toBe(404);
  });
});

describe('my sign-ons and organisation suggestions', () => {
  it('shows an account its own sign-ons, unlisted ones included, and suggests only publicly listed organisations', async () => {
    const { version } = await finalisedCharter(server);
    const signer = await account(server, 'mine');
    const other = await account(server, 'other');
    const listed = await signer.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: 'Transient Workers Count Too', acronym: 'TWC2', country: 'SG' }));
    const hidden = await signer.api.post(`/api/versions/${version.id}/signons`, {
      ...signonBody({ name: 'Quiet Survivors Collective', country: 'SG' }),
      publicListing: false,
    });
    expect([listed.status, hidden.status]).toEqual([201, 201]);

    const mine = await signer.api.get(`/api/versions/${version.id}/signons/mine`);
    expect(mine.status).toBe(200);
    expect(mine.body.signons.map((s: { organisation: { name: string } }) => s.organisation.name).sort()).toEqual([
      'Quiet Survivors Collective',
      'Transient Workers Count Too',
    ]);
    expect((await other.api.get(`/api/versions/${version.id}/signons/mine`)).body.signons).toEqual([]);
    expect((await new Api(server.url).get(`/api/versions/${version.id}/signons/mine`)).status).toBe(401);

    const byName = await new Api(server.url).get('/api/organisations?q=workers');
    expect(byName.status).toBe(200);
    expect(byName.body.organisations).toEqual([{ name: 'Transient Workers Count Too', acronym: 'TWC2', country: 'SG' }]);
    expect((await new Api(server.url).get('/api/organisations?q=twc')).body.organisations).toHaveLength(1);
    expect((await new Api(server.url).get('/api/organisations?q=quiet')).body.organisations).toEqual([]);
    expect((await new Api(server.url).get('/api/organisations?q=%25')).body.organisations).toEqual([]);
    expect((await new Api(server.url).get('/api/organisations?limit=x')).status).toBe(400);

    // Withdrawn: no longer suggested.
    await signer.api.delete(`/api/versions/${version.id}/signons/${listed.body.signon.id}`);
    expect((await new Api(server.url).get('/api/organisations?q=workers')).body.organisations).toEqual([]);
  });
});
