import { type Browser, type Page } from 'playwright-core';
import {
  expectAccessible,
  newSession,
  screenshot,
  shown,
  showsText,
  showsUrl,
  signIn,
  startConsole,
} from '../support/browser';
import { type RunningProduct } from '../support/product';

/**
 * The desk's list of applications submitted online: a clerk receives one (its receipt, a dossier from now on) and
 * refuses another with reasons (form 03), through the screens only; the outcome is read back from the API.
 */
describe('the console: online applications waiting at the desk (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ product, browser, stop } = await startConsole());
  });

  afterAll(async () => {
    await stop?.();
  });

  /** The portal files an application at the province's desk (the scenario's subject, not its test). */
  const submitted = async (name: string, idNumber: string): Promise<string> => {
    const res = await product.request('POST', '/api/v1/submissions', {
      token: await product.token('agency-system'),
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        applicant: { type: 'INDIVIDUAL', idNumber, name },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  const submission = async (id: string) =>
    (await product.request('GET', `/api/v1/submissions/${id}`, { token: await product.token('clerk') })).body;

  /** The clerk on the waiting list, reached from the menu. */
  const onWaitingList = async (): Promise<Page> => {
    const { page } = await newSession(browser, product);
    await signIn(page, 'clerk');
    await page
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Hồ sơ chờ tiếp nhận' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ nộp trực tuyến chờ tiếp nhận' }).waitFor();
    return page;
  };

  it('receives an application from the waiting list: the receipt with its code, and the list no longer has it', async () => {
    const id = await submitted('Lâm Văn Đức', '001203006001');
    const page = await onWaitingList();
    const row = await shown(page.getByRole('row', { name: /Lâm Văn Đức/ }));
    await showsText(row, /2\.000908/);
    await screenshot(page, '40-submissions-waiting');
    await expectAccessible(page, 'submissions waiting list');

    await page.getByRole('button', { name: 'Tiếp nhận hồ sơ của Lâm Văn Đức', exact: true }).click();
    const code = await showsText(page.getByTestId('receipt-code'), /^000\.00\.20\.H36-\d{6}-\d{4}$/, 30_000);
    await screenshot(page, '41-submission-received');
    expect(await submission(id)).toMatchObject({ state: 'RECEIVED', nationalStatus: 2, dossierCode: code });
    const dossier = await product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token('clerk') });
    expect(dossier.body).toMatchObject({ channel: 'ONLINE', applicant: { name: 'Lâm Văn Đức' } });

    await page.getByRole('button', { name: 'Về danh sách chờ tiếp nhận' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hồ sơ nộp trực tuyến chờ tiếp nhận' }).waitFor();
    await shown(page.getByRole('table'));
    await page.getByRole('row', { name: /Lâm Văn Đức/ }).waitFor({ state: 'detached', timeout: 10_000 });
    await page.context().close();
  });

  it('refuses an application only with reasons, then offers its form 03 as PDF', async () => {
    const id = await submitted('Châu Thị Ngọc', '001203006002');
    const page = await onWaitingList();
    await page.getByRole('button', { name: 'Từ chối tiếp nhận hồ sơ của Châu Thị Ngọc' }).click();
    const dialog = page.getByRole('dialog', { name: 'Từ chối tiếp nhận hồ sơ của Châu Thị Ngọc' });
    await dialog.getByRole('button', { name: 'Xác nhận' }).click();
    await shown(dialog.getByText('Vui lòng nêu ít nhất một lý do.'));
    expect((await submission(id)).state).toBe('SUBMITTED');

    await dialog
      .getByLabel('Lý do từ chối tiếp nhận (mỗi dòng một lý do)')
      .fill('Thủ tục không thuộc thẩm quyền của Trung tâm\nTổ chức chưa đủ điều kiện hoạt động');
    await screenshot(page, '42-submission-refusal-dialog');
    await dialog.getByRole('button', { name: 'Xác nhận' }).click();
    await showsText(page.getByRole('status').filter({ hasText: 'Đã từ chối' }), /Châu Thị Ngọc/, 30_000);
    expect(await submission(id)).toMatchObject({
      state: 'REFUSED',
      nationalStatus: 3,
      refusal: {
        reasons: ['Thủ tục không thuộc thẩm quyền của Trung tâm', 'Tổ chức chưa đủ điều kiện hoạt động'],
      },
    });
    // the waiting list is fetched again: the refused application leaves it
    await page.getByRole('row', { name: /Châu Thị Ngọc/ }).waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, '43-submission-refused');
    await expectAccessible(page, 'submission refused');

    // The refusal slip opens in a new tab from a blob (the token never goes into a URL).
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'In phiếu từ chối tiếp nhận (Mẫu 03)' }).click(),
    ]);
    await showsUrl(tab, /^blob:/);
    await page.context().close();
  });
});
