import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Api, startTestServer, uniqueEmail, type TestServer } from '../helpers/server.js';
import { launchBrowser, signedInPerson, type SignedInPerson } from '../helpers/browser.js';

const TITLE = '<img src=x onerror="window.__pwned=1">Charter & <b>co</b>';
const SECTION = '<script>window.__pwned=2</script>Shelters';
const ORG = '<svg onload="window.__pwned=3">Org & Partners';
const NAME = '<i>Amina</i> "Wanjiru"';

/** Whatever people type (titles, names, organisations) shows exactly as typed and never runs. */
describe('user text is rendered as text', () => {
  let server: TestServer;
  let browser: Browser;
  let amina: SignedInPerson;
  let charterId: string;
  let versionId: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    amina = await signedInPerson(browser, server.url, { name: NAME, organisation: { name: ORG, country: 'KE' } });
    const api = new Api(server.url, amina.token);
    const created = await api.post('/api/charters', { title: TITLE, description: '<a href="javascript:alert(1)">click</a>', templateId: 'sign-on-letter' });
    expect(created.status).toBe(201);
    charterId = created.body.charter.id;
    expect((await api.post(`/api/charters/${charterId}/sections`, { title: SECTION })).status).toBe(201);
    const v = await api.post(`/api/charters/${charterId}/finalise`, {});
    expect(v.status).toBe(201);
    versionId = v.body.version.id;
    const signon = await api.post(`/api/versions/${versionId}/signons`, {
      organisation: { name: ORG, country: 'KE', acronym: '<u>O</u>' },
      signatory: { name: NAME, title: '</li><li>Director', email: uniqueEmail('x') },
      consent: true,
    });
    expect(signon.status).toBe(201);
  });

  afterAll(async () => {
    await amina?.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows markup in titles, names and organisations as typed, and runs none of it', async () => {
    const { app } = amina;
    const dialogs: string[] = [];
    app.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const pages: [string, () => Promise<unknown>][] = [
      ['/', () => app.page.getByRole('link', { name: TITLE }).waitFor()],
      [`/charters/${charterId}`, () => app.page.getByRole('link', { name: SECTION }).waitFor()],
      [`/charters/${charterId}/plenary`, () => app.page.getByRole('heading', { name: `2. ${SECTION}` }).waitFor()],
      [`/versions/${versionId}`, () => app.page.locator('.signatory__org', { hasText: `${ORG} (<u>O</u>)` }).waitFor()],
      [`/charters/${charterId}/audit`, () => app.page.locator('.audit-item__subject', { hasText: ORG }).first().waitFor()],
    ];
    for (const [path, ready] of pages) {
      await app.goto(path);
      await ready();
      await app.page.waitForTimeout(200);
      expect(await app.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await app.page.locator('main img, main script, main svg[onload], main b, main u, main i').count()).toBe(0);
    }
    await app.goto('/');
    await app.page.getByText('<a href="javascript:alert(1)">click</a>').waitFor();
    expect(await app.page.locator('.site-nav__user').innerText()).toBe(NAME);
    await app.screenshot('user-text-home');
    expect(dialogs).toEqual([]);
    expect(app.errors).toEqual([]);
  });
});
