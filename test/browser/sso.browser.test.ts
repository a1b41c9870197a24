import { type Browser, type Page } from 'playwright-core';
import {
  contentSecurityRefusals,
  newSession,
  screenshot,
  seriousAccessibilityViolations,
  shown,
  showsText,
  showsUrl,
  startConsole,
} from '../support/browser';
import { bindOfficerIdentities } from '../../scripts/infra/officer-bindings';
import { type RunningOidcProvider, startOidcProvider } from '../support/oidc-provider';
import { type RunningProduct } from '../support/product';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const ACCOUNTS = [
  {
    username: 'division-head',
    subject: '4b0c7e52-1f9d-4a63-9a51-0d2f6e8c3b17',
    password: 'Hanh@PhongTonGiao1',
    name: 'Đỗ Thị Hạnh',
  },
  {
    username: 'clerk',
    subject: 'a81e3f09-6c2d-4e7b-8f14-95d0b2c7e6a4',
    password: 'Lan@MotCua2',
    name: 'Nguyễn Thị Lan',
  },
];
const password = (username: string): string => ACCOUNTS.find((a) => a.username === username)?.password ?? '';

/** The part of the page's sessionStorage these tests read and write (Node's types have no DOM). */
interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The console's session as the page keeps it (sessionStorage of its tab). */
const storedSession = (page: Page): Promise<{ token: string; sso?: { issuer: string } } | null> =>
  page.evaluate(() => {
    const raw = (
      globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
    ).sessionStorage.getItem('dossier-console.session');
    return raw ? (JSON.parse(raw) as { token: string; sso?: { issuer: string } }) : null;
  });

const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

/**
 * Production sign-in for real: the product in production mode (no demo tokens) trusts a real OpenID provider
 * (`oidc-provider`) on loopback; officers sign in on the provider's own page (authorization code + PKCE through
 * oidc-client-ts) and the API verifies the provider-signed JWT access tokens by its JWKS (found through discovery).
 */
describe('single sign-on with an OpenID provider (browser)', () => {
  let idp: RunningOidcProvider;
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;
  /** The division head's tab, signed in through the provider. */
  let head: Page;

  beforeAll(async () => {
    idp = await startOidcProvider(ACCOUNTS);
    ({ product, browser, stop } = await startConsole({
      DEPLOYMENT_MODE: 'production',
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      // JWKS_URL defaults from the issuer's discovery document (its jwks_uri); the tokens' iss and aud are required.
      JWT_ISSUER: idp.issuer,
      JWT_AUDIENCE: idp.audience,
      LOOKUP_PIN_KEY: Buffer.alloc(32, 9).toString('base64'),
    }));
    // The operator binds the officers to their accounts at the provider (npm run officers:bind).
    await bindOfficerIdentities(
      product.config.DATABASE_URL,
      idp.issuer,
      ACCOUNTS.map((a) => ({ username: a.username, subject: a.subject })),
    );
    await idp.serveConsole(product.baseUrl);
  });

  afterAll(async () => {
    await stop?.();
    await idp?.stop();
  });

  /** From the console's sign-in page through the provider's login page, back to the officer's home. */
  const signInWithSso = async (page: Page, username: string, shot?: string): Promise<void> => {
    await page.goto('/dang-nhap');
    await (await shown(page.getByRole('button', { name: 'Đăng nhập một lần (SSO)' }))).click();
    await showsUrl(page, new RegExp(`^${escapeRegExp(idp.issuer)}/interaction/`));
    await page.getByRole('heading', { name: 'Cổng xác thực — Đăng nhập' }).waitFor();
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(password(username));
    if (shot) {
      await screenshot(page, shot);
    }
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    // the officer's home: heads land on their dashboard, everyone else on their worklist
    await page
      .getByRole('heading', { level: 1, name: /^(Hồ sơ cần xử lý|Bảng điều khiển)$/ })
      .waitFor({ timeout: 15_000 });
  };

  it('offers single sign-on, and no demo officers, in production', async () => {
    const options = await product.request('GET', '/api/v1/auth/options');
    expect(options.body).toEqual({
      mode: 'production',
      demoOfficers: [],
      oidc: { issuer: idp.issuer, clientId: idp.clientId, scopes: 'openid profile' },
    });
    const { page } = await newSession(browser, product);
    await page.goto('/dang-nhap');
    await page.getByRole('heading', { name: 'Hệ thống một cửa — Đăng nhập' }).waitFor();
    const sso = await shown(page.getByRole('button', { name: 'Đăng nhập một lần (SSO)' }));
    expect(await sso.isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: /^Đăng nhập:/ }).count()).toBe(0);
    await screenshot(page, 'sso-01-sign-in');
    const violations = await seriousAccessibilityViolations(page);
    expect({ screen: 'sign-in (production)', violations }).toEqual({ screen: 'sign-in (production)', violations: [] });
    await page.context().close();
  });

  it("signs the division head in on the provider's page and calls the API with the provider's token", async () => {
    ({ page: head } = await newSession(browser, product));
    await head.goto('/dang-nhap');
    await (await shown(head.getByRole('button', { name: 'Đăng nhập một lần (SSO)' }))).click();
    await showsUrl(head, new RegExp(`^${escapeRegExp(idp.issuer)}/interaction/`));
    await head.getByRole('heading', { name: 'Cổng xác thực — Đăng nhập' }).waitFor();
    // The provider checks the password: a wrong one is refused on its page.
    await head.getByLabel('Tên đăng nhập').fill('division-head');
    await head.getByLabel('Mật khẩu').fill('wrong-password');
    await head.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await showsText(head.getByRole('alert'), /Tên đăng nhập hoặc mật khẩu không đúng/);
    await head.getByLabel('Mật khẩu').fill(password('division-head'));
    await screenshot(head, 'sso-02-provider-login');

    const me = head.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me'), { timeout: 20_000 });
    await head.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    // a head going nowhere in particular lands on the dashboard of their division
    await head.getByRole('heading', { name: 'Bảng điều khiển', level: 1 }).waitFor({ timeout: 15_000 });
    await showsUrl(head, new RegExp(`^${escapeRegExp(product.baseUrl)}/bang-dieu-khien$`));
    await showsText(head.getByRole('group', { name: 'Cán bộ đang đăng nhập' }), /Đỗ Thị Hạnh/);
    await shown(head.getByRole('region', { name: 'Số liệu chính' }));
    await screenshot(head, 'sso-03-dashboard');

    // The console called the API with the provider's access token, and the API took it.
    const answer = await me;
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toMatchObject({ username: 'division-head', fullName: 'Đỗ Thị Hạnh' });
    const authorization = await answer.request().headerValue('authorization');
    const stored = await storedSession(head);
    expect(authorization).toBe(`Bearer ${stored?.token}`);
    expect(claimsOf(stored?.token ?? '')).toMatchObject({
      iss: idp.issuer,
      aud: idp.audience,
      sub: ACCOUNTS[0].subject,
      exp: expect.any(Number),
    });
    expect(head.url()).not.toMatch(/token|code=|ey[A-Za-z0-9_-]{10,}/);
    // The console reached the provider (discovery, code exchange) under the API's Content-Security-Policy.
    expect(contentSecurityRefusals(head)).toEqual([]);
    const direct = await product.request('GET', '/api/v1/dossiers?assignedTo=me', { token: stored?.token });
    expect(direct.status).toBe(200);
  });

  it("shows 'not found, or not yours to see' on a dossier outside the division head's subtree", async () => {
    // The desk clerk signs in through the provider too, and receives a dossier at the centre with that token.
    const { page: clerk } = await newSession(browser, product);
    await signInWithSso(clerk, 'clerk');
    const clerkToken = (await storedSession(clerk))?.token;
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: clerkToken,
      headers: { 'Idempotency-Key': 'sso-browser-test-intake-1' },
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203009999', name: 'Trần Thị Bích' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    const code = received.body.code as string;
    await clerk.context().close();

    await head.goto(`/ho-so/${code}`);
    // The API answers as for a code no dossier has: nothing tells the head it exists, nor which units it went through.
    const alert = await shown(head.getByRole('alert').filter({ hasText: 'quyền' }), 15_000);
    expect(await alert.innerText()).toMatch(/Không tìm thấy hồ sơ này, hoặc bạn không có quyền xem/);
    expect(await alert.innerText()).toContain(`No dossier has the code ${code}.`);
    // The console's frame stays: the officer, the menu, sign-out.
    await shown(head.getByRole('group', { name: 'Cán bộ đang đăng nhập' }));
    await shown(head.getByRole('button', { name: 'Đăng xuất' }));
    await screenshot(head, 'sso-04-refused');
    const headToken = (await storedSession(head))?.token;
    expect((await product.request('GET', `/api/v1/dossiers/${code}`, { token: headToken })).status).toBe(404);
  });

  it("signs out of the console and of the provider's session", async () => {
    await head.goto('/');
    await head.getByRole('button', { name: 'Đăng xuất' }).click();
    await showsUrl(head, new RegExp(`^${escapeRegExp(idp.issuer)}/session/end`), 15_000);
    await screenshot(head, 'sso-05-provider-sign-out');
    await head.getByRole('button', { name: 'Đăng xuất khỏi cổng xác thực' }).click();
    await showsUrl(head, new RegExp(`^${escapeRegExp(product.baseUrl)}/dang-nhap`), 15_000);
    await shown(head.getByRole('button', { name: 'Đăng nhập một lần (SSO)' }));
    expect(await storedSession(head)).toBeNull();
    await screenshot(head, 'sso-06-signed-out');
    // The provider's session ended too: signing in again asks for the password.
    await head.getByRole('button', { name: 'Đăng nhập một lần (SSO)' }).click();
    await head.getByRole('heading', { name: 'Cổng xác thực — Đăng nhập' }).waitFor();
    await head.context().close();
  });

  it('sends the officer back to sign in when the API refuses the token (401)', async () => {
    const { page } = await newSession(browser, product);
    await signInWithSso(page, 'division-head');
    // The provider's token as the API would see it once revoked or tampered with.
    await page.evaluate(() => {
      const storage = (globalThis as unknown as { sessionStorage: WebStorage }).sessionStorage;
      const stored = JSON.parse(storage.getItem('dossier-console.session') ?? '{}') as { token: string };
      storage.setItem('dossier-console.session', JSON.stringify({ ...stored, token: `${stored.token}x` }));
    });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Hệ thống một cửa — Đăng nhập' }).waitFor({ timeout: 15_000 });
    await shown(page.getByText('Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.'));
    await screenshot(page, 'sso-07-expired');
    await page.context().close();
  });
});
