import { type Browser } from 'playwright-core';
import { contentSecurityRefusals, newSession, shown, signIn, startConsole } from '../support/browser';
import { type RunningProduct } from '../support/product';

/**
 * The console and the OpenAPI UI under the API's security headers (helmet): a policy that refused one of their
 * scripts, styles or calls would leave a blank or broken page, which only a browser shows.
 */
describe('the console and the OpenAPI UI under the Content-Security-Policy (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ product, browser, stop } = await startConsole());
  });

  afterAll(async () => {
    await stop?.();
  });

  it('signs a clerk in and draws the worklist with nothing refused', async () => {
    const { page } = await newSession(browser, product);
    const policy = (await page.goto('/dang-nhap'))?.headers()['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    await signIn(page, 'clerk');
    await shown(page.getByRole('table'));
    expect(contentSecurityRefusals(page)).toEqual([]);
    await page.context().close();
  });

  it('draws the OpenAPI UI with its operations (embedded mode), nothing refused', async () => {
    const { page } = await newSession(browser, product);
    await page.goto('/api/docs');
    await shown(page.getByText('/api/v1/dossiers/{code}', { exact: true }), 15_000);
    expect(contentSecurityRefusals(page)).toEqual([]);
    await page.context().close();
  });
});
