import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { CharterPage, launchBrowser, signedInPerson, type SignedInPerson } from '../helpers/browser.js';
import { seedFinalisedCharter, type SeededCharter } from './fixtures.js';

const PHONE = { width: 360, height: 740 };

describe('the version page on a phone', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: SeededCharter;
  const people: SignedInPerson[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    seeded = await seedFinalisedCharter(server.url);
  });

  afterAll(async () => {
    for (const p of people) await p.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('reads well at 360 px, without the editor code, for someone not signed in', async () => {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const app = await CharterPage.open(context, server.url);
      const scripts: string[] = [];
      app.page.on('response', (r) => {
        if (r.url().endsWith('.js')) scripts.push(new URL(r.url()).pathname);
      });
      await app.goto(`/versions/${seeded.versionId}`);
      await app.heading('Regional principles of practice').waitFor();
      await app.page.getByText('3 organisations from 3 countries.').waitFor();
      await app.page.locator('.version-text').getByRole('heading', { name: '2. Case management' }).waitFor();

      // Nothing sticks out sideways: no horizontal scrolling on a small phone.
      const widths = await app.page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
      expect(widths.doc).toBeLessThanOrEqual(PHONE.width);
      expect(widths.body).toBeLessThanOrEqual(PHONE.width);

      // The public page stays light: the editor and yjs are never downloaded.
      expect(scripts.filter((s) => /SectionEditor|presence|WorkspacePage|PlenaryPage/.test(s))).toEqual([]);

      // The main actions are big enough to tap.
      for (const name of ['Sign on', 'Download (Word)']) {
        const box = await app.page.getByRole('link', { name, exact: true }).boundingBox();
        expect(box!.height).toBeGreaterThanOrEqual(44);
        expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
      }
      const chart = await app.page.locator('.chart').boundingBox();
      expect(chart!.width).toBeLessThanOrEqual(PHONE.width);
      await app.page.locator('.signatories').getByText('1 organisation asked not to be listed').waitFor();
      await app.screenshot('version-phone-public');
      await app.screenshot('version-phone-top', { fullPage: false });
      await app.page.locator('.signatories').scrollIntoViewIfNeeded();
      await app.screenshot('version-phone-signatories', { fullPage: false });
      expect(await app.axe()).toEqual([]);
      expect(app.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('lets an organisation sign on from a phone', async () => {
    const selam = await signedInPerson(browser, server.url, { name: 'Selam Tesfaye', viewport: PHONE });
    people.push(selam);
    const { app } = selam;
    await app.goto(`/versions/${seeded.versionId}#sign-on`);
    await app.field('Organisation name').fill('Organization for Prevention, Rehabilitation and Integration of Female Street Children');
    await app.field('Country').fill('Ethiopia');
    await app.field('Their title or position').fill('Director');
    for (const label of ['Organisation name', 'Country', 'Name of the person signing', 'Their title or position', 'E-mail address']) {
      const box = await app.field(label).boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(44);
      expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    }
    await app.page.getByRole('checkbox', { name: /I am authorised/ }).check();
    await app.button('Sign on').tap().catch(() => app.button('Sign on').click());
    await app.page.getByText('has signed on to version 1').waitFor();
    await app.page.getByText('4 organisations from 4 countries.').waitFor();
    expect(await app.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await app.screenshot('version-phone-signed');
    await app.page.getByText('has signed on to version 1').scrollIntoViewIfNeeded();
    await app.screenshot('version-phone-signed-form', { fullPage: false });
    expect(app.errors).toEqual([]);
  });
});
