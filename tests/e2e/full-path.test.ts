import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import mammoth from 'mammoth';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { CharterPage, launchBrowser, waitUntil } from '../helpers/browser.js';

const TITLE = 'Regional principles of practice on assistance to survivors';
const unique = () => `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/**
 * The whole path a facilitator takes, in real browsers, asserting what each person sees:
 * create from a template → invite → draft in two sections → finalise → three organisations sign
 * on (one unlisted) → one withdraws → export → record the submission.
 */
describe('the path from draft to submission', () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const newPerson = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    return CharterPage.open(context, server.url);
  };

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('a secretariat runs a charter from template to submission', async () => {
    // 1. The secretariat creates an account with her organisation.
    const amina = await newPerson();
    const aminaEmail = `amina-${unique()}@example.org`;
    await amina.goto('/register');
    await amina.heading('Create an account').waitFor();
    await amina.screenshot('register');
    await amina.register({ name: 'Amina Wanjiru', email: aminaEmail, organisation: { name: 'Awareness Against Human Trafficking', country: 'Kenya' } }, '');
    await amina.heading('My charters').waitFor();
    await amina.page.getByText('You are not part of any charter yet').waitFor();

    // 2. She creates the charter from the principles-of-practice template, whose sections she sees first.
    await amina.page.locator('.template-option', { hasText: 'Principles of practice' }).getByRole('listitem').filter({ hasText: 'Case management' }).waitFor();
    await amina.screenshot('home-create');
    const charterId = await amina.createCharter(TITLE, /^Principles of practice/);
    const sectionTitles = await amina.page.locator('.section-item__title a').allInnerTexts();
    expect(sectionTitles).toEqual(['Preamble and guiding principles', 'Case management', 'Shelters', 'Access to justice', 'Implementation and monitoring']);
    await amina.page.locator('.badge', { hasText: 'Drafting' }).first().waitFor();
    await amina.page.getByText('No version yet.').waitFor();

    // 3. She invites Joseph to draft the case management section, and copies his link.
    const josephEmail = `joseph-${unique()}@example.org`;
    const link = await amina.invite(josephEmail, 'Drafter', ['Case management']);
    expect(link).toMatch(/\/register\?invitation=/);
    await amina.page.getByText(`Invitation ready for ${josephEmail} as Drafter`).waitFor();
    await amina.page.locator('.member', { hasText: josephEmail }).getByText('writes: Case management').waitFor();
    await amina.screenshot('workspace-overview-secretariat');

    // 4. Joseph opens the link: the charter and his role are waiting for him.
    const joseph = await newPerson();
    await joseph.page.goto(link);
    await joseph.page.getByText(`You are invited to “${TITLE}” as Drafter.`).waitFor();
    expect(await joseph.field('E-mail address').inputValue()).toBe(josephEmail);
    await joseph.screenshot('register-invitation');
    await joseph.field('Your name').fill('Joseph Okello');
    await joseph.field('Password').fill('correct horse battery');
    await joseph.field(/^Organisation name/).fill('Platform for Labour Action');
    await joseph.field(/^Acronym/).fill('PLA');
    await joseph.field(/^Country/).fill('Uganda');
    await joseph.button('Create account and join').click();
    await joseph.page.waitForURL(`${server.url}/charters/${charterId}`);
    await joseph.heading(TITLE).waitFor();
    await joseph.page.locator('.badge', { hasText: 'Drafter' }).first().waitFor();
    await joseph.page.getByText('You write in the sections of your working group.').waitFor();
    await amina.page.reload();
    await amina.page.locator('.member', { hasText: 'Joseph Okello' }).waitFor();

    // 5. Joseph drafts in his section, and is told when the server has it.
    await joseph.openSection('Case management');
    await joseph.typeInEditor('Cases are referred across borders within 48 hours, with the person’s consent.');
    await joseph.waitForSaved();
    await joseph.screenshot('section-drafter');
    // Shelters belongs to another working group: he can read it, not edit it.
    await joseph.page.locator('.section-nav').getByRole('link', { name: /Shelters/ }).click();
    await joseph.page.getByText('This section belongs to another working group').waitFor();
    await waitUntil(async () => (await joseph.editor().getAttribute('contenteditable')) === 'false', 10_000, 'read-only shelters');
    await joseph.page.locator('.section-nav').getByRole('link', { name: /Case management/ }).click();
    await joseph.editor().waitFor();

    // 6. The secretariat drafts in a second section.
    await amina.goto(`/charters/${charterId}`);
    await amina.openSection('Shelters');
    await amina.typeInEditor('Shelters for men and for families meet the same standards.');
    await amina.waitForSaved();

    // 7. In plenary, the whole text reads as one document, sections in order, both drafts in it.
    await amina.goto(`/charters/${charterId}/plenary`);
    await amina.page.getByText('Shelters for men and for families meet the same standards.').waitFor();
    await amina.page.getByText('Cases are referred across borders within 48 hours').waitFor();
    const plenaryHeadings = await amina.page.locator('.plenary__section > h2').allInnerTexts();
    expect(plenaryHeadings).toEqual(['1. Preamble and guiding principles', '2. Case management', '3. Shelters', '4. Access to justice', '5. Implementation and monitoring']);
    await amina.screenshot('plenary');

    // 8. She finalises, after being told what freezing means.
    await amina.goto(`/charters/${charterId}`);
    await amina.button('Finalise…').click();
    const dialog = amina.page.getByRole('dialog', { name: 'Finalise as version 1?' });
    await dialog.getByText('Finalising freezes the current text of every section as version 1').waitFor();
    await dialog.getByText('Editing stops for everyone at once').waitFor();
    await dialog.getByLabel(/^Label/).fill('Agreed at the regional forum');
    await amina.screenshot('finalise-dialog');
    await dialog.getByRole('button', { name: 'Finalise version 1' }).dblclick();
    await amina.page.getByText('Version 1 is finalised.').waitFor();
    await amina.page.locator('.workspace__head .badge', { hasText: 'Finalised' }).waitFor();
    await amina.page.getByText('This charter is finalised: its text is frozen').waitFor();
    // A double click made one version, not two (the list loads after the notice: wait for it).
    await amina.page.locator('.version-item').first().waitFor();
    expect(await amina.page.locator('.version-item').count()).toBe(1);
    await amina.button('Reopen for editing…').waitFor();
    await amina.screenshot('workspace-finalised');

    // Joseph's open editor turns read-only without a reload.
    await waitUntil(async () => (await joseph.editor().getAttribute('contenteditable')) === 'false', 20_000, "Joseph's editor read-only");
    await joseph.page.getByText('This charter is finalised, so this text is read only.').waitFor();

    // 9. The version page shows the frozen text, its number, date and fingerprint.
    await amina.page.getByRole('link', { name: 'Open its sign-on page' }).click();
    await amina.page.waitForURL(/\/versions\//);
    const versionPath = new URL(amina.page.url()).pathname;
    await amina.heading(TITLE).waitFor();
    await amina.page.getByText('Version 1 · Agreed at the regional forum').waitFor();
    expect(await amina.page.locator('.hash--full').innerText()).toMatch(/^[0-9a-f]{64}$/);
    await amina.page.locator('.version-text').getByText('Cases are referred across borders within 48 hours').waitFor();
    await amina.page.getByText('No organisation has signed on yet.').waitFor();
    await amina.button('Check the fingerprint').click();
    await amina.page.getByText('Checked: the text is exactly what was finalised.').waitFor();

    // 10. Three organisations sign on; one asks not to be listed.
    // Amina's organisation is filled in from her profile.
    expect(await amina.field('Organisation name').inputValue()).toBe('Awareness Against Human Trafficking');
    await amina.field(/^Acronym/).fill('HAART');
    await amina.field('Their title or position').fill('Executive Director');
    await amina.page.getByRole('checkbox', { name: /I am authorised to sign on behalf of Awareness Against Human Trafficking/ }).check();
    await amina.screenshot('version-sign-on-form');
    await amina.button('Sign on').dblclick();
    await amina.page.getByText('Thank you. Awareness Against Human Trafficking has signed on to version 1.').waitFor();
    await amina.page.getByText('1 organisation from 1 country.').waitFor();

    await joseph.goto(versionPath);
    await joseph.field('Organisation name').waitFor();
    expect(await joseph.field('Organisation name').inputValue()).toBe('Platform for Labour Action');
    await joseph.field('Their title or position').fill('Programme Officer');
    await joseph.page.getByRole('checkbox', { name: /I am authorised/ }).check();
    await joseph.page.getByRole('checkbox', { name: 'Do not list our name publicly' }).check();
    await joseph.button('Sign on').click();
    await joseph.page.getByText('As you asked, it is counted but not named publicly.').waitFor();
    await joseph.page.getByText('2 organisations from 2 countries.').waitFor();

    // Selam is at the forum without an account: she signs on from the version page.
    const selam = await newPerson();
    await selam.goto(versionPath);
    await selam.page.getByText('To sign on, sign in or create an account first').waitFor();
    await selam.page.locator('#sign-on').getByRole('link', { name: 'Create an account' }).click();
    await selam.register({ name: 'Selam Tesfaye', email: `selam-${unique()}@example.org` }, '');
    await selam.page.waitForURL(new RegExp(`${versionPath}`));
    await selam.field('Organisation name').fill('Organization for Prevention, Rehabilitation and Integration of Female Street Children');
    await selam.field(/^Acronym/).fill('OPRIFS');
    await selam.field('Country').fill('Ethiop');
    await selam.field('Country').fill('Ethiopia');
    await selam.field('Their title or position').fill('Director');
    // Without consent, the server's message shows next to the checkbox.
    await selam.button('Sign on').click();
    await selam.page.locator('.field--checkbox .field__error').first().waitFor();
    await selam.page.getByRole('checkbox', { name: /I am authorised/ }).check();
    await selam.button('Sign on').click();
    await selam.page.getByText('has signed on to version 1').waitFor();
    await selam.page.getByText('3 organisations from 3 countries.').waitFor();

    // What the public sees: counts by country, listed names, the unlisted one counted but not named.
    const anonymous = await newPerson();
    await anonymous.goto(versionPath);
    await anonymous.page.getByText('3 organisations from 3 countries.').waitFor();
    const signatories = anonymous.page.locator('.signatories');
    await signatories.getByText('Awareness Against Human Trafficking (HAART)').waitFor();
    await signatories.getByText('Organization for Prevention, Rehabilitation and Integration of Female Street Children (OPRIFS)').waitFor();
    await signatories.getByText('1 organisation asked not to be listed').waitFor();
    expect(await signatories.innerText()).not.toContain('Platform for Labour Action');
    expect(await signatories.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Ethiopia (1)', 'Kenya (1)', 'Uganda (1)']);
    expect(await anonymous.page.locator('.chart tbody tr').count()).toBe(3);
    expect(await anonymous.page.locator('.signatories').getByRole('button', { name: /Withdraw/ }).count()).toBe(0);
    await anonymous.screenshot('version-public');

    // 11. Selam withdraws her organisation's sign-on.
    await selam.page.reload();
    await selam.page.getByRole('button', { name: /^Withdraw \(Organization for Prevention/ }).click();
    await selam.screenshot('version-withdraw-confirm');
    await selam.button('Yes, withdraw').click();
    await selam.page.getByText('2 organisations from 2 countries.').waitFor();
    await waitUntil(async () => !(await selam.page.locator('.signatories').innerText()).includes('OPRIFS'), 10_000, 'withdrawn sign-on gone');

    // 12. The Word file downloads, with the text, the fingerprint and the remaining signatories.
    await amina.page.reload();
    const [download] = await Promise.all([amina.page.waitForEvent('download'), amina.page.getByRole('link', { name: 'Download (Word)' }).click()]);
    const docxPath = await download.path();
    const docx = readFileSync(docxPath!);
    expect(docx.subarray(0, 2).toString()).toBe('PK');
    const { value: docText } = await mammoth.extractRawText({ buffer: docx });
    expect(docText).toContain(TITLE);
    expect(docText).toContain('Cases are referred across borders within 48 hours');
    expect(docText).toContain('Awareness Against Human Trafficking');
    expect(docText).not.toContain('Organization for Prevention, Rehabilitation');

    // 13. She records the submission to a regional body, moves its status and gets the exact bytes.
    await amina.goto(`/charters/${charterId}`);
    await amina.page.getByRole('link', { name: 'Submissions' }).click();
    await amina.heading('Submissions').waitFor();
    await amina.page.getByText('No submission recorded yet.').waitFor();
    await amina.field('Sent to').fill('East African Community (EAC) Secretariat');
    await amina.field(/^Reference/).fill('EAC/CSO/2026/14');
    await amina.screenshot('submissions-form');
    await amina.button('Record submission').dblclick();
    await amina.page.getByText('Submission to East African Community (EAC) Secretariat recorded.').waitFor();
    const row = amina.page.locator('.submission');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await row.getByText('2 organisations').waitFor();
    await row.getByText('EAC/CSO/2026/14').waitFor();
    await row.getByLabel('Status').selectOption({ label: 'Acknowledged' });
    await row.getByRole('button', { name: 'Update status' }).click();
    await row.getByText('Current status: Acknowledged.').waitFor();
    const [sent] = await Promise.all([amina.page.waitForEvent('download'), row.getByRole('link', { name: 'Download the file sent' }).click()]);
    const sentBytes = readFileSync((await sent.path())!);
    const fullHash = (await row.locator('.hash').getAttribute('title'))!;
    expect(createHash('sha256').update(sentBytes).digest('hex')).toBe(fullHash);
    await amina.screenshot('submissions');

    // 14. The audit trail tells the story, and filters by action.
    await amina.goto(`/charters/${charterId}/audit`);
    await amina.heading('Audit trail').waitFor();
    for (const words of ['finalised a version', 'signed on', 'withdrew a sign-on', 'recorded a submission', 'invited someone', 'joined']) {
      await amina.page.locator('.audit-item', { hasText: words }).first().waitFor();
    }
    await amina.field('Show').selectOption({ label: 'signed on' });
    await waitUntil(async () => (await amina.page.locator('.audit-item').count()) === 3, 5_000, 'three sign-ons in the filtered trail');
    await amina.screenshot('audit');

    for (const p of [amina, joseph, selam, anonymous]) expect(p.errors).toEqual([]);
  }, 240_000);
});
