import { readFileSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { dataSourceOptions, generatePeriod } from '../../libs/persistence/src';
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

/** Midnight of a local (UTC+7) date, as an instant. */
const local = (date: string): Date => new Date(`${date}T00:00:00+07:00`);
const pad = (n: number) => String(n).padStart(2, '0');

/** The month before the current one (local), as its first and last day: a whole past period. */
const lastMonth = (() => {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' })
    .format(new Date())
    .split('-')
    .map(Number);
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(last)}` };
})();
const dayAfter = (date: string): Date => new Date(local(date).getTime() + 86_400_000);
const PERIOD_QUERY = `ky=thang&moc=${lastMonth.from}`;
const number = (text: string): number => Number(text.replace(/\D/g, ''));

/** Heads open their dashboard and report over a generated province history (browser). */
describe('the console: dashboard and progress report for heads (browser)', () => {
  let product: RunningProduct;
  let browser: Browser;
  let stop: () => Promise<void>;
  let db: DataSource;

  beforeAll(async () => {
    ({ product, browser, stop } = await startConsole());
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
    const [{ id }] = await db.query<{ id: string }[]>(`SELECT id FROM officers WHERE username = 'clerk'`);
    const period = { from: local(lastMonth.from), to: dayAfter(lastMonth.to), procedureCode: '2.000908' };
    await generatePeriod(
      db,
      {
        ...period,
        unitCode: '000.20.01.H36',
        carriedOver: 3_320,
        newByChannel: { IN_PERSON: 11_041, ONLINE: 4_800, POSTAL: 200 },
        fates: {
          EARLY: 13_529,
          ON_TIME: 1_958,
          LATE: 154,
          OVERDUE: 12,
          PAUSED_SUPPLEMENT: 40,
          WITHDRAWN: 25,
          REFUSED: 3,
        },
      },
      { receivedBy: id, seed: 71 },
    );
    await generatePeriod(
      db,
      {
        ...period,
        unitCode: '000.20.02.H36',
        carriedOver: 400,
        newByChannel: { IN_PERSON: 2_000, ONLINE: 1_500, POSTAL: 100 },
        fates: { EARLY: 3_000, ON_TIME: 300, LATE: 60, OVERDUE: 8, PAUSED_PAYMENT: 10, WITHDRAWN: 5 },
      },
      { receivedBy: id, seed: 72 },
    );
    await generatePeriod(
      db,
      {
        ...period,
        unitCode: '000.12.01.H36',
        carriedOver: 50,
        newByChannel: { IN_PERSON: 300, ONLINE: 200, POSTAL: 0 },
        fates: { EARLY: 400, ON_TIME: 60, LATE: 7, WITHDRAWN: 2 },
      },
      { receivedBy: id, seed: 73 },
    );
  }, 240_000);

  afterAll(async () => {
    await db?.destroy();
    await stop?.();
  });

  const apiProgress = async (user: string, unit?: string) =>
    (
      await product.request(
        'GET',
        `/api/v1/reports/progress?from=${lastMonth.from}&to=${lastMonth.to}${unit ? `&unit=${unit}` : ''}`,
        { token: await product.token(user) },
      )
    ).body;

  /** The figure a tile link shows (its accessible name starts with the tile's label). */
  const tileValue = async (page: Page, label: string): Promise<number> =>
    number(await page.getByRole('link', { name: new RegExp(`^${label}: [\\d.]+ — xem`) }).innerText());

  it('shows a unit head every tile as the progress report counts it; "late" lists exactly that many', async () => {
    const expected = await apiProgress('head');
    const c = expected.total.counts;
    expect(c.total).toBeGreaterThanOrEqual(20_000);

    const { page } = await newSession(browser, product);
    await signIn(page, 'head');
    // a head lands on the dashboard
    await shown(page.getByRole('heading', { name: 'Bảng điều khiển', level: 1 }));
    await showsUrl(page, /\/bang-dieu-khien$/);
    await page.goto(`/bang-dieu-khien?${PERIOD_QUERY}`);
    await shown(page.getByRole('region', { name: 'Số liệu chính' }), 30_000);
    const tiles: [string, number][] = [
      ['Tiếp nhận', c.total],
      ['Tiếp nhận — Kỳ trước chuyển sang', c.carriedOver],
      ['Tiếp nhận — Mới — trực tuyến', c.newOnline],
      ['Tiếp nhận — Mới — trực tiếp', c.newInPerson],
      ['Tiếp nhận — Mới — bưu chính công ích', c.newPostal],
      ['Đã giải quyết', c.resolved],
      ['Đã giải quyết — Trước hạn', c.early],
      ['Đã giải quyết — Đúng hạn', c.onTime],
      ['Đã giải quyết — Quá hạn', c.late],
      ['Đang giải quyết', c.inProgress],
      ['Đang giải quyết — Trong hạn', c.withinDeadline],
      ['Đang giải quyết — Đang quá hạn', c.overdue],
      ['Tạm dừng', c.paused],
      ['Rút hồ sơ', c.withdrawn],
      ['Từ chối giải quyết', c.refused],
    ];
    for (const [label, value] of tiles) {
      expect({ label, value: await tileValue(page, label) }).toEqual({ label, value });
    }
    await showsText(page.getByRole('region', { name: 'Số liệu chính' }), /Công thức: /);
    // the charts are drawn (ECharts, lazily loaded)
    await shown(page.getByRole('img', { name: 'Kết quả giải quyết theo tháng' }));
    await shown(page.locator('.chart-canvas svg').first());
    await shown(page.getByRole('region', { name: 'Hồ sơ đang quá hạn' }));
    await expectAccessible(page, 'dashboard');
    await screenshot(page, 'dashboard-head');

    await page.getByRole('link', { name: /^Đã giải quyết — Quá hạn: / }).click();
    await shown(page.getByRole('heading', { name: 'Danh sách hồ sơ: Giải quyết quá hạn' }));
    expect(number(await page.getByTestId('figure-total').innerText())).toBe(c.late);
    expect(page.url()).toContain('chiSo=late');
    const rows = page.getByRole('table').getByRole('row');
    await shown(rows.nth(1));
    expect(await rows.count()).toBe(1 + Math.min(50, c.late));
    expect(await page.getByRole('cell', { name: 'Giải quyết quá hạn' }).count()).toBe(Math.min(50, c.late));
    // the list's own API agrees on every dossier, across the pages
    const listed = await product.request(
      'GET',
      `/api/v1/reports/progress/dossiers?from=${lastMonth.from}&to=${lastMonth.to}&figure=late&limit=500`,
      { token: await product.token('head') },
    );
    expect(listed.body.items).toHaveLength(c.late);
    await expectAccessible(page, 'figure list');
    await screenshot(page, 'dashboard-late-list');
  }, 120_000);

  /**
   * Clicks the tallest of a chart's shapes where it is on screen: the chart scrolled into view and measured until two
   * readings agree (the tiles and charts above it may still be settling), clicked again if the page did not move.
   */
  const clickTallest = async (page: Page, chart: string, shape: string): Promise<void> => {
    const from = page.url();
    for (let attempt = 0; attempt < 3 && page.url() === from; attempt += 1) {
      await page.locator(chart).scrollIntoViewIfNeeded();
      const measure = async () => {
        const boxes = await Promise.all(
          (await page.locator(`${chart} svg ${shape}`).all()).map((b) => b.boundingBox()),
        );
        return boxes.reduce((a, b) => ((b?.height ?? 0) > (a?.height ?? 0) ? b : a), null);
      };
      let tallest = await measure();
      for (let settled = false; !settled;) {
        await page.waitForTimeout(100);
        const again = await measure();
        settled = JSON.stringify(again) === JSON.stringify(tallest);
        tallest = again;
      }
      if (!tallest) {
        throw new Error(`the chart ${chart} drew no ${shape}`);
      }
      await page.mouse.click(tallest.x + tallest.width / 2, tallest.y + tallest.height / 2);
      await page.waitForURL((url) => url.href !== from, { timeout: 3_000 }).catch(() => undefined);
    }
  };

  /** The text of a chart's table row (the table sits in a closed <details>: read, not seen). */
  const chartRow = (page: Page, chart: string, label: string) =>
    page.locator(`[data-chart="${chart}"] tbody tr`).filter({ hasText: label }).first();

  it("drills down from the charts: a month's bar, the worst sub-unit, an overdue age; 766 against its targets", async () => {
    const expected = await apiProgress('head');
    const index = (
      await product.request('GET', `/api/v1/reports/index-766?from=${lastMonth.from}&to=${lastMonth.to}`, {
        token: await product.token('head'),
      })
    ).body;
    const { page } = await newSession(browser, product);
    await signIn(page, 'head');
    await page.goto(`/bang-dieu-khien?${PERIOD_QUERY}`);
    for (const chart of ['monthly', 'indicators', 'sub-units-late', 'sub-units-rate', 'overdue-age', 'attribution']) {
      await shown(page.locator(`[data-chart="${chart}"] [data-drawn="true"]`));
    }
    // 766: each measured indicator with its numerator and denominator, and its target
    const online = index.indicators.onlineSubmissionShare;
    const vi = (n: number) => n.toLocaleString('vi-VN');
    expect(await chartRow(page, 'indicators', 'Hồ sơ nộp trực tuyến').textContent()).toContain(
      `${vi(online.numerator)} / ${vi(online.denominator)}`,
    );
    expect(await chartRow(page, 'indicators', 'Hồ sơ nộp trực tuyến').textContent()).toContain('50 %');
    // digitisation is measured now (no scans in this data: none of the dossiers counts), against its 80 % target
    const digitised = index.indicators.digitisedShare;
    expect(await chartRow(page, 'indicators', 'Số hóa hồ sơ').textContent()).toContain(
      `${vi(digitised.numerator)} / ${vi(digitised.denominator)}`,
    );
    expect(await chartRow(page, 'indicators', 'Số hóa hồ sơ').textContent()).toContain('80 %');
    // the petitions answered on time, with its numerator and denominator like the other shares
    const petitions = index.indicators.petitionOnTimeShare;
    expect(
      await chartRow(page, 'indicators', 'Phản ánh, kiến nghị trả lời đúng hạn').textContent({ timeout: 5_000 }),
    ).toContain(`${vi(petitions.numerator)} / ${vi(petitions.denominator)}`);
    await screenshot(page, 'dashboard-charts');

    // a click on last month's bar (its early part, the tallest green shape) lists that month's early dossiers
    await clickTallest(page, '[data-chart="monthly"]', 'path[fill="#2e7d32"]');
    await showsUrl(page, /\/bang-dieu-khien\/ho-so\?chiSo=early/);
    expect(number(await page.getByTestId('figure-total').innerText())).toBe(expected.total.counts.early);

    // the sub-unit with the lowest on-time rate opens its own dashboard, whose total is its row's
    await page.goto(`/bang-dieu-khien?${PERIOD_QUERY}`);
    const rated = expected.rows
      .filter((r: { key: string; onTimeRate: number | null }) => r.key !== expected.unit.code && r.onTimeRate !== null)
      .sort((a: { onTimeRate: number }, b: { onTimeRate: number }) => a.onTimeRate - b.onTimeRate);
    const worst = rated[0];
    const rateChart = page.locator('[data-chart="sub-units-rate"]');
    await rateChart.getByText('Số liệu của biểu đồ').click();
    await rateChart
      .getByRole('row', { name: new RegExp(worst.name) })
      .getByRole('link')
      .first()
      .click();
    await showsText(page.locator('.page-intro'), new RegExp(worst.key.replace(/\./g, '\\.')));
    expect(page.url()).toContain(`donVi=${worst.key}`);
    expect(await tileValue(page, 'Tiếp nhận')).toBe(worst.counts.total);

    // an overdue age bucket narrows the overdue list to it
    const overdue = (await product.request('GET', '/api/v1/reports/overdue', { token: await product.token('head') }))
      .body;
    const bucket = overdue.buckets.findIndex((b: { count: number }) => b.count > 0);
    expect(bucket).toBeGreaterThanOrEqual(0);
    await page.goto(`/bang-dieu-khien?${PERIOD_QUERY}`);
    const ageChart = page.locator('[data-chart="overdue-age"]');
    await ageChart.getByText('Số liệu của biểu đồ').click();
    await ageChart.getByRole('row', { name: overdue.buckets[bucket].label }).getByRole('link').click();
    await showsText(page.getByTestId('age-filter'), new RegExp(overdue.buckets[bucket].label));
    await showsText(
      page.getByTestId('overdue-count'),
      new RegExp(`trên tổng số ${vi(overdue.buckets[bucket].count).replace(/\./g, '\\.')} hồ sơ`),
    );
    // the list shows that bucket's dossiers, not the most overdue ones
    const chosen = overdue.buckets[bucket] as { above: number; upTo: number | null; count: number };
    const list = page.getByRole('table', { name: 'Hồ sơ đang quá hạn', exact: true });
    await shown(list.getByRole('row').nth(1));
    const days = (await list.locator('tbody tr td:last-child').allInnerTexts()).map((d) => Number(d.replace(',', '.')));
    expect(days).toHaveLength(Math.min(20, chosen.count));
    for (const d of days) {
      expect((d > chosen.above || bucket === 0) && (chosen.upTo === null || d <= chosen.upTo)).toBe(true);
    }
    await expectAccessible(page, 'dashboard (age filter)');
    await screenshot(page, 'dashboard-overdue-age');
  }, 120_000);

  it('shows a division head only their division', async () => {
    const expected = await apiProgress('division-head');
    const { page } = await newSession(browser, product);
    await signIn(page, 'division-head');
    await page.goto(`/bang-dieu-khien?${PERIOD_QUERY}`);
    await showsText(page.locator('.page-intro'), /000\.12\.01\.H36/);
    expect(await tileValue(page, 'Tiếp nhận')).toBe(expected.total.counts.total);
    expect(expected.unit.code).toBe('000.12.01.H36');
    await screenshot(page, 'dashboard-division-head');
    await page.goto(`/bang-dieu-khien?${PERIOD_QUERY}&donVi=000.00.20.H36`);
    await shown(page.getByRole('alert'));
    expect(await page.getByRole('link', { name: /^Tiếp nhận: / }).count()).toBe(0);
  }, 60_000);

  it('prints the progress table and exports it as real CSV and XLSX files', async () => {
    const expected = await apiProgress('head');
    const { page } = await newSession(browser, product);
    await signIn(page, 'head');
    await page.goto(`/bao-cao?${PERIOD_QUERY}`);
    await shown(page.getByRole('heading', { name: 'Báo cáo tiến độ', level: 1 }));
    const table = page.getByRole('table', { name: /Tiến độ giải quyết theo đơn vị/ });
    await shown(table);
    const totalRow = table.getByRole('row', { name: /Tổng cộng/ });
    await showsText(totalRow, new RegExp(expected.total.counts.total.toLocaleString('vi-VN').replace(/\./g, '\\.')));
    await expectAccessible(page, 'report');
    await screenshot(page, 'report-head');

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Xuất CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const csvText = readFileSync(await csv.path(), 'utf8');
    expect(csvText).toContain(String(expected.total.counts.total));
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Xuất Excel (XLSX)' }).click(),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = readFileSync(await xlsx.path());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    await page.getByRole('combobox', { name: 'Tổng hợp theo' }).selectOption('step');
    await shown(page.getByRole('table', { name: /Tiến độ giải quyết theo bước xử lý/ }));
    expect(page.url()).toContain('theo=step');

    await page.getByRole('combobox', { name: 'Tổng hợp theo' }).selectOption('unit');
    await shown(page.getByRole('table', { name: /Tiến độ giải quyết theo đơn vị/ }));
    await page.getByRole('button', { name: 'Khóa sổ kỳ này' }).click();
    const dialog = page.getByRole('dialog', { name: 'Khóa sổ kỳ báo cáo' });
    await showsText(dialog, /sẽ được đóng băng và công bố/);
    await screenshot(page, 'report-close-confirm');
    await dialog.getByRole('button', { name: 'Khóa sổ' }).click();
    await shown(page.getByTestId('report-published'));
    await screenshot(page, 'report-published');
  }, 120_000);
});
