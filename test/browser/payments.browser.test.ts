import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import {
  actionOutcome,
  expectAccessible,
  newSession,
  screenshot,
  shown,
  showsText,
  signIn,
  startConsole,
} from '../support/browser';
import { EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { fakeGateway, type FakeGateway } from '../support/fake-gateway';
import { eventually } from '../support/infrastructure';
import { type RunningProduct } from '../support/product';

/** 2.000815 (certified copies, commune desk): one fee of 2,000 đồng in its schedule. */
const COMMUNE = '000.31.01.H36';
const FEE = 'Phí chứng thực bản sao';
const IPN_PATH = '/public/v1/payments/gateway/ipn';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Fees and results in the console: the desk's payment form filled with the open fee, the payments the gateway took
 * that are due back to citizens, and a returned result replaced only by explicitly superseding it. Each is done from
 * the UI and read back from the API.
 */
describe('the console: fees owed, refunds due and superseded results (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;
  let gateway: FakeGateway;

  beforeAll(async () => {
    gateway = await fakeGateway();
    ({ product, browser, stop } = await startConsole({
      PAYMENT_GATEWAY_URL: gateway.payUrl,
      PAYMENT_TMN_CODE: gateway.tmnCode,
      PAYMENT_HASH_SECRET: gateway.secret,
      // The citizen's browser is never sent back in these tests: the notification is what counts.
      PAYMENT_RETURN_URL: 'http://127.0.0.1:9/public/v1/payments/gateway/return',
    }));
    gateway.ipnUrl = `${product.baseUrl}${IPN_PATH}`;
  });

  afterAll(async () => {
    await stop?.();
    await new Promise((resolve) => gateway?.server.close(resolve));
  });

  const api = async (username: string, method: string, path: string, body?: unknown) =>
    product.request(method, path, { token: await product.token(username), body });

  /** A 2.000815 dossier received at the commune desk (its clerk holds T1), its fee asked for; its code and PIN. */
  const owingFee = async (name: string): Promise<{ code: string; pin: string }> => {
    const received = await api('commune-clerk', 'POST', '/api/v1/dossiers', {
      procedureCode: '2.000815',
      receivingUnitCode: COMMUNE,
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name },
      documents: [{ code: 'BAN-CHINH' }],
    });
    expect(received.status).toBe(201);
    const { code, lookupPin: pin } = received.body as { code: string; lookupPin: string };
    await eventually(
      async () => ((await dossier(code)).currentStep?.code === 'T1' ? true : undefined),
      'the dossier taken into processing',
    );
    const asked = await api('commune-clerk', 'POST', `/api/v1/dossiers/${code}/actions/request-payment`, {});
    expect({ status: asked.status, state: asked.body.state }).toEqual({ status: 200, state: 'AWAITING_PAYMENT' });
    await eventually(async () => ((await receipts(code)).length === 1 ? true : undefined), 'the fee recorded');
    return { code, pin };
  };

  const dossier = async (code: string) => (await api('admin', 'GET', `/api/v1/dossiers/${code}`)).body;
  const receipts = async (code: string) =>
    (await api('commune-clerk', 'GET', `/api/v1/dossiers/${code}/payments`)).body as Record<string, unknown>[];
  /** A link to the gateway for the citizen (code + PIN): its TxnRef. */
  const linkFor = async (code: string, pin: string): Promise<string> => {
    const res = await product.request('POST', `/public/v1/dossiers/${code}/payment-link`, { body: { pin } });
    expect(res.status).toBe(200);
    return res.body.txnRef as string;
  };
  /** The gateway's notification that the citizen paid the fee (2,000 đồng) with this link. */
  const gatewayTook = async (txnRef: string, transactionNo: string) => {
    const { answer } = await gateway.notify(gateway.success(txnRef, transactionNo));
    return answer;
  };

  const officer = async (username: string): Promise<Page> => {
    const { page } = await newSession(browser, product);
    await signIn(page, username);
    return page;
  };

  const onDossier = async (username: string, code: string): Promise<Page> => {
    const page = await officer(username);
    await page.goto(`/ho-so/${code}`);
    await page.getByRole('heading', { name: `Hồ sơ ${code}` }).waitFor();
    return page;
  };

  it('fills the desk’s payment with the fee owed, names the fee, and records it in full', async () => {
    const { code } = await owingFee('Trần Thị Mai');
    const page = await onDossier('commune-clerk', code);
    await page
      .getByRole('region', { name: 'Thao tác' })
      .getByRole('button', { name: 'Ghi nhận thanh toán', exact: true })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Ghi nhận thanh toán' });
    await showsText(dialog.getByTestId('open-fee'), new RegExp(`Khoản phí đang chờ nộp: ${FEE}: 2\\.000 đồng`));
    await showsText(dialog.getByTestId('open-fee'), /thu đúng và đủ số tiền/);
    const amount = dialog.getByLabel('Số tiền (đồng)');
    await eventually(async () => ((await amount.inputValue()) === '2.000' ? true : undefined), 'the fee filled in');
    await dialog.getByLabel('Số chứng từ / mã giao dịch').fill('QUYEN-07/15');
    await screenshot(page, '70-payment-prefilled');
    await expectAccessible(page, 'record-payment dialog with the open fee');
    await dialog.getByRole('button', { name: 'Xác nhận' }).click();
    await actionOutcome(page);

    const [receipt] = await receipts(code);
    expect(receipt).toMatchObject({
      fee: FEE,
      amount: 2000,
      state: 'PAID',
      channel: 'DESK',
      method: 'CASH',
      payerReference: 'QUYEN-07/15',
    });
    const view = await dossier(code);
    expect(view.state).toBe('IN_PROGRESS');
    expect((view.history as { type: string }[]).filter((e) => e.type === 'PAYMENT_RECORDED')).toHaveLength(1);
    await page.context().close();
  }, 120_000);

  it('lists the gateway’s payments due back to citizens, with why, for the desk that received them', async () => {
    // 1. The citizen paid online after the dossier was withdrawn: the fee was cancelled.
    const withdrawn = await owingFee('Nguyễn Văn An');
    const late = await linkFor(withdrawn.code, withdrawn.pin);
    const out = await api('commune-clerk', 'POST', `/api/v1/dossiers/${withdrawn.code}/actions/withdraw`, {
      reason: 'Công dân rút hồ sơ',
    });
    expect(out.status).toBe(200);
    await eventually(
      async () => ((await receipts(withdrawn.code))[0]?.state === 'CANCELLED' ? true : undefined),
      'the fee cancelled',
    );
    expect((await gatewayTook(late, '14555555')).RspCode).toBe('02');
    // 2. The citizen paid online after paying at the desk.
    const twice = await owingFee('Lê Thị Bích');
    const second = await linkFor(twice.code, twice.pin);
    const desk = await api('commune-clerk', 'POST', `/api/v1/dossiers/${twice.code}/actions/record-payment`, {
      amount: 2000,
      method: 'CASH',
    });
    expect(desk.status).toBe(200);
    expect((await gatewayTook(second, '14666666')).RspCode).toBe('02');

    const due = (await api('commune-clerk', 'GET', '/api/v1/payments/refunds-due')).body as {
      dossierCode: string;
      txnRef: string;
    }[];
    expect(due.map((r) => [r.dossierCode, r.txnRef])).toEqual([
      [withdrawn.code, late],
      [twice.code, second],
    ]);

    const page = await officer('commune-clerk');
    await page.getByRole('link', { name: 'Khoản cần hoàn trả' }).click();
    await page.getByRole('heading', { level: 1, name: 'Khoản tiền cần hoàn trả cho công dân (2)' }).waitFor();
    const rows = page.getByTestId('refund-row');
    await shown(rows);
    expect(await rows.count()).toBe(2);
    // Oldest first, as the API lists them.
    const first = await showsText(rows.nth(0), new RegExp(escapeRegExp(withdrawn.code)));
    for (const text of [
      'Nguyễn Văn An',
      FEE,
      '2.000 đồng',
      'Trực tuyến (cổng thanh toán)',
      'Số giao dịch của cổng: 14555555',
      `Mã tham chiếu: ${late}`,
      'Hồ sơ đã kết thúc, khoản phí đã hủy',
    ]) {
      expect(first).toContain(text);
    }
    const secondRow = await showsText(rows.nth(1), new RegExp(escapeRegExp(twice.code)));
    for (const text of ['Lê Thị Bích', 'Số giao dịch của cổng: 14666666', 'Khoản phí đã nộp tại bộ phận một cửa']) {
      expect(secondRow).toContain(text);
    }
    expect(await page.title()).toMatch(/^Khoản tiền cần hoàn trả cho công dân \(2\)/);
    await screenshot(page, '71-refunds-due');
    await expectAccessible(page, 'refunds due');

    // The dossier code opens the dossier, where the fee shows the refund due.
    await rows.nth(0).getByRole('link', { name: withdrawn.code }).click();
    await page.getByRole('heading', { name: `Hồ sơ ${withdrawn.code}` }).waitFor();
    await shown(page.getByRole('region', { name: 'Phí, lệ phí' }).getByText('Cần hoàn tiền'));
    await page.context().close();

    // Another desk's clerk: none of this desk's refunds, said in words.
    const elsewhere = await officer('clerk');
    await elsewhere.getByRole('link', { name: 'Khoản cần hoàn trả' }).click();
    await elsewhere.getByRole('heading', { level: 1, name: 'Khoản tiền cần hoàn trả cho công dân (0)' }).waitFor();
    await shown(elsewhere.getByText('Không có khoản tiền nào cần hoàn trả.'));
    expect((await api('clerk', 'GET', '/api/v1/payments/refunds-due')).body).toEqual([]);
    await screenshot(elsewhere, '72-refunds-due-empty');
    await expectAccessible(elsewhere, 'refunds due, none');
    await elsewhere.context().close();

    // A specialist is not offered the list (the API refuses it: 403).
    const specialist = await officer('specialist');
    await shown(specialist.getByRole('link', { name: 'Hồ sơ cần xử lý' }));
    expect(await specialist.getByRole('link', { name: 'Khoản cần hoàn trả' }).count()).toBe(0);
    expect((await api('specialist', 'GET', '/api/v1/payments/refunds-due')).status).toBe(403);
    await specialist.context().close();
  }, 180_000);

  it('replaces a returned result only by superseding it, after confirmation; the old file stays downloadable', async () => {
    // Example A decided, its licence attached by the officer of the last step, and returned to the citizen.
    const received = await api('clerk', 'POST', '/api/v1/dossiers', {
      procedureCode: '2.000908',
      receivingUnitCode: '000.00.20.H36',
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203006666', name: 'Đỗ Văn Hùng' },
      documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
    });
    const code = received.body.code as string;
    const pin = received.body.lookupPin as string;
    await eventually(async () => ((await dossier(code)).state === 'IN_PROGRESS' ? true : undefined), 'started');
    for (const [who, action, body] of EXAMPLE_A_WALK) {
      const res = await api(who, 'POST', `/api/v1/dossiers/${code}/actions/${action}`, body ?? {});
      expect({ who, action, status: res.status }).toEqual({ who, action, status: 200 });
    }
    const original = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000)]);
    const form = new FormData();
    form.append('kind', 'RESULT');
    form.append('file', new Blob([original]), 'Quyết định 15.pdf');
    const attached = await fetch(`${product.baseUrl}/api/v1/dossiers/${code}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await product.token('dept-clerk')}` },
      body: form,
    });
    expect(attached.status).toBe(201);
    const originalId = ((await attached.json()) as { id: string }).id;
    const returned = await api('clerk', 'POST', `/api/v1/dossiers/${code}/actions/return-result`, {
      deliveryMethod: 'IN_PERSON',
    });
    expect(returned.status).toBe(200);

    const resultGroup = (page: Page): Locator =>
      page
        .getByRole('region', { name: 'Bản điện tử của giấy tờ và kết quả' })
        .getByRole('group', { name: 'Kết quả giải quyết' });

    // The unit's head may read the result, not replace it.
    const head = await onDossier('head', code);
    await shown(resultGroup(head).getByRole('button', { name: 'Tải về Quyết định 15.pdf' }));
    expect(
      await resultGroup(head)
        .getByRole('button', { name: /^Thay thế kết quả/ })
        .count(),
    ).toBe(0);
    await head.context().close();

    // The desk that returned it: no upload beside it, only an explicit replacement.
    const page = await onDossier('clerk', code);
    const result = resultGroup(page);
    await shown(result.getByText(/Kết quả đã trả cho người nộp: muốn sửa, hãy thay thế/));
    expect(await result.getByRole('button', { name: 'Tải tệp kết quả lên' }).count()).toBe(0);
    await result.getByRole('button', { name: 'Thay thế kết quả: Quyết định 15.pdf' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thay thế kết quả "Quyết định 15.pdf"' });
    await showsText(dialog, /công dân không tải được nữa[\s\S]*ghi vào nhật ký/);
    // Nothing picked: nothing to confirm.
    expect(await dialog.getByRole('button', { name: 'Thay thế', exact: true }).isDisabled()).toBe(true);
    const corrected = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2500)]);
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Chọn tệp kết quả mới' }).click();
    await (
      await chooser
    ).setFiles({ name: 'Quyết định 15 (đính chính).pdf', mimeType: 'application/pdf', buffer: corrected });
    await showsText(dialog.getByTestId('supersede-picked'), /^Tệp mới: Quyết định 15 \(đính chính\)\.pdf$/);
    // Still nothing sent before the confirmation.
    expect(((await api('clerk', 'GET', `/api/v1/dossiers/${code}/files`)).body.items as unknown[]).length).toBe(1);
    await screenshot(page, '73-result-supersede-confirm');
    await expectAccessible(page, 'supersede result dialog');
    await dialog.getByRole('button', { name: 'Thay thế', exact: true }).click();
    await shown(
      page
        .getByRole('status')
        .filter({ hasText: 'Đã thay thế kết quả Quyết định 15.pdf bằng Quyết định 15 (đính chính).pdf.' }),
      30_000,
    );

    const old = result.getByRole('listitem', { name: 'Quyết định 15.pdf' });
    await shown(old.getByText('Đã bị thay thế'));
    await showsText(
      old.getByTestId('file-superseded'),
      /^Thay bằng Quyết định 15 \(đính chính\)\.pdf, \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}; công dân không tải được tệp này nữa\.$/,
    );
    expect(await old.locator('del').innerText()).toBe('Quyết định 15.pdf');
    expect(await old.getByRole('button', { name: /^Thay thế kết quả/ }).count()).toBe(0);
    const current = result.getByRole('listitem', { name: 'Quyết định 15 (đính chính).pdf' });
    await shown(current.getByText('Bản hiện hành'));
    await shown(current.getByRole('button', { name: 'Thay thế kết quả: Quyết định 15 (đính chính).pdf' }));
    // The superseded file is still the officers' to download: the same bytes.
    const downloading = page.waitForEvent('download');
    await old.getByRole('button', { name: 'Tải về Quyết định 15.pdf' }).click();
    expect(sha256(await readFile(await (await downloading).path()))).toBe(sha256(original));
    await screenshot(page, '74-result-superseded');
    await expectAccessible(page, 'dossier page with a superseded result');
    await page.context().close();

    const files = (await api('clerk', 'GET', `/api/v1/dossiers/${code}/files`)).body.items as {
      id: string;
      kind: string;
      sha256: string;
      superseded: { by: string } | null;
    }[];
    const results = files.filter((f) => f.kind === 'RESULT');
    const replacement = results.find((f) => f.id !== originalId)!;
    expect(replacement).toMatchObject({ sha256: sha256(corrected), superseded: null });
    expect(results.find((f) => f.id === originalId)).toMatchObject({ superseded: { by: replacement.id } });
    // Audited with what it superseded; the citizen now gets the new file only.
    const [audit] = await product.api
      .get(DataSource)
      .query(`SELECT details FROM audit_log WHERE action = 'dossier.file.attach' AND details->>'file' = $1`, [
        replacement.id,
      ]);
    expect(audit.details).toMatchObject({ kind: 'RESULT', supersedes: originalId });
    const citizen = (id: string) =>
      fetch(`${product.baseUrl}/public/v1/dossiers/${code}/files/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pin }),
      }).then((r) => r.status);
    expect(await citizen(originalId)).toBe(404);
    expect(await citizen(replacement.id)).toBe(200);
  }, 240_000);
});
