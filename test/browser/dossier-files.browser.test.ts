import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { expectAccessible, newSession, screenshot, shown, showsText, signIn, startConsole } from '../support/browser';
import { EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { type RunningProduct } from '../support/product';

const APPLICANT = { idNumber: '001203007788', name: 'Phan Thị Hoa' };
const REQUEST_PAPER = /^Văn bản đề nghị thay đổi trụ sở/;
const PROOF_PAPER = /^Giấy tờ chứng minh tính hợp pháp/;
/** A small limit, so the console can be seen showing the configured one. */
const MAX_BYTES = 64 * 1024;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The dossier's files in the console: the clerk takes in a dossier, scans a paper on the receipt screen, certifies it,
 * sees who certified it on the dossier page and downloads it (the same bytes); an officer out of role is offered no
 * certification; the applicant's next intake offers the certified scan for reuse and the clerk ticks it.
 */
describe('the console: papers and results as files (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;
  const scan = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]);
  const first = { code: '', fileId: '' };

  beforeAll(async () => {
    ({ product, browser, stop } = await startConsole({ FILE_MAX_BYTES: String(MAX_BYTES) }));
  });

  afterAll(async () => {
    await stop?.();
  });

  const officer = async (username: string): Promise<Page> => {
    const { page } = await newSession(browser, product);
    await signIn(page, username);
    return page;
  };

  /** The intake form filled for the applicant with example A's procedure (both papers ticked unless told). */
  const fillIntake = async (page: Page, tick: RegExp[]): Promise<void> => {
    await page.getByRole('link', { name: 'Tiếp nhận hồ sơ' }).click();
    await page.getByRole('heading', { name: 'Tiếp nhận hồ sơ' }).waitFor();
    const procedure = page.getByRole('combobox', { name: 'Thủ tục hành chính' });
    await procedure.fill('2.000908');
    await procedure.press('Enter');
    await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(APPLICANT.idNumber);
    await page.getByLabel('Họ và tên / Tên tổ chức').fill(APPLICANT.name);
    const checklist = page.getByRole('table', { name: 'Thành phần hồ sơ' });
    for (const paper of tick) {
      await checklist.getByRole('checkbox', { name: paper }).check();
    }
  };

  const submitIntake = async (page: Page): Promise<string> => {
    await page.getByRole('button', { name: /Tiếp nhận hồ sơ$/ }).click();
    await shown(page.getByRole('status').filter({ hasText: 'Đã tiếp nhận hồ sơ' }), 30_000);
    return (await page.getByTestId('receipt-code').innerText()).trim();
  };

  /** Picks `bytes` as `name` in the file chooser the button opens. */
  const uploadThrough = async (page: Page, button: Locator, name: string, bytes: Buffer, mimeType: string) => {
    const chooser = page.waitForEvent('filechooser');
    await button.click();
    await (await chooser).setFiles({ name, mimeType, buffer: bytes });
  };

  const filesRegion = (page: Page) => page.getByRole('region', { name: 'Bản điện tử của giấy tờ và kết quả' });
  const paperGroup = (page: Page, paper: RegExp) => filesRegion(page).getByRole('group', { name: paper });

  it('scans a paper on the receipt screen, refusing a disguised file with the field and the rule', async () => {
    const page = await officer('clerk');
    await fillIntake(page, [REQUEST_PAPER, PROOF_PAPER]);
    first.code = await submitIntake(page);
    const files = filesRegion(page);
    await shown(files);
    // The limits the server enforces, as configured (64 KB here), before anything is picked.
    await showsText(files.getByTestId('file-limits'), /PDF, JPEG, PNG, tối đa 64 KB mỗi tệp/);
    // Nothing scanned yet: both papers are visibly missing.
    await shown(paperGroup(page, REQUEST_PAPER).getByText('Chưa có bản quét'));
    await shown(paperGroup(page, PROOF_PAPER).getByText('Chưa có bản quét'));
    // No decision yet: the result cannot be attached.
    await shown(files.getByText('Chưa có tệp kết quả'));
    expect(await files.getByRole('button', { name: 'Tải tệp kết quả lên' }).count()).toBe(0);

    const upload = files.getByRole('button', { name: /^Tải bản quét lên: Văn bản đề nghị thay đổi trụ sở/ });
    await uploadThrough(page, upload, 'scan.pdf', Buffer.from('<html><script>alert(1)</script></html>'), 'text/html');
    const refused = files.getByRole('alert').filter({ hasText: 'Không tải lên được scan.pdf' });
    await showsText(refused, /file[\s\S]*must be a PDF, JPEG or PNG \(the content is checked/);
    await screenshot(page, '60-files-upload-refused');

    await uploadThrough(page, upload, 'Đơn đề nghị thay đổi trụ sở.pdf', scan, 'application/pdf');
    await shown(files.getByRole('status').filter({ hasText: 'Đã tải lên: Đơn đề nghị thay đổi trụ sở.pdf.' }));
    const listed = paperGroup(page, REQUEST_PAPER).getByRole('listitem', { name: 'Đơn đề nghị thay đổi trụ sở.pdf' });
    await showsText(listed, /PDF · 2,9 KB/);
    await showsText(listed, /Tải lên: Nguyễn Thị Lan, \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(await listed.getByTestId('file-sha256').getAttribute('data-sha256')).toBe(sha256(scan));
    await showsText(listed.getByTestId('file-sha256'), new RegExp(`^${sha256(scan).slice(0, 12)}…`));
    await shown(paperGroup(page, REQUEST_PAPER).getByText('Chưa chứng thực'));
    await shown(paperGroup(page, PROOF_PAPER).getByText('Chưa có bản quét'));
    await screenshot(page, '61-files-receipt-scanned');
    await expectAccessible(page, 'receipt with files');

    const stored = await product.request('GET', `/api/v1/dossiers/${first.code}/files`, {
      token: await product.token('clerk'),
    });
    expect(stored.body.items).toEqual([
      expect.objectContaining({ documentCode: 'VB-DE-NGHI', sha256: sha256(scan), certified: null }),
    ]);
    first.fileId = stored.body.items[0].id;
    await page.context().close();
  }, 120_000);

  it('certifies the scan on the dossier page, shows who certified it, and downloads the same bytes', async () => {
    const page = await officer('clerk');
    await page.goto(`/ho-so/${first.code}`);
    await page.getByRole('heading', { name: `Hồ sơ ${first.code}` }).waitFor();
    const listed = paperGroup(page, REQUEST_PAPER).getByRole('listitem', { name: 'Đơn đề nghị thay đổi trụ sở.pdf' });
    await listed.getByRole('button', { name: 'Chứng thực bản sao: Đơn đề nghị thay đổi trụ sở.pdf' }).click();
    await page.getByRole('button', { name: 'Chứng thực', exact: true }).click();
    await shown(
      filesRegion(page)
        .getByRole('status')
        .filter({ hasText: 'Đã chứng thực bản sao: Đơn đề nghị thay đổi trụ sở.pdf.' }),
    );
    await showsText(
      listed.getByTestId('file-certified'),
      /^Chứng thực: Nguyễn Thị Lan, \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/,
    );
    await shown(paperGroup(page, REQUEST_PAPER).getByText('Đã số hóa'));
    // Certified once: the button is gone.
    expect(await listed.getByRole('button', { name: /^Chứng thực bản sao/ }).count()).toBe(0);

    const downloading = page.waitForEvent('download');
    await listed.getByRole('button', { name: 'Tải về Đơn đề nghị thay đổi trụ sở.pdf' }).click();
    const download = await downloading;
    // Fetched with the token in a header and handed over as a blob: no token, no API address in the URL.
    expect(download.url()).toMatch(/^blob:/);
    expect(download.suggestedFilename()).toBe('Đơn đề nghị thay đổi trụ sở.pdf');
    expect(sha256(await readFile(await download.path()))).toBe(sha256(scan));
    await screenshot(page, '62-files-dossier-certified');
    await expectAccessible(page, 'dossier page with files');

    const stored = await product.request('GET', `/api/v1/dossiers/${first.code}/files`, {
      token: await product.token('clerk'),
    });
    expect(stored.body.items[0].certified).toMatchObject({ by: { name: 'Nguyễn Thị Lan' } });
    await page.context().close();
  }, 120_000);

  it('offers an officer out of role the files to read and download, and no certification or upload', async () => {
    // Upload one more scan unchecked through the API, so an uncertified file is there to be (not) offered.
    const form = new FormData();
    form.append('kind', 'PAPER');
    form.append('documentCode', 'GT-TRU-SO');
    form.append('file', new Blob([Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(500)])]), 'tru-so.pdf');
    const res = await fetch(`${product.baseUrl}/api/v1/dossiers/${first.code}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await product.token('clerk')}` },
      body: form,
    });
    expect(res.status).toBe(201);

    const page = await officer('head');
    await page.goto(`/ho-so/${first.code}`);
    await page.getByRole('heading', { name: `Hồ sơ ${first.code}` }).waitFor();
    const proof = paperGroup(page, PROOF_PAPER).getByRole('listitem', { name: 'tru-so.pdf' });
    await shown(proof.getByRole('button', { name: 'Tải về tru-so.pdf' }));
    await shown(paperGroup(page, PROOF_PAPER).getByText('Chưa chứng thực'));
    await showsText(paperGroup(page, REQUEST_PAPER).getByTestId('file-certified'), /Chứng thực: Nguyễn Thị Lan/);
    expect(
      await filesRegion(page)
        .getByRole('button', { name: /^Chứng thực bản sao/ })
        .count(),
    ).toBe(0);
    expect(
      await filesRegion(page)
        .getByRole('button', { name: /^Tải bản quét lên/ })
        .count(),
    ).toBe(0);
    await screenshot(page, '63-files-head-no-certify');
    await page.context().close();
  }, 120_000);

  it('offers the certified scan at the applicant’s next intake, and the ticked reuse is the new dossier’s copy', async () => {
    const page = await officer('clerk');
    await fillIntake(page, [PROOF_PAPER]);
    const checklist = page.getByRole('table', { name: 'Thành phần hồ sơ' });
    const reuse = checklist.getByRole('checkbox', { name: /^Dùng lại bản đã chứng thực: Văn bản đề nghị/ });
    await shown(reuse);
    await showsText(
      page.getByRole('status').filter({ hasText: 'bản điện tử đã chứng thực' }),
      /Người nộp có 1 bản điện tử đã chứng thực từ hồ sơ trước/,
    );
    await shown(
      checklist.getByText(new RegExp(`Đơn đề nghị thay đổi trụ sở\\.pdf — hồ sơ ${escapeRegExp(first.code)}`)),
    );
    // The uncertified scan of the other paper is not offered.
    expect(await checklist.getByRole('checkbox', { name: /^Dùng lại bản đã chứng thực: Giấy tờ/ }).count()).toBe(0);
    await reuse.check();
    // Reusing the paper counts it as handed in.
    expect(await checklist.getByRole('checkbox', { name: REQUEST_PAPER }).isChecked()).toBe(true);
    await screenshot(page, '64-files-intake-reuse');
    await expectAccessible(page, 'intake with reuse offered');
    const code = await submitIntake(page);
    expect(code).not.toBe(first.code);
    const listed = paperGroup(page, REQUEST_PAPER).getByRole('listitem', { name: 'Đơn đề nghị thay đổi trụ sở.pdf' });
    await showsText(listed, new RegExp(`Dùng lại từ hồ sơ ${escapeRegExp(first.code)}`));
    await shown(paperGroup(page, REQUEST_PAPER).getByText('Đã số hóa'));
    await shown(paperGroup(page, PROOF_PAPER).getByText('Chưa có bản quét'));
    await screenshot(page, '65-files-receipt-reused');

    const stored = await product.request('GET', `/api/v1/dossiers/${code}/files`, {
      token: await product.token('clerk'),
    });
    expect(stored.body.items).toEqual([
      expect.objectContaining({
        documentCode: 'VB-DE-NGHI',
        sha256: sha256(scan),
        reusedFrom: { fileId: first.fileId, dossierCode: first.code },
      }),
    ]);
    await page.context().close();
  }, 120_000);

  it('takes the result from the officer who completed the last step, once the decision is taken', async () => {
    for (const [who, action, body] of EXAMPLE_A_WALK) {
      const res = await product.request('POST', `/api/v1/dossiers/${first.code}/actions/${action}`, {
        token: await product.token(who),
        body: body ?? {},
      });
      expect({ who, action, status: res.status }).toEqual({ who, action, status: 200 });
    }
    const page = await officer('dept-clerk');
    await page.goto(`/ho-so/${first.code}`);
    await page.getByRole('heading', { name: `Hồ sơ ${first.code}` }).waitFor();
    const result = filesRegion(page).getByRole('group', { name: 'Kết quả giải quyết' });
    const licence = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1500)]);
    await uploadThrough(
      page,
      result.getByRole('button', { name: 'Tải tệp kết quả lên' }),
      'Quyết định chấp thuận.png',
      licence,
      'image/png',
    );
    await shown(filesRegion(page).getByRole('status').filter({ hasText: 'Đã tải lên: Quyết định chấp thuận.png.' }));
    const listed = result.getByRole('listitem', { name: 'Quyết định chấp thuận.png' });
    await showsText(listed, /PNG · 1,5 KB/);
    expect(await listed.getByTestId('file-sha256').getAttribute('data-sha256')).toBe(sha256(licence));
    // A result is the agency's original: nothing to certify.
    expect(await listed.getByRole('button', { name: /^Chứng thực bản sao/ }).count()).toBe(0);
    await screenshot(page, '66-files-result-attached');
    await expectAccessible(page, 'dossier page with the result');
    await page.context().close();
  }, 180_000);
});
