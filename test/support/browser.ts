import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { ensureChromium } from '../../scripts/infra/tools';
import { type RunningProduct, startProduct } from './product';

/** Screenshots the browser tests write (not committed): what a clerk would see, to be looked at. */
export const SCREENSHOTS_DIR = resolve(__dirname, '..', '..', 'test-results', 'screenshots');
const BUILT_CONSOLE = resolve(__dirname, '..', '..', 'dist', 'web', 'index.html');

/** The deployment's zone and language: the console shows times in it whatever the machine's own zone. */
// Less motion asked, as many officers' systems do: the console then turns Ant Design's animations off, so a click
// never lands on a dialog or a popover still zooming in on a loaded machine.
const CONTEXT = {
  locale: 'vi-VN',
  timezoneId: 'Asia/Ho_Chi_Minh',
  viewport: { width: 1366, height: 900 },
  reducedMotion: 'reduce',
} as const;

/** The product as `npm start` runs it (API serving the built console, worker), and Debian's chromium. */
export async function startConsole(
  overrides: Record<string, string> = {},
): Promise<{ product: RunningProduct; browser: Browser; stop(): Promise<void> }> {
  if (!existsSync(BUILT_CONSOLE)) {
    throw new Error(`the console is not built (${BUILT_CONSOLE} is missing): run npm run build first`);
  }
  const executablePath = ensureChromium();
  if (!executablePath) {
    throw new Error("no chromium here: install Debian's chromium (apt-get install chromium fonts-noto-core)");
  }
  const product = await startProduct({ overrides });
  // As root chromium needs --no-sandbox; nothing but this product's own pages is opened.
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  return {
    product,
    browser,
    stop: async () => {
      await browser.close();
      await product.stop();
    },
  };
}

/** A fresh browser (its own session storage) for one officer or citizen. */
export async function newSession(
  browser: Browser,
  product: RunningProduct,
  options: { viewport?: { width: number; height: number }; isMobile?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...CONTEXT, baseURL: product.baseUrl, ...options });
  const page = await context.newPage();
  const refused: string[] = [];
  // Chromium reports what the Content-Security-Policy blocked on the page's console.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/.test(message.text())) {
      refused.push(message.text());
    }
  });
  cspRefusals.set(page, refused);
  return { context, page };
}

const cspRefusals = new WeakMap<Page, string[]>();

/** What the API's Content-Security-Policy refused on the page so far (a script, a style, a call…). */
export const contentSecurityRefusals = (page: Page): string[] => [...(cspRefusals.get(page) ?? [])];

/** Signs in through the sign-in page, as a clerk would: picks the demo officer by username. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/dang-nhap');
  await page.getByRole('button', { name: `(${username})` }).click();
  // the officer's home: heads land on their dashboard, everyone else on their worklist
  await page.getByRole('heading', { level: 1, name: /^(Hồ sơ cần xử lý|Bảng điều khiển)$/ }).waitFor();
}

/** Writes test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  // Drawers and dialogs slide in: picture them where they come to rest (spinners never rest: they are left out).
  await page.evaluate(async () => {
    interface Running {
      finished: Promise<unknown>;
      effect: { getTiming(): { iterations?: number } } | null;
    }
    const doc = (globalThis as unknown as { document: { getAnimations(): Running[] } }).document;
    const settling = doc
      .getAnimations()
      .filter((a) => (a.effect?.getTiming().iterations ?? 1) !== Infinity)
      .map((a) => a.finished.catch(() => undefined));
    await Promise.race([Promise.all(settling), new Promise((r) => setTimeout(r, 2_000))]);
  });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Fails the test, naming the screen, when axe-core finds a serious or critical violation on the page, or when the
 * Content-Security-Policy refused anything the page loaded.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  expect({ screen, violations }).toEqual({ screen, violations: [] });
  // Every screen checked also works under the API's security headers: nothing it needs was refused.
  expect({ screen, refusedByCsp: contentSecurityRefusals(page) }).toEqual({ screen, refusedByCsp: [] });
}

/** Runs axe-core in the page; returns the serious and critical violations (the ones that block someone). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol, not as an inline <script>: the console's CSP refuses those.
  await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    // Runs in the page, where axe was just injected.
    const page = globalThis as unknown as { axe: typeof axe; document: axe.ElementContext };
    const r = await page.axe.run(page.document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A failed wait's error with the page's dialogs, statuses and alerts: CI keeps the log, not the screenshot. */
async function withWhatThePageShowed(page: Page, e: unknown): Promise<Error> {
  const texts = (role: 'dialog' | 'status' | 'alert' | 'tooltip') =>
    page
      .getByRole(role)
      .allInnerTexts()
      .catch(() => [] as string[]);
  const showed = {
    url: page.url(),
    dialogs: await texts('dialog'),
    statuses: await texts('status'),
    alerts: await texts('alert'),
    tooltips: await texts('tooltip'),
  };
  const error = new Error(`${e instanceof Error ? e.message : String(e)}\nthe page showed: ${JSON.stringify(showed)}`);
  // The frames of the wait that failed, which name the test's line.
  const frames = (e instanceof Error ? (e.stack ?? '') : '').split('\n').filter((line) => /^\s+at /.test(line));
  error.stack = [`Error: ${error.message}`, ...frames].join('\n');
  return error;
}

/** Waits until the locator's first match is visible (playwright-core has no `expect`; this is its one wait). */
export async function shown(locator: Locator, timeout = 10_000): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (e) {
    // What the page showed instead is the first thing to look at when a scenario fails.
    await screenshot(locator.page(), `failed-wait-${Date.now()}`).catch(() => undefined);
    throw await withWhatThePageShowed(locator.page(), e);
  }
  return locator.first();
}

/**
 * Waits for the outcome of an action confirmed in the dossier page's dialog: the success status, or the refusal
 * alert (then fails with its text). Actions go through the workflow: on a loaded machine they may take seconds.
 */
export async function actionOutcome(page: Page, timeout = 30_000): Promise<void> {
  const refused = page.getByRole('alert').filter({ hasText: 'Không thực hiện được' });
  const done = await Promise.race([
    page
      .getByRole('status')
      .filter({ hasText: 'đã thực hiện' })
      .first()
      .waitFor({ state: 'visible', timeout })
      .then(() => true),
    refused
      .first()
      .waitFor({ state: 'visible', timeout })
      .then(() => false),
  ]).catch(async (e: unknown) => {
    await screenshot(page, `failed-action-${Date.now()}`).catch(() => undefined);
    throw await withWhatThePageShowed(page, e);
  });
  if (!done) {
    throw new Error(`the action was refused: ${await refused.first().innerText()}`);
  }
}

/** Waits until the locator's first match's text matches `pattern`; fails naming what it last saw. */
export async function showsText(locator: Locator, pattern: RegExp, timeout = 10_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = '';
  for (;;) {
    last =
      (await locator
        .first()
        .innerText({ timeout })
        .catch(() => '')) ?? '';
    if (pattern.test(last)) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`expected text matching ${pattern}, last saw: ${JSON.stringify(last.slice(0, 400))}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the page's address matches `pattern` (a tab opened by the console fills in a moment later). */
export async function showsUrl(page: Page, pattern: RegExp, timeout = 10_000): Promise<string> {
  const deadline = Date.now() + timeout;
  while (!pattern.test(page.url())) {
    if (Date.now() > deadline) {
      throw new Error(`expected the address to match ${pattern}, it is ${page.url()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return page.url();
}
