import { type Browser } from 'playwright-core';
import { newSession, screenshot, expectAccessible, shown, showsText, signIn, startConsole } from '../support/browser';
import { stringify } from 'yaml';
import { type RunningProduct } from '../support/product';

const EXAMPLE_A = '2.000908';
const CONNECTED = '1.014390';
const CENTRE = '000.00.20.H36';

/** "0,5 ngày làm việc" → 0.5 */
const days = (text: string): number => Number(/([\d.,]+)\s*ngày làm việc/.exec(text)?.[1].replace(',', '.') ?? NaN);

/** Officers read the catalog and the organisation; an admin publishes a version, an error first. */
describe('the console: procedures catalog and organisation (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ product, browser, stop } = await startConsole());
  });

  afterAll(async () => {
    await stop?.();
  });

  const versionsOfA = async (): Promise<{ versionNo: number; effectiveFrom: string }[]> =>
    (await product.request('GET', `/api/v1/procedures/${EXAMPLE_A}`)).body.versions;

  it('an officer finds example A by name and reads its 10 steps, whose budgets add up to 30 working days', async () => {
    const { page } = await newSession(browser, product);
    await signIn(page, 'clerk');
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    expect(await nav.getByRole('link', { name: 'Công bố phiên bản thủ tục' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Danh mục thủ tục' }).click();
    await shown(page.getByRole('heading', { name: 'Danh mục thủ tục', level: 1 }));
    await page.getByLabel('Tìm theo mã, tên, lĩnh vực hoặc cơ quan giải quyết').fill('thay doi tru so ton giao');
    const row = page.getByRole('row', { name: new RegExp(EXAMPLE_A.replace('.', '\\.')) });
    await shown(row);
    await showsText(page.getByRole('status').filter({ hasText: 'Hiển thị' }), /^Hiển thị 1 \/ \d+ thủ tục$/);
    await screenshot(page, 'catalog-01-search');
    await expectAccessible(page, 'catalog search');

    await row.getByRole('link', { name: /thay đổi trụ sở/ }).click();
    await shown(page.getByRole('heading', { name: /^Thủ tục đề nghị thay đổi trụ sở/, level: 1 }));
    await shown(page.getByRole('heading', { name: /^Phiên bản \d+ \(hiệu lực từ .*\) — Đang áp dụng$/ }));
    const flow = page.getByRole('list', { name: 'Các bước xử lý — Thay đổi trụ sở' });
    await shown(flow);
    const steps = flow.getByRole('listitem');
    expect(await steps.count()).toBe(10);
    const budgets = await flow.getByTestId('step-budget').allInnerTexts();
    const counted = budgets.filter((b) => !b.includes('không tính vào thời hạn')).map(days);
    expect(counted.reduce((a, b) => a + b, 0)).toBe(30);
    await showsText(
      page.getByTestId('budget-total'),
      /^Tổng thời gian các bước tính thời hạn: 30 ngày làm việc, khớp thời hạn giải quyết 30 ngày làm việc\.$/,
    );
    await shown(
      page.getByRole('table', { name: /^Thành phần hồ sơ/ }).getByRole('row', { name: /VB-DE-NGHI.*Bắt buộc/ }),
    );
    await screenshot(page, 'catalog-02-procedure-a');
    await expectAccessible(page, 'procedure page');

    // A connected procedure shows each agency's segment with its own steps and budget.
    await page.goto(`/thu-tuc/${CONNECTED}`);
    await shown(page.getByRole('heading', { name: 'Liên thông: phần việc của từng cơ quan' }));
    expect(await page.getByRole('region', { name: /^Phần liên thông: / }).count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'catalog-03-connected');
    await expectAccessible(page, 'connected procedure page');
  });

  it('an admin publishes a new version: an error shown at its field and nothing saved, then fixed and published', async () => {
    const before = await versionsOfA();
    const { page } = await newSession(browser, product);
    await signIn(page, 'admin');
    await page
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Công bố phiên bản thủ tục' })
      .click();
    await shown(page.getByRole('heading', { name: 'Công bố phiên bản thủ tục', level: 1 }));
    await page.getByLabel('Thủ tục', { exact: true }).selectOption(EXAMPLE_A);
    const form = page.getByRole('form', { name: 'Phiên bản mới' });
    await shown(form);
    await form.getByLabel('Ngày có hiệu lực (dd/mm/yyyy)').fill('15/03/2031');
    const s05 = form.getByLabel(/^Thời gian của bước S05/);
    expect(await s05.inputValue()).toBe('16');
    await s05.fill('15.1');
    // The live total already says it does not add up; the server decides.
    await showsText(form.getByTestId('budget-total'), /^Không khớp: tổng thời gian các bước là 29,1 ngày làm việc/);
    await form.getByRole('button', { name: 'Công bố phiên bản' }).click();

    await showsText(page.getByRole('alert').filter({ hasText: 'Chưa công bố' }), /không có gì được lưu/);
    expect(await s05.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await s05.getAttribute('aria-describedby')) ?? '';
    await showsText(page.locator(`[id="${describedBy}"]`), /Phải là bội số của 0,25\./);
    await showsText(
      page.locator('[data-field="version.cases[0].steps"]'),
      /Tổng thời gian các bước tính thời hạn là 29,1 ngày làm việc nhưng thời hạn giải quyết là 30 ngày làm việc\./,
    );
    expect(await versionsOfA()).toEqual(before);
    await screenshot(page, 'catalog-04-publish-errors');
    await expectAccessible(page, 'publish with errors');

    await s05.fill('16');
    await showsText(form.getByTestId('budget-total'), /^Tổng thời gian các bước tính thời hạn: 30 ngày làm việc/);
    await form.getByRole('button', { name: 'Công bố phiên bản' }).click();
    const published = await showsText(
      page.getByRole('status').filter({ hasText: 'Đã công bố phiên bản' }),
      new RegExp(`^Đã công bố phiên bản \\d+ của thủ tục ${EXAMPLE_A.replace('.', '\\.')}\\.`),
    );
    const versionNo = Number(/phiên bản (\d+)/.exec(published)?.[1]);
    const after = await versionsOfA();
    expect(after).toHaveLength(before.length + 1);
    expect(after).toContainEqual(expect.objectContaining({ versionNo, effectiveFrom: '2031-03-15' }));
    await screenshot(page, 'catalog-05-published');
    await expectAccessible(page, 'publish done');

    // The new version is listed on the procedure's page, not yet in force.
    await page.getByRole('link', { name: 'Xem phiên bản' }).click();
    await shown(page.getByRole('heading', { name: `Phiên bản ${versionNo} (hiệu lực từ 15/03/2031)` }));
    await shown(page.getByRole('row', { name: new RegExp(`Phiên bản ${versionNo}.*Sắp có hiệu lực`) }));
  });

  it('an admin publishes a version from a YAML upload: read into the form, then published', async () => {
    const current = (await product.request('GET', `/api/v1/procedures/${EXAMPLE_A}`)).body;
    const definition = {
      code: current.code,
      localCode: current.localCode,
      name: current.name,
      field: current.field,
      level: current.level,
      resolvingAgency: current.resolvingAgency,
      version: { ...current.version.definition, effectiveFrom: '2032-01-01', legalBasis: 'Quyết định thử nghiệm YAML' },
    };
    const { page } = await newSession(browser, product);
    await signIn(page, 'admin');
    await page.goto(`/thu-tuc/cong-bo?ma=${EXAMPLE_A}`);
    const form = page.getByRole('form', { name: 'Phiên bản mới' });
    await shown(form);
    await page.getByLabel('Tệp YAML của thủ tục').setInputFiles({
      name: 'thu-tuc-2.000908.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(stringify(definition)),
    });
    await shown(page.getByRole('status').filter({ hasText: 'Đã nạp tệp thu-tuc-2.000908.yaml vào biểu mẫu.' }));
    expect(await form.getByLabel('Ngày có hiệu lực (dd/mm/yyyy)').inputValue()).toBe('01/01/2032');
    expect(await form.getByLabel('Căn cứ pháp lý').inputValue()).toBe('Quyết định thử nghiệm YAML');
    await form.getByRole('button', { name: 'Công bố phiên bản' }).click();
    await shown(page.getByRole('status').filter({ hasText: 'Đã công bố phiên bản' }));
    expect(await versionsOfA()).toContainEqual(
      expect.objectContaining({ effectiveFrom: '2032-01-01', legalBasis: 'Quyết định thử nghiệm YAML' }),
    );
  });

  it('the organisation tree shows each unit with its head and officers', async () => {
    const units = (await product.request('GET', '/api/v1/units', { token: await product.token('clerk') })).body;
    const find = (nodes: { code: string; children: unknown[] }[]): { head: { fullName: string } | null } | undefined =>
      nodes.reduce<{ head: { fullName: string } | null } | undefined>(
        (found, n) =>
          found ??
          (n.code === CENTRE
            ? (n as unknown as { head: { fullName: string } | null })
            : find(n.children as { code: string; children: unknown[] }[])),
        undefined,
      );
    const centreHead = find(units.units)?.head?.fullName;
    expect(centreHead).toBeTruthy();

    const { page } = await newSession(browser, product);
    await signIn(page, 'clerk');
    await page
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Cơ cấu tổ chức' })
      .click();
    await shown(page.getByRole('heading', { name: 'Cơ cấu tổ chức', level: 1 }));
    const centre = page.locator(`[data-unit-code="${CENTRE}"]`);
    await showsText(centre.getByTestId('unit-head'), new RegExp(`Người đứng đầu: ${centreHead}`));
    await centre.getByText(/\d+ cán bộ/).click();
    await shown(centre.getByRole('list', { name: /^Cán bộ của / }).getByText(/Nguyễn Thị Lan/));
    await screenshot(page, 'organisation-01-tree');
    await expectAccessible(page, 'organisation tree');
  });
});
