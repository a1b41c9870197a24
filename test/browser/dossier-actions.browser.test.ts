import { type Browser, type Locator, type Page } from 'playwright-core';
import { actionOutcome, newSession, screenshot, shown, showsText, signIn, startConsole } from '../support/browser';
import { eventually } from '../support/infrastructure';
import { type RunningProduct } from '../support/product';

/**
 * The dossier page's other actions, each through its dialog and the inputs it needs: sending back, the extension
 * with its new return time, a payment asked for and recorded, a refusal with reasons, a withdrawal. The outcome is
 * read back from the API, which the console only asks.
 */
describe('the console: the actions of the dossier page (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ product, browser, stop } = await startConsole());
  });

  afterAll(async () => {
    await stop?.();
  });

  /** Example A received at the desk through the API, its workflow started (the clerk holds the desk step). */
  const received = async (name: string): Promise<string> => {
    const token = await product.token('clerk');
    const res = await product.request('POST', '/api/v1/dossiers', {
      token,
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203005555', name },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    const code = res.body.code as string;
    await eventually(
      async () =>
        (await product.request('GET', `/api/v1/dossiers/${code}`, { token })).body.state === 'IN_PROGRESS'
          ? true
          : undefined,
      'the workflow to start',
    );
    return code;
  };

  /** An action taken through the API (the steps before the one the test shows in the console). */
  const actAs = async (username: string, code: string, action: string, body: object = {}): Promise<void> => {
    const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, {
      token: await product.token(username),
      body,
    });
    expect({ username, action, status: res.status }).toEqual({ username, action, status: 200 });
  };

  /** The desk's steps done: the department's leader may claim S03 (the department handles example A). */
  const atDepartment = async (code: string): Promise<void> => {
    await actAs('clerk', code, 'complete');
    await actAs('head', code, 'claim');
    await actAs('head', code, 'complete');
  };

  const dossier = async (code: string) =>
    (await product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token('admin') })).body;

  /** `username` on the dossier's page. */
  const onDossier = async (username: string, code: string): Promise<Page> => {
    const { page } = await newSession(browser, product);
    await signIn(page, username);
    await page.goto(`/ho-so/${code}`);
    await page.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
    return page;
  };

  /** Opens the action's dialog, fills it, confirms, and waits for the success status. */
  const act = async (page: Page, action: string, fill: (dialog: Locator) => Promise<void>): Promise<void> => {
    await page.getByRole('region', { name: 'Thao tác' }).getByRole('button', { name: action, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: action });
    await fill(dialog);
    await dialog.getByRole('button', { name: 'Xác nhận' }).click();
    await actionOutcome(page);
  };

  it('sends a dossier back to the desk with a reason', async () => {
    const code = await received('Đặng Văn Hải');
    const clerk = await onDossier('clerk', code);
    await act(clerk, 'Hoàn thành bước', () => Promise.resolve());
    await clerk.context().close();
    const head = await onDossier('head', code);
    await act(head, 'Nhận xử lý', () => Promise.resolve());
    await act(head, 'Trả lại bước trước', async (dialog) => {
      const target = dialog.getByRole('combobox', { name: 'Trả về bước' });
      await target.click();
      await head.keyboard.press('Enter');
      await dialog.getByLabel('Lý do').fill('Thiếu chữ ký trên văn bản đề nghị');
    });
    await screenshot(head, '20-dossier-sent-back');
    await head.context().close();
    const view = await dossier(code);
    expect(view.currentStep).toMatchObject({ code: 'S01' });
    expect(view.steps.map((s: { code: string }) => s.code)).toEqual(['S01', 'S02', 'S01']);
  });

  it('sets a new return time once, signed by the handling agency’s leader, showing it before it is confirmed', async () => {
    const code = await received('Hồ Thị Kim');
    await atDepartment(code);
    const leader = await onDossier('dept-leader', code);
    await leader
      .getByRole('region', { name: 'Thao tác' })
      .getByRole('button', { name: 'Gia hạn', exact: true })
      .click();
    const dialog = leader.getByRole('dialog', { name: 'Gia hạn' });
    await dialog.getByLabel('Số ngày làm việc gia hạn').fill('5');
    await showsText(dialog, /Hạn trả mới dự kiến[\s\S]*\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    await dialog.getByLabel('Lý do').fill('Cần xác minh thực địa địa điểm dự kiến đặt trụ sở');
    await screenshot(leader, '21-extension-dialog');
    await dialog.getByRole('button', { name: 'Xác nhận' }).click();
    await actionOutcome(leader);
    const view = await dossier(code);
    expect(view.deadline.extended).toBe(true);
    expect(Date.parse(view.dueAt)).toBeGreaterThan(Date.parse(view.promisedAt));
    // Once only: the action is no longer offered.
    await shown(leader.getByRole('region', { name: 'Thao tác' }));
    expect(
      await leader
        .getByRole('region', { name: 'Thao tác' })
        .getByRole('button', { name: 'Gia hạn', exact: true })
        .count(),
    ).toBe(0);
    await leader.context().close();
  });

  it('asks for a fee, pauses the clock, and resumes it when the desk records the payment', async () => {
    const code = await received('Cao Minh Tuấn');
    const clerk = await onDossier('clerk', code);
    await act(clerk, 'Yêu cầu nộp phí, lệ phí', async (dialog) => {
      await dialog.getByLabel('Số tiền (đồng)').fill('100000');
      await dialog.getByLabel('Lý do').fill('Lệ phí thẩm định');
    });
    expect((await dossier(code)).state).toBe('AWAITING_PAYMENT');
    await act(clerk, 'Ghi nhận thanh toán', async (dialog) => {
      await dialog.getByLabel('Số tiền (đồng)').fill('100000');
      await dialog.getByLabel('Số chứng từ / mã giao dịch').fill('BL-000123');
    });
    // The fee's receipt on the page: paid at the desk, in cash, under the desk's generated receipt number of the
    // year, beside the number the clerk typed.
    const fees = clerk.getByRole('region', { name: 'Phí, lệ phí' });
    await fees.getByText('Tại bộ phận một cửa (tiền mặt)').waitFor();
    await fees.getByText('Đã thanh toán').waitFor();
    await fees.getByText(/^000\.00\.20\.H36-BL\d{4}-\d{6} · BL-000123$/).waitFor();
    await screenshot(clerk, '22-payment-recorded');
    await clerk.context().close();
    const view = await dossier(code);
    expect(view.state).toBe('IN_PROGRESS');
    expect(view.pausedSince).toBeNull();
  });

  it('refuses a dossier on the merits, by the competent leader, with every reason written down', async () => {
    const code = await received('Lý Thị Thu');
    await atDepartment(code);
    await actAs('dept-leader', code, 'claim');
    const leader = await onDossier('dept-leader', code);
    await act(leader, 'Từ chối giải quyết', async (dialog) => {
      await dialog.getByRole('textbox', { name: 'Lý do 1' }).fill('Địa điểm không thuộc quyền sử dụng hợp pháp');
      await dialog.getByRole('button', { name: 'Thêm lý do' }).click();
      await dialog.getByRole('textbox', { name: 'Lý do 2' }).fill('Thiếu văn bản đồng ý của tổ chức tôn giáo');
    });
    await leader.context().close();
    const view = await dossier(code);
    expect(view.outcome).toBe('REFUSED');
    expect(view.history.at(-1)).toMatchObject({ type: expect.stringMatching(/REFUS/) });
  });

  it('records a withdrawal at the desk, and then offers nothing more than the law allows', async () => {
    const code = await received('Mạc Văn Long');
    const clerk = await onDossier('clerk', code);
    await act(clerk, 'Rút hồ sơ', async (dialog) => {
      await dialog.getByLabel('Lý do').fill('Người nộp đề nghị rút hồ sơ');
    });
    await shown(clerk.getByText('Bạn không có thao tác nào với hồ sơ này lúc này.'));
    await screenshot(clerk, '23-withdrawn');
    await clerk.context().close();
    expect((await dossier(code)).state).toBe('WITHDRAWN');
  });

  it('keeps the dossier and an open dialog on screen when a refresh fails, says so, and the action still goes through', async () => {
    const code = await received('Tạ Thị Mai');
    const clerk = await onDossier('clerk', code);
    await clerk.getByRole('region', { name: 'Thao tác' }).getByRole('button', { name: 'Hoàn thành bước' }).click();
    const dialog = clerk.getByRole('dialog', { name: 'Hoàn thành bước' });
    await shown(dialog);
    // The API stops answering this dossier for a while (a proxy restarting, a network blip).
    const failing = (url: URL) => url.pathname === `/api/v1/dossiers/${code}`;
    await clerk.route(failing, (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: '{"status":503,"code":"UNAVAILABLE"}',
      }),
    );
    // Once the data is stale (5 s), coming back to the tab refreshes it: the refresh fails, retried, then given up.
    await clerk.waitForTimeout(5_500);
    await clerk.evaluate(() => {
      // Runs in the page: the tab became visible again (react-query listens on the window).
      (globalThis as unknown as EventTarget).dispatchEvent(new Event('visibilitychange'));
    });
    await shown(clerk.getByRole('status').filter({ hasText: 'Chưa tải lại được hồ sơ' }), 20_000);
    // Nothing the clerk had open was lost.
    await shown(dialog);
    await shown(clerk.getByRole('heading', { name: `Hồ sơ ${code}` }));
    await screenshot(clerk, '24-dossier-refresh-failed');
    await clerk.unroute(failing);
    await dialog.getByRole('button', { name: 'Xác nhận' }).click();
    await actionOutcome(clerk);
    // The next refresh succeeded: the warning is gone.
    await eventually(
      async () =>
        (await clerk.getByRole('status').filter({ hasText: 'Chưa tải lại được hồ sơ' }).count()) === 0
          ? true
          : undefined,
      'the warning to go',
    );
    await clerk.context().close();
    expect((await dossier(code)).currentStep).toMatchObject({ code: 'S02' });
  });
});
