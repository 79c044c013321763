import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Api, startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, signedInPerson, waitUntil, type SignedInPerson } from '../helpers/browser.js';

describe('live co-editing in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  const people: SignedInPerson[] = [];
  let charterId: string;
  let caseSection: { id: string; title: string };

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    const amina = await signedInPerson(browser, server.url, { name: 'Amina Wanjiru', organisation: { name: 'Awareness Against Human Trafficking', acronym: 'HAART', country: 'KE' } });
    people.push(amina);
    const api = new Api(server.url, amina.token);
    const res = await api.post('/api/charters', { title: 'Regional principles of practice', templateId: 'principles-of-practice' });
    expect(res.status).toBe(201);
    charterId = res.body.charter.id;
    caseSection = res.body.charter.sections.find((s: { key: string }) => s.key === 'case-management');
  });

  afterAll(async () => {
    for (const p of people) await p.context.close();
    await browser?.close();
    await server?.stop();
  });

  it("two browser contexts co-edit one section and each sees the other's text and name", async () => {
    const amina = people[0]!;
    const joseph = await signedInPerson(browser, server.url, { name: 'Joseph Okello', organisation: { name: 'Platform for Labour Action', acronym: 'PLA', country: 'UG' } });
    people.push(joseph);
    const api = new Api(server.url, amina.token);
    expect((await api.post(`/api/charters/${charterId}/members`, { email: joseph.user.email, role: 'drafter', sectionIds: [caseSection.id] })).status).toBe(201);

    const path = `/charters/${charterId}/sections/${caseSection.id}`;
    await amina.app.goto(path);
    await joseph.app.goto(path);
    for (const p of [amina, joseph]) {
      await p.app.editor().waitFor();
      await p.app.heading(caseSection.title, 2).waitFor();
    }

    await amina.app.typeInEditor('Amina: referrals across borders within 48 hours.');
    await joseph.app.typeInEditor('Joseph: every case file stays with the person.');

    // Each sees the other's words in the text...
    await waitUntil(async () => (await amina.app.editor().innerText()).includes('Joseph: every case file stays with the person.'), 10_000, "Joseph's text at Amina's");
    await waitUntil(async () => (await joseph.app.editor().innerText()).includes('Amina: referrals across borders within 48 hours.'), 10_000, "Amina's text at Joseph's");

    // ...and the other's name, with their organisation, in the presence list and on their caret.
    const presenceAtAmina = amina.app.page.locator('.presence__list');
    await presenceAtAmina.getByText('Joseph Okello').waitFor();
    expect(await presenceAtAmina.innerText()).toContain('PLA');
    await joseph.app.page.locator('.presence__list').getByText('Amina Wanjiru').waitFor();
    await amina.app.page.locator('.collaboration-carets__label', { hasText: 'Joseph Okello' }).waitFor();
    await joseph.app.page.locator('.collaboration-carets__label', { hasText: 'Amina Wanjiru' }).waitFor();

    // Both are told plainly that the server has everything.
    await amina.app.waitForSaved();
    await joseph.app.waitForSaved();
    expect(await amina.app.connectionStatus().innerText()).toMatch(/All changes saved/);

    // The section list shows who is in the section right now.
    await amina.app.page.locator('.section-nav a[aria-current="page"] .presence-dot').first().waitFor();
    await amina.app.screenshot('section-co-editing-amina');
    await joseph.app.screenshot('section-co-editing-joseph');

    // A fresh reader gets both texts from the server, once each.
    await amina.app.page.reload();
    await amina.app.editor().waitFor();
    const text = await amina.app.editor().innerText();
    expect(text.split('Joseph: every case file stays with the person.').length - 1).toBe(1);
    expect(text.split('Amina: referrals across borders within 48 hours.').length - 1).toBe(1);
    expect(amina.app.errors).toEqual([]);
    expect(joseph.app.errors).toEqual([]);
  });

  it("an observer's editor is read-only", async () => {
    const amina = people[0]!;
    const nok = await signedInPerson(browser, server.url, { name: 'Nok Srisuk', organisation: { name: 'MAP Foundation', acronym: 'MAP', country: 'TH' } });
    people.push(nok);
    const api = new Api(server.url, amina.token);
    expect((await api.post(`/api/charters/${charterId}/members`, { email: nok.user.email, role: 'observer' })).status).toBe(201);

    const path = `/charters/${charterId}/sections/${caseSection.id}`;
    await nok.app.goto(path);
    const editor = nok.app.editor();
    await editor.waitFor();
    expect(await editor.getAttribute('contenteditable')).toBe('false');
    await nok.app.page.getByText('You are an observer: you can follow the drafting live but not edit.').waitFor();
    expect(await nok.app.page.getByRole('toolbar', { name: 'Formatting' }).count()).toBe(0);
    const before = await editor.innerText();
    await editor.click();
    await nok.app.page.keyboard.type('Observer text that must not appear');
    expect(await editor.innerText()).toBe(before);

    // The observer still follows the drafting live.
    await amina.app.goto(path);
    await amina.app.typeInEditor('Live line for the observer.');
    await waitUntil(async () => (await editor.innerText()).includes('Live line for the observer.'), 10_000, 'live text at the observer');
    await nok.app.page.locator('.collab-status', { hasText: 'Following live' }).waitFor();
    await nok.app.screenshot('section-observer-read-only');
    expect(await amina.app.editor().innerText()).not.toContain('Observer text');
    expect(nok.app.errors).toEqual([]);
  });

  it('a lost connection shows a banner, keeps what is typed, and recovers by itself', async () => {
    const amina = people[0]!;
    const path = `/charters/${charterId}/sections/${caseSection.id}`;
    await amina.app.goto(path);
    await amina.app.editor().waitFor();
    await amina.app.waitForSaved();

    await amina.context.setOffline(true);
    const banner = amina.app.page.getByRole('status').filter({ hasText: 'Connection lost.' });
    await banner.waitFor();
    await amina.app.page.locator('.collab-status[data-phase="offline"]').waitFor();
    await amina.app.typeInEditor('Written on the bus without a signal.');
    await amina.app.page.getByText('Your latest changes are kept here').waitFor();
    await amina.app.screenshot('section-offline', { fullPage: false });

    await amina.context.setOffline(false);
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await amina.app.waitForSaved(20_000);

    // The words reached the server: a fresh reader sees them.
    const reader = await signedInPerson(browser, server.url, { name: 'Fresh Reader' });
    people.push(reader);
    const api = new Api(server.url, amina.token);
    expect((await api.post(`/api/charters/${charterId}/members`, { email: reader.user.email, role: 'observer' })).status).toBe(201);
    await reader.app.goto(path);
    await reader.app.editor().getByText('Written on the bus without a signal.').waitFor();
    expect(amina.app.errors).toEqual([]);
  });
});
