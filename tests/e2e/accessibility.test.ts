import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { Api, startTestServer, uniqueEmail, type TestServer } from '../helpers/server.js';
import { CharterPage, describeViolations, launchBrowser, signedInPerson, type AxeViolation } from '../helpers/browser.js';
import { seedFinalisedCharter, type SeededCharter } from './fixtures.js';

interface PageCheck {
  name: string;
  /** Who looks at it. */
  as: 'anonymous' | 'secretariat' | 'drafter';
  path: string;
  /** What must be on screen before the page counts as loaded. */
  ready: (app: CharterPage) => Promise<unknown>;
  /** Something to do first (open a dialog, pick a comparison). */
  act?: (app: CharterPage) => Promise<unknown>;
}

/** axe-core on every page of the client, at laptop and phone widths: no serious or critical violation. */
describe('accessibility of every page', () => {
  let server: TestServer;
  let browser: Browser;
  let seeded: SeededCharter;
  let invitationToken: string;
  let secondVersionId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    seeded = await seedFinalisedCharter(server.url);
    const { api } = seeded.secretariat;
    // A second version (to compare), a submission, a drafter and a pending invitation.
    expect((await api.post(`/api/charters/${seeded.charterId}/reopen`)).status).toBe(200);
    const v2 = await api.post(`/api/charters/${seeded.charterId}/finalise`, { label: 'After the second reading' });
    expect(v2.status).toBe(201);
    secondVersionId = v2.body.version.id;
    expect((await api.post(`/api/charters/${seeded.charterId}/reopen`)).status).toBe(200);
    expect((await api.post(`/api/versions/${seeded.versionId}/submissions`, { recipient: 'ASEAN Secretariat', reference: 'REF-1' })).status).toBe(201);
    const inv = await api.post(`/api/charters/${seeded.charterId}/members`, { email: uniqueEmail('invitee'), role: 'drafter', sectionIds: [seeded.sections[1]!.id] });
    invitationToken = new URL(inv.body.invitation.url).searchParams.get('invitation')!;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });

  it('has no serious or critical axe violations', async () => {
    const section = seeded.sections.find((s) => s.key === 'shelters')!;
    const checks: PageCheck[] = [
      { name: 'sign-in', as: 'anonymous', path: '/', ready: (a) => a.heading('Sign in').waitFor() },
      { name: 'login', as: 'anonymous', path: '/login', ready: (a) => a.heading('Sign in').waitFor() },
      { name: 'register', as: 'anonymous', path: '/register', ready: (a) => a.heading('Create an account').waitFor() },
      {
        name: 'register-invitation',
        as: 'anonymous',
        path: `/register?invitation=${invitationToken}`,
        ready: (a) => a.page.getByText('You are invited to').waitFor(),
      },
      {
        name: 'register-errors',
        as: 'anonymous',
        path: '/register',
        ready: (a) => a.heading('Create an account').waitFor(),
        act: async (a) => {
          await a.field('Password').fill('short');
          await a.button('Create account').click();
          await a.page.locator('.field__error').first().waitFor();
        },
      },
      { name: 'version-public', as: 'anonymous', path: `/versions/${seeded.versionId}`, ready: (a) => a.page.getByText('3 organisations from 3 countries.').waitFor() },
      { name: 'not-found', as: 'anonymous', path: '/no/such/page', ready: (a) => a.heading('Page not found').waitFor() },
      { name: 'home', as: 'secretariat', path: '/', ready: (a) => a.page.locator('.card--link').first().waitFor() },
      { name: 'workspace', as: 'secretariat', path: `/charters/${seeded.charterId}`, ready: (a) => a.page.locator('.version-item').nth(1).waitFor() },
      {
        name: 'workspace-finalise-dialog',
        as: 'secretariat',
        path: `/charters/${seeded.charterId}`,
        ready: (a) => a.button('Finalise…').waitFor(),
        act: async (a) => {
          await a.button('Finalise…').click();
          await a.page.getByRole('dialog').waitFor();
        },
      },
      {
        name: 'section-editor',
        as: 'secretariat',
        path: `/charters/${seeded.charterId}/sections/${section.id}`,
        ready: (a) => a.page.locator('.collab-status[data-saved="true"]').waitFor(),
        act: async (a) => {
          await a.editor().click();
          await a.page.getByRole('button', { name: 'Link' }).click();
          await a.page.getByLabel('Link address').waitFor();
        },
      },
      {
        name: 'section-read-only',
        as: 'drafter',
        path: `/charters/${seeded.charterId}/sections/${section.id}`,
        ready: (a) => a.page.getByText('This section belongs to another working group').waitFor(),
      },
      { name: 'plenary', as: 'secretariat', path: `/charters/${seeded.charterId}/plenary`, ready: (a) => a.page.locator('.plenary__section .doc').nth(4).waitFor() },
      { name: 'submissions', as: 'secretariat', path: `/charters/${seeded.charterId}/submissions`, ready: (a) => a.page.locator('.submission').first().waitFor() },
      { name: 'audit', as: 'secretariat', path: `/charters/${seeded.charterId}/audit`, ready: (a) => a.page.locator('.audit-item').first().waitFor() },
      {
        name: 'version-member-compare',
        as: 'secretariat',
        path: `/versions/${secondVersionId}`,
        ready: (a) => a.heading('Compare with another version', 2).waitFor(),
        act: async (a) => {
          await a.field('Compare with').selectOption({ label: 'Version 1 · Agreed at the regional forum' });
          await a.page.getByText('From version 1 to version 2').waitFor();
        },
      },
    ];

    const sessions = new Map<string, BrowserContext>();
    const contextFor = async (as: PageCheck['as'], phone: boolean): Promise<BrowserContext> => {
      const key = `${as}-${phone}`;
      let context = sessions.get(key);
      if (!context) {
        const viewport = phone ? { width: 360, height: 740 } : { width: 1280, height: 900 };
        if (as === 'anonymous') context = await browser.newContext({ viewport });
        else if (as === 'secretariat') {
          context = await browser.newContext({ viewport });
          const res = await context.request.post(`${server.url}/api/auth/login`, { data: { email: seeded.secretariat.email, password: 'correct horse battery' } });
          expect(res.status()).toBe(200);
        } else {
          const drafter = await signedInPerson(browser, server.url, { name: 'Joseph Okello', viewport });
          await drafter.app.page.close();
          const member = await new Api(server.url, seeded.secretariat.token).post(`/api/charters/${seeded.charterId}/members`, {
            email: drafter.user.email,
            role: 'drafter',
            sectionIds: [seeded.sections.find((s) => s.key === 'case-management')!.id],
          });
          expect(member.status).toBe(201);
          context = drafter.context;
        }
        contexts.push(context);
        sessions.set(key, context);
      }
      return context;
    };

    const failures: string[] = [];
    // Laptop and phone widths side by side: two pages at a time keep both cores busy.
    await Promise.all([false, true].map(async (phone) => {
      for (const check of checks) {
        const app = await CharterPage.open(await contextFor(check.as, phone), server.url);
        const label = `${check.name}${phone ? '-phone' : ''}`;
        await app.goto(check.path);
        await check.ready(app);
        if (check.act) await check.act(app);
        const violations: AxeViolation[] = await app.axe();
        if (violations.length) failures.push(`${label}:\n${describeViolations(violations)}`);
        await app.screenshot(`a11y-${label}`, { fullPage: !phone });
        if (app.errors.length) failures.push(`${label}: ${app.errors.join('; ')}`);
        await app.page.close();
      }
    }));
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 240_000);
});
