import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { repoRoot } from './server.js';

const require = createRequire(import.meta.url);

/** Chromium flags for a sandboxless CI box without a GPU or network access. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches the system Chromium (Debian's) headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Where the browser tests save a screenshot of every page they visit. */
export const SCREENSHOT_DIR = join(repoRoot, 'test-artifacts/screenshots');
let announced = false;

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  if (!announced) {
    announced = true;
    console.log(`Screenshots: ${SCREENSHOT_DIR}`);
  }
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? true, animations: 'disabled' });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

let axeSource: string | undefined;

/** Runs axe-core on the page and returns its serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') stays on, as in production.
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Formats violations for an assertion message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `   ${n.target.join(' ')} ${n.html}`).join('\n')}`)
    .join('\n');
}

/** Collects page errors and console errors so a test can assert none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const text = msg.text();
      // Expected refusals (a failed resource load is logged by the browser itself).
      if (/Failed to load resource/.test(text)) return;
      errors.push(`console: ${text}`);
    }
  });
  return errors;
}

/** Polls `fn` until it returns true (or throws after `timeout` ms). */
export async function waitUntil(fn: () => Promise<boolean> | boolean, timeout = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Page object for the Charter web client: what a person does, in the words of the interface,
 * so that specs read as the path a facilitator takes.
 */
export class CharterPage {
  readonly errors: string[];

  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {
    this.errors = watchErrors(page);
    // Fail with the step that did not happen rather than at the test's own time limit.
    page.setDefaultTimeout(15_000);
  }

  static async open(context: BrowserContext, baseUrl: string): Promise<CharterPage> {
    const page = await context.newPage();
    return new CharterPage(page, baseUrl);
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(this.baseUrl + path);
  }

  heading(name: string | RegExp, level = 1): Locator {
    return this.page.getByRole('heading', { name, level });
  }

  button(name: string | RegExp): Locator {
    return this.page.getByRole('button', { name });
  }

  field(label: string | RegExp): Locator {
    return this.page.getByLabel(label, { exact: typeof label === 'string' });
  }

  async register(opts: { name: string; email: string; password?: string; organisation?: { name: string; country: string } }, path = '/register'): Promise<void> {
    if (path) await this.goto(path);
    await this.field('Your name').fill(opts.name);
    await this.field('E-mail address').fill(opts.email);
    await this.field('Password').fill(opts.password ?? 'correct horse battery');
    if (opts.organisation) {
      await this.field(/^Organisation name/).fill(opts.organisation.name);
      await this.field(/^Country/).fill(opts.organisation.country);
    }
    await this.page.getByRole('button', { name: /^Create account/ }).click();
  }

  async signIn(email: string, password = 'correct horse battery', path = '/login'): Promise<void> {
    await this.goto(path);
    await this.field('E-mail address').fill(email);
    await this.field('Password').fill(password);
    await this.button('Sign in').click();
  }

  /** Creates a charter from the template with this title; lands in its workspace. */
  async createCharter(title: string, templateTitle: RegExp | string = /principles of practice/i): Promise<string> {
    await this.goto('/');
    await this.heading('My charters').waitFor();
    await this.field(/^Title of the charter/).fill(title);
    await this.page.getByRole('radio', { name: templateTitle }).check();
    await this.button('Create charter').click();
    await this.page.waitForURL(/\/charters\/[^/]+$/);
    await this.heading(title).waitFor();
    await this.heading('Sections', 2).waitFor();
    return this.page.url().split('/charters/')[1]!;
  }

  /** Invites an e-mail with a role (and sections, for drafters); returns the invitation link shown. */
  async invite(email: string, role: 'Drafter' | 'Observer' | 'Secretariat', sections: string[] = []): Promise<string> {
    const form = this.page.locator('form', { has: this.page.getByRole('button', { name: 'Invite', exact: true }) });
    await form.getByLabel('E-mail address').fill(email);
    await form.getByLabel('Role').selectOption({ label: role });
    for (const s of sections) await form.getByRole('checkbox', { name: s }).check();
    await form.getByRole('button', { name: 'Invite', exact: true }).click();
    const link = this.page.getByLabel('Invitation link');
    await link.waitFor();
    return link.inputValue();
  }

  async openSection(title: string): Promise<void> {
    await this.page.getByRole('link', { name: title, exact: true }).first().click();
    await this.editor().waitFor();
  }

  editor(): Locator {
    return this.page.locator('.ProseMirror');
  }

  /** Types at the end of the section's text, as a person would. */
  async typeInEditor(text: string): Promise<void> {
    const editor = this.editor();
    await editor.click();
    await this.page.keyboard.press('Control+End');
    // ProseMirror reads the moved selection on the next selectionchange: let it land first.
    await this.page.waitForTimeout(150);
    await this.page.keyboard.press('End');
    await this.page.waitForTimeout(50);
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.type(text, { delay: 5 });
  }

  connectionStatus(): Locator {
    return this.page.locator('.collab-status').first();
  }

  async waitForSaved(timeout = 10_000): Promise<void> {
    await this.page.locator('.collab-status[data-saved="true"]').waitFor({ timeout });
  }

  async screenshot(name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
    return screenshot(this.page, name, opts);
  }

  async axe(): Promise<AxeViolation[]> {
    return seriousAxeViolations(this.page);
  }
}

/** A person with an account and a browser context signed in as them (through the API, to save time). */
export interface SignedInPerson {
  context: BrowserContext;
  app: CharterPage;
  user: { id: string; email: string; name: string };
  token: string;
}

let people = 0;

/**
 * Registers an account through the API from inside a fresh browser context, so that the
 * context holds the session cookie exactly as if the person had registered in the page.
 */
export async function signedInPerson(
  browser: Browser,
  baseUrl: string,
  opts: { name: string; email?: string; organisation?: { name: string; country: string; acronym?: string }; invitation?: string; viewport?: { width: number; height: number } },
): Promise<SignedInPerson> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 } });
  const email = opts.email ?? `${opts.name.toLowerCase().replace(/[^a-z]+/g, '.').replace(/^\.+|\.+$/g, '') || 'person'}-${process.pid}-${Date.now().toString(36)}-${people++}@example.org`;
  const res = await context.request.post(`${baseUrl}/api/auth/register`, {
    data: {
      email,
      password: 'correct horse battery',
      name: opts.name,
      ...(opts.organisation ? { organisation: opts.organisation } : {}),
      ...(opts.invitation ? { invitation: opts.invitation } : {}),
    },
  });
  if (res.status() !== 201) throw new Error(`register ${email}: ${res.status()} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string; email: string; name: string }; token: string };
  const app = await CharterPage.open(context, baseUrl);
  return { context, app, user: body.user, token: body.token };
}
