import { type Browser, type Locator, type Page } from 'playwright-core';
import {
  newSession,
  screenshot,
  expectAccessible,
  actionOutcome,
  shown,
  showsText,
  showsUrl,
  signIn,
  startConsole,
} from '../support/browser';
import { eventually } from '../support/infrastructure';
import { type RunningProduct } from '../support/product';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The officers' console in Debian's chromium against the product as `npm start` runs it: every scenario goes through
 * the screens only; the API is used only to show that the same refusals hold there too.
 */
describe('the console: desk, worklists and the dossier (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;
  /** The dossier of example A the walk takes from intake to the returned result. */
  let walked: { code: string; pin: string };

  beforeAll(async () => {
    // A low limit per dossier, so the citizen's page can be shown explaining it.
    ({ product, browser, stop } = await startConsole({ PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR: '5' }));
  });

  afterAll(async () => {
    await stop?.();
  });

  /** A complete dossier of example A received at the desk through the API (the scenario's subject, not its test). */
  const receivedAtTheDesk = async (name: string, idNumber: string, channel: string): Promise<string> => {
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: await product.token('clerk'),
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel,
        applicant: { type: 'INDIVIDUAL', idNumber, name },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    return received.body.code as string;
  };

  /** A browser signed in as `username`, on their worklist. */
  const officer = async (username: string): Promise<Page> => {
    const { page } = await newSession(browser, product);
    await signIn(page, username);
    return page;
  };

  /** Opens a dossier from the worklist: from "Của tôi", or claiming it from "Chờ nhận" first. */
  const openFromWorklist = async (page: Page, code: string, claim: boolean): Promise<void> => {
    await page.goto('/');
    if (claim) {
      await page.getByRole('tab', { name: 'Chờ nhận' }).click();
      const row = page.getByRole('row', { name: new RegExp(code) });
      await row.getByRole('button', { name: 'Nhận xử lý' }).click();
      await shown(page.getByRole('status').filter({ hasText: `Đã nhận xử lý hồ sơ ${code}` }));
      await page.getByRole('tab', { name: 'Của tôi' }).click();
    }
    await page
      .getByRole('row', { name: new RegExp(code) })
      .getByRole('link', { name: code })
      .click();
    await page.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
  };

  /** The action button of the region "Thao tác", its dialog filled by `fill`, confirmed. */
  const act = async (page: Page, action: string, fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>) => {
    await page.getByRole('region', { name: 'Thao tác' }).getByRole('button', { name: action, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: action });
    await fill?.(dialog);
    await dialog.getByRole('button', { name: 'Xác nhận' }).click();
  };

  const completeStep = async (page: Page, assignee?: string): Promise<void> => {
    await act(page, 'Hoàn thành bước', async (dialog) => {
      if (assignee) {
        // A searchable select, as a keyboard user works it: type the name, Enter takes the one match.
        const picker = dialog.getByRole('combobox', { name: 'Cán bộ nhận bước tiếp theo (không bắt buộc)' });
        await picker.click();
        await picker.fill(assignee);
        await shown(page.locator('.ant-select-item-option', { hasText: assignee }));
        await picker.press('Enter');
        await shown(dialog.getByTitle(new RegExp(assignee)));
      }
    });
    await actionOutcome(page);
  };

  it('signs a desk clerk in from the list of demo officers', async () => {
    const { page } = await newSession(browser, product);
    await page.goto('/dang-nhap');
    await page.getByRole('heading', { name: 'Hệ thống một cửa — Đăng nhập' }).waitFor();
    await shown(page.getByRole('button', { name: '(clerk)' }));
    await screenshot(page, '01-sign-in');
    await expectAccessible(page, 'sign-in');
    await page.getByRole('button', { name: '(clerk)' }).click();
    await page.getByRole('heading', { name: 'Hồ sơ cần xử lý' }).waitFor();
    // The token lives in session storage, never in the address bar.
    expect(page.url()).not.toMatch(/token|ey[A-Za-z0-9_-]{10,}/);
    await page.context().close();
  });

  it('receives example A: the missing paper is named with the guidance, then the receipt shows code and PIN', async () => {
    const page = await officer('clerk');
    await page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Tiếp nhận hồ sơ' }).waitFor();
    const procedure = page.getByRole('combobox', { name: 'Thủ tục hành chính' });
    await procedure.fill('2.000908');
    await procedure.press('Enter');
    await page.getByLabel('Số định danh cá nhân', { exact: true }).fill('001203004567');
    await page.getByLabel('Họ và tên / Tên tổ chức').fill('Nguyễn Văn An');
    const checklist = page.getByRole('table', { name: 'Thành phần hồ sơ' });
    await checklist.getByRole('checkbox', { name: /Văn bản đề nghị thay đổi trụ sở/ }).check();
    await shown(page.getByText(/Hẹn trả kết quả|hẹn trả kết quả/).first());
    await screenshot(page, '02-intake');
    await expectAccessible(page, 'intake');
    // Its name may still carry the spinner's label while the spinner fades out after an answer.
    const submit = page.getByRole('button', { name: /Tiếp nhận hồ sơ$/ });
    await submit.click();
    await shown(page.getByText('Hồ sơ chưa đủ — hướng dẫn bổ sung (mẫu 02)'));
    await shown(page.getByText(/Còn thiếu/).first());
    await screenshot(page, '03-intake-guidance');
    await checklist.getByRole('checkbox', { name: /Giấy tờ chứng minh tính hợp pháp/ }).check();
    await submit.click();
    await shown(page.getByRole('status').filter({ hasText: 'Đã tiếp nhận hồ sơ' }));
    const code = (await page.getByTestId('receipt-code').innerText()).trim();
    const pin = (await page.getByTestId('receipt-pin').innerText()).trim();
    expect(code).toMatch(/^000\.00\.20\.H36-\d{6}-\d{4}$/);
    expect(pin).toMatch(/^\d{6}$/);
    await screenshot(page, '04-receipt');
    // Printable: the receipt's PDF opens in a new tab (from a blob: the token never goes into a URL).
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByRole('button', { name: 'In giấy tiếp nhận (PDF)' }).click(),
    ]);
    await showsUrl(tab, /^blob:/);
    walked = { code, pin };
    await page.context().close();
  });

  it('receives a dossier with the keyboard alone', async () => {
    const page = await officer('clerk');
    await page.goto('/tiep-nhan');
    await page.getByRole('heading', { name: 'Tiếp nhận hồ sơ' }).waitFor();
    /** Presses Tab until `target` has the focus, as a keyboard user moves through the form. */
    const tabTo = async (target: Locator): Promise<void> => {
      for (let presses = 0; presses < 80; presses++) {
        if (
          await target.evaluate(
            (el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
          )
        ) {
          return;
        }
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${target.toString()}`);
    };
    await tabTo(page.getByRole('combobox', { name: 'Thủ tục hành chính' }));
    await page.keyboard.type('2.000908');
    await shown(page.locator('.ant-select-item-option', { hasText: '2.000908' }));
    await page.keyboard.press('Enter');
    await tabTo(page.getByLabel('Số định danh cá nhân', { exact: true }));
    await page.keyboard.type('001203007777');
    await tabTo(page.getByLabel('Họ và tên / Tên tổ chức'));
    await page.keyboard.type('Phan Thị Dung');
    const checklist = page.getByRole('table', { name: 'Thành phần hồ sơ' });
    await tabTo(checklist.getByRole('checkbox', { name: /Văn bản đề nghị thay đổi trụ sở/ }));
    await page.keyboard.press('Space');
    await tabTo(checklist.getByRole('checkbox', { name: /Giấy tờ chứng minh tính hợp pháp/ }));
    await page.keyboard.press('Space');
    await tabTo(page.getByRole('button', { name: /Tiếp nhận hồ sơ$/ }));
    await page.keyboard.press('Enter');
    await shown(page.getByRole('status').filter({ hasText: 'Đã tiếp nhận hồ sơ' }));
    expect(await page.getByTestId('receipt-code').innerText()).toMatch(/^000\.00\.20\.H36-\d{6}-\d{4}$/);
    await page.context().close();
  });

  it('walks example A through every officer from their worklist until the clerk returns the result', async () => {
    const { code } = walked;
    const clerk = await officer('clerk');
    await openFromWorklist(clerk, code, false);
    await screenshot(clerk, '05-dossier-desk-step');
    await expectAccessible(clerk, 'dossier page');
    await completeStep(clerk);
    await clerk.context().close();

    const steps: [string, boolean, string?][] = [
      ['head', true],
      ['dept-leader', true, 'Đỗ Thị Hạnh'],
      ['division-head', false, 'Lê Minh Châu'],
      ['specialist', false],
      ['division-head', true],
      ['dept-leader', true],
      ['ppc-leader', true],
      ['dept-clerk', true],
    ];
    for (const [username, claim, assignee] of steps) {
      const page = await officer(username);
      await openFromWorklist(page, code, claim);
      await completeStep(page, assignee);
      await page.context().close();
    }
  });

  it('offers no action to an officer who does not hold the step, and the API refuses it too', async () => {
    const { code } = walked;
    const specialist = await officer('specialist');
    await specialist.goto(`/ho-so/${code}`);
    await shown(specialist.getByText('Bạn không có thao tác nào với hồ sơ này lúc này.'));
    await specialist.context().close();
    const refused = await product.request('POST', `/api/v1/dossiers/${code}/actions/complete`, {
      token: await product.token('specialist'),
      body: {},
    });
    // The dossier waits for its result to be returned: completing a processing step is refused.
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('INVALID_STATE');
  });

  it('lets one of two desk clerks racing to claim the return step win; the other sees why and who holds it', async () => {
    const { code } = walked;
    const first = await officer('clerk');
    const second = await officer('clerk2');
    for (const page of [first, second]) {
      await page.goto(`/ho-so/${code}`);
      await shown(page.getByRole('region', { name: 'Thao tác' }).getByRole('button', { name: 'Nhận xử lý' }));
    }
    await Promise.all([act(first, 'Nhận xử lý'), act(second, 'Nhận xử lý')]);
    // Each page ends with either the success status or the refusal alert.
    const outcome = (page: Page): Promise<boolean> =>
      Promise.race([
        page
          .getByRole('status')
          .filter({ hasText: 'đã thực hiện' })
          .waitFor({ timeout: 30_000 })
          .then(() => true),
        page
          .getByRole('alert')
          .filter({ hasText: 'Không thực hiện được' })
          .waitFor({ timeout: 30_000 })
          .then(() => false),
      ]);
    const [firstWon, secondWon] = await Promise.all([outcome(first), outcome(second)]);
    expect(firstWon !== secondWon).toBe(true);
    const [winner, loser, winnerName] = firstWon ? [first, second, 'Nguyễn Thị Lan'] : [second, first, 'Vũ Thị Ngọc'];
    await shown(loser.getByRole('alert').filter({ hasText: 'Không thực hiện được' }));
    // The loser's page, refetched, names the winner as the holder of the return step.
    await showsText(
      loser
        .getByRole('region', { name: 'Phiếu kiểm soát quá trình giải quyết (mẫu 06)' })
        .locator('[data-step-no="10"]'),
      new RegExp(`Người xử lý[\\s\\S]*${winnerName}`),
    );
    await screenshot(loser, '06-claim-race-lost');
    // The same refusal through the API: the step is held.
    const again = await product.request('POST', `/api/v1/dossiers/${code}/actions/claim`, {
      token: await product.token(firstWon ? 'clerk2' : 'clerk'),
      body: {},
    });
    expect(again.status).toBe(409);
    expect(again.body.rule).toBe('INVALID_STATE');

    await act(winner, 'Trả kết quả');
    await actionOutcome(winner);
    const sheet = winner.getByRole('region', { name: 'Phiếu kiểm soát quá trình giải quyết (mẫu 06)' });
    await shown(sheet.locator('[data-step-no="10"]'));
    const marks = await sheet.locator('[data-step-no]').allInnerTexts();
    expect(marks).toHaveLength(10);
    // Nine counted steps judged early / on time / late; the return step is outside the statutory time.
    marks.slice(0, 9).forEach((mark) => expect(mark).toMatch(/Sớm hạn|Đúng hạn|Quá hạn/));
    expect(marks[9]).toMatch(/Không tính thời gian[\s\S]*Đã trả kết quả/);
    await screenshot(winner, '07-dossier-returned');
    await first.context().close();
    await second.context().close();
  });

  it('pauses the clock on a supplement request, and the ledger says since when and why', async () => {
    const code = await receivedAtTheDesk('Trần Thị Bích', '001203009876', 'IN_PERSON');
    const clerk = await officer('clerk');
    await openFromWorklist(clerk, code, false);
    await act(clerk, 'Yêu cầu bổ sung', async (dialog) => {
      await dialog.getByLabel('Giấy tờ cần bổ sung 1').fill('Bản sao giấy chứng nhận quyền sử dụng đất có chứng thực');
      await dialog.getByLabel('Lý do').fill('Giấy tờ địa điểm chưa có chứng thực');
    });
    await actionOutcome(clerk);
    const summary = clerk.getByTestId('ledger-summary');
    const sentence = await showsText(summary, /tạm dừng từ \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(sentence).toMatch(/bổ sung/);
    await screenshot(clerk, '08-dossier-paused-for-supplement');
    await clerk.context().close();
  });

  it('updates a worklist within 2 seconds when someone else hands a dossier on, and rings the bell', async () => {
    const clerkToken = await product.token('clerk');
    const code = await receivedAtTheDesk('Lê Văn Cường', '001203001111', 'ONLINE');
    const head = await officer('head');
    // a head lands on the dashboard; the worklist is one menu entry away
    await head
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Hồ sơ cần xử lý' })
      .click();
    await head.getByRole('tab', { name: 'Chờ nhận' }).click();
    await screenshot(head, '09-worklist-claimable-empty');
    await expectAccessible(head, 'worklist');
    expect(await head.getByRole('row', { name: new RegExp(code) }).count()).toBe(0);
    // The clerk, elsewhere, completes the desk step (once the workflow has started it).
    await eventually(
      async () =>
        (await product.request('POST', `/api/v1/dossiers/${code}/actions/complete`, { token: clerkToken, body: {} }))
          .status === 200
          ? true
          : undefined,
      'the clerk to complete the desk step',
    );
    await shown(head.getByRole('row', { name: new RegExp(code) }), 2_000);
    await screenshot(head, '09-worklist-live-row');
    await head.getByRole('button', { name: 'Thông báo', exact: true }).click();
    const notices = head.getByRole('dialog', { name: 'Thông báo' });
    await shown(notices.getByRole('button', { name: new RegExp(code) }).first());
    await screenshot(head, '10-notifications');
    await expectAccessible(head, 'notifications');
    await notices
      .getByRole('button', { name: new RegExp(code) })
      .first()
      .click();
    await head.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
    await head.context().close();
  });

  it('lets a citizen look the dossier up with the PIN on a phone, and answers a wrong PIN as an unknown code', async () => {
    const { code, pin } = walked;
    const { page } = await newSession(browser, product, { viewport: { width: 360, height: 740 }, isMobile: true });
    /** One lookup, answered before the next: a PIN's check takes a moment (it is stored as a slow hash). */
    const lookup = async (c: string, p: string): Promise<void> => {
      await page.getByLabel('Mã hồ sơ').fill(c);
      await page.getByLabel('Mã tra cứu (PIN)').fill(p);
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/lookup') && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Tra cứu' }).click(),
      ]);
    };
    await page.goto('/tra-cuu');
    await page.getByRole('heading', { name: 'Tra cứu hồ sơ' }).waitFor();
    await lookup(code, pin);
    const status = page.getByRole('region', { name: 'Tình trạng hồ sơ' });
    await shown(status);
    const answer = await status.innerText();
    expect(answer).not.toContain('Nguyễn Văn An');
    expect(answer).not.toContain('001203004567');
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document;
      return root.documentElement.scrollWidth;
    });
    expect(overflow).toBeLessThanOrEqual(360);
    await screenshot(page, '11-citizen-lookup-phone');
    await expectAccessible(page, 'citizen lookup');
    await lookup(code, pin === '000000' ? '111111' : '000000');
    const wrong = await page.getByRole('alert').innerText();
    await lookup('000.00.20.H36-200101-9999', pin);
    await showsText(page.getByRole('alert'), new RegExp(escapeRegExp(wrong)));
    expect(wrong).toContain('Không tìm thấy hồ sơ');
    // Two lookups of this code so far; the fifth is the last the limit allows, the sixth is explained.
    for (let i = 0; i < 4; i++) {
      await lookup(code, pin);
    }
    await showsText(page.getByRole('alert'), /Bạn đã tra cứu quá nhiều lần\. Vui lòng thử lại sau \d+/);
    await screenshot(page, '12-citizen-lookup-rate-limited');
    await page.context().close();
  });

  it('shows on the dossier page the citizen’s rating the desk recorded once the result was returned', async () => {
    const { code } = walked;
    const recorded = await product.request('POST', `/api/v1/dossiers/${code}/rating`, {
      token: await product.token('clerk'),
      body: { rating: 'ACCEPTABLE', comment: 'Thời gian chờ hơi lâu' },
    });
    expect(recorded.status).toBe(201);
    const page = await officer('head');
    await page.goto(`/ho-so/${code}`);
    const panel = page.getByRole('region', { name: 'Ý kiến của công dân' });
    await shown(panel);
    await showsText(panel, /Chấp nhận được/);
    await showsText(panel, /bộ phận một cửa ghi nhận \(Nguyễn Thị Lan\)/);
    await showsText(panel, /Thời gian chờ hơi lâu/);
    await expectAccessible(page, 'citizen rating');
    await screenshot(page, '13-dossier-rating');
    await page.context().close();
  });

  it('lets the desk issue the citizen a new PIN from the dossier page, shown once and printed on the receipt', async () => {
    const { code, pin } = walked;
    const page = await officer('clerk');
    await page.goto(`/ho-so/${code}`);
    const panel = page.getByRole('region', { name: 'Tra cứu của công dân' });
    await shown(panel);
    // The PIN is stored hashed: the dossier page never shows the one issued at intake.
    expect(await page.locator('body').innerText()).not.toContain(pin);
    await panel.getByRole('button', { name: 'Cấp lại mã tra cứu (PIN)' }).click();
    await page.getByRole('button', { name: 'Cấp mã mới' }).click();
    const issued = panel.getByTestId('new-pin');
    await shown(issued);
    const fresh = (await issued.innerText()).trim();
    expect(fresh).toMatch(/^\d{6}$/);
    await expectAccessible(page, 'new lookup PIN');
    // The receipt prints only with the dossier's current PIN: it opening proves the new one is in force.
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      panel.getByRole('button', { name: 'In giấy tiếp nhận có mã mới (PDF)' }).click(),
    ]);
    await showsUrl(tab, /^blob:/);
    await page.context().close();
  });
});
