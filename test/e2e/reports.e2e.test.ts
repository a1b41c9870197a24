import { Client, Connection } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { brokenIdentities, type ProgressCounts } from '../../libs/domain/src';
import { dataSourceOptions, generatePeriod, type PeriodFigures } from '../../libs/persistence/src';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';
import { temporalDataConverter } from '../../libs/config/src';

/** Midnight of a local (UTC+7) date, as an instant. */
const local = (date: string): Date => new Date(`${date}T00:00:00+07:00`);
const dayAfter = (date: string): Date => new Date(local(date).getTime() + 86_400_000);

/** The published figures of domain §6, as histories the generator reproduces. */
const LAM_DONG_2019_10: PeriodFigures = {
  unitCode: '000.20.01.H36',
  procedureCode: '2.000908',
  from: local('2019-10-01'),
  to: dayAfter('2019-10-31'),
  carriedOver: 3_320,
  newByChannel: { IN_PERSON: 11_041, ONLINE: 4_800, POSTAL: 200 },
  fates: { EARLY: 13_529, ON_TIME: 1_958, LATE: 154, OVERDUE: 12, PAUSED_SUPPLEMENT: 40, WITHDRAWN: 25, REFUSED: 3 },
};
const NORTHERN_2023_24: PeriodFigures = {
  unitCode: '000.20.02.H36',
  procedureCode: '2.000908',
  from: local('2023-12-15'),
  to: dayAfter('2024-05-14'),
  carriedOver: 2_101,
  newByChannel: { IN_PERSON: 47_090, ONLINE: 49_500, POSTAL: 500 },
  fates: { EARLY: 90_348, ON_TIME: 15, LATE: 994, PAUSED_PAYMENT: 30 },
};
const VINH_PHUC_2021_09: PeriodFigures = {
  unitCode: '000.31.01.H36',
  procedureCode: '2.000908',
  from: local('2021-09-01'),
  to: dayAfter('2021-09-30'),
  carriedOver: 2_171,
  newByChannel: { IN_PERSON: 2_131, ONLINE: 2_000, POSTAL: 0 },
  fates: { EARLY: 4_100, ON_TIME: 57, LATE: 12, WITHDRAWN: 90, OVERDUE: 5 },
};

interface Line {
  key: string;
  name: string;
  counts: ProgressCounts;
  resolvedShares: { early: number; onTime: number; late: number };
  onTimeRate: number;
}

/** Reports over HTTP on histories that reproduce published provincial figures (domain §6). */
describe('progress reports (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    // A daily refresh, so the schedule cannot fire by itself while the tests expect no rollups yet.
    product = await startProduct({ overrides: { REPORT_ROLLUP_INTERVAL_MINUTES: '1440' } });
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
    const [{ id }] = await db.query<{ id: string }[]>(`SELECT id FROM officers WHERE username = 'clerk'`);
    for (const [i, figures] of [LAM_DONG_2019_10, NORTHERN_2023_24, VINH_PHUC_2021_09].entries()) {
      await generatePeriod(db, figures, { receivedBy: id, seed: 1000 + i });
    }
    for (const u of ['head', 'commune-chair', 'admin', 'clerk', 'auditor']) {
      tokens[u] = await product.token(u);
    }
  }, 180_000);

  afterAll(async () => {
    await db?.destroy();
    await product?.stop();
  });

  /** A Temporal client on the product's namespace, closed afterwards. */
  const withTemporal = async (use: (client: Client) => Promise<void>): Promise<void> => {
    const connection = await Connection.connect({ address: product.config.TEMPORAL_ADDRESS });
    try {
      await use(
        new Client({
          connection,
          namespace: product.config.TEMPORAL_NAMESPACE,
          dataConverter: temporalDataConverter(product.config),
        }),
      );
    } finally {
      await connection.close();
    }
  };

  const progress = (user: string, query: string, headers: Record<string, string> = {}) =>
    product.request('GET', `/api/v1/reports/progress?${query}`, { token: tokens[user], headers });

  const expectConsistent = (lines: Line[]): void => {
    for (const line of lines) {
      expect({ key: line.key, broken: brokenIdentities(line.counts) }).toEqual({ key: line.key, broken: [] });
    }
  };

  it('prints Lâm Đồng province centre, 10/2019: 19,361 = 16,041 new + 3,320 carried; 15,641 resolved', async () => {
    const res = await progress('head', 'from=2019-10-01&to=2019-10-31&unit=000.20.01.H36');
    expect(res.status).toBe(200);
    const total: Line = res.body.total;
    expect(total.counts).toMatchObject({
      total: 19_361,
      carriedOver: 3_320,
      resolved: 15_641,
      early: 13_529,
      onTime: 1_958,
      late: 154,
    });
    expect(total.counts.newOnline + total.counts.newInPerson + total.counts.newPostal).toBe(16_041);
    expect(total.resolvedShares.early).toBeCloseTo(86.5, 1);
    expect(total.resolvedShares.onTime).toBeCloseTo(12.5, 1);
    expect(total.resolvedShares.late).toBeCloseTo(1.0, 1);
    expectConsistent([...res.body.rows, total]);
  });

  it('lists behind every figure of the table exactly the dossiers it counts (the dashboard drill-down)', async () => {
    const period = 'from=2021-09-01&to=2021-09-30&unit=000.31.01.H36';
    const c: Record<string, number> = (await progress('commune-chair', period)).body.total.counts;
    const expected: Record<string, number> = {
      ...c,
      new: c.newOnline + c.newInPerson + c.newPostal,
    };
    for (const figure of ['total', 'carriedOver', 'new', 'newOnline', 'late', 'withdrawn', 'overdue', 'paused']) {
      const res = await product.request(
        'GET',
        `/api/v1/reports/progress/dossiers?${period}&figure=${figure}&limit=500`,
        {
          token: tokens['commune-chair'],
        },
      );
      expect({ figure, status: res.status, total: res.body.total }).toEqual({
        figure,
        status: 200,
        total: expected[figure],
      });
      expect(res.body.items.length).toBe(Math.min(500, expected[figure]));
    }
    const late = await product.request('GET', `/api/v1/reports/progress/dossiers?${period}&figure=late&limit=500`, {
      token: tokens['commune-chair'],
    });
    expect(new Set(late.body.items.map((i: { bucket: string }) => i.bucket))).toEqual(new Set(['LATE']));
    const outside = await product.request(
      'GET',
      '/api/v1/reports/progress/dossiers?from=2021-09-01&to=2021-09-30&unit=000.20.01.H36&figure=late',
      { token: tokens['commune-chair'] },
    );
    expect(outside.status).toBe(403);
    const bad = await product.request('GET', `/api/v1/reports/progress/dossiers?${period}&figure=nope`, {
      token: tokens['commune-chair'],
    });
    expect(bad.status).toBe(422);
  });

  it('gives the month-by-month series in one call, each month equal to its own progress table', async () => {
    const unit = 'unit=000.20.02.H36';
    const res = await product.request('GET', `/api/v1/reports/progress/monthly?from=2023-12-15&to=2024-05-14&${unit}`, {
      token: tokens.head,
    });
    expect(res.status).toBe(200);
    const months: { period: { from: string; to: string }; counts: ProgressCounts; onTimeRate: number }[] =
      res.body.months;
    // the months the period meets, clipped to it
    expect(months.map((m) => [m.period.from, m.period.to])).toEqual([
      ['2023-12-15', '2023-12-31'],
      ['2024-01-01', '2024-01-31'],
      ['2024-02-01', '2024-02-29'],
      ['2024-03-01', '2024-03-31'],
      ['2024-04-01', '2024-04-30'],
      ['2024-05-01', '2024-05-14'],
    ]);
    for (const m of months) {
      const table = (await progress('head', `from=${m.period.from}&to=${m.period.to}&${unit}`)).body.total;
      expect({ month: m.period.from, counts: m.counts, rate: m.onTimeRate }).toEqual({
        month: m.period.from,
        counts: table.counts,
        rate: table.onTimeRate,
      });
    }
    // every dossier resolved in the period was resolved in one of its months
    expect(months.reduce((n, m) => n + m.counts.resolved, 0)).toBe(91_357);
    const bad = await product.request('GET', `/api/v1/reports/progress/monthly?from=2024-05-14&to=2023-12-15`, {
      token: tokens.head,
    });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('to');
  });

  it('prints the northern province, 15/12/2023–14/05/2024: 99,191 received, 91,357 resolved', async () => {
    const res = await progress('admin', 'from=2023-12-15&to=2024-05-14&unit=000.20.02.H36');
    const total: Line = res.body.total;
    expect(total.counts).toMatchObject({ total: 99_191, carriedOver: 2_101, resolved: 91_357 });
    expect(total.counts).toMatchObject({ early: 90_348, onTime: 15, late: 994 });
    expect(total.resolvedShares).toEqual({ early: 98.9, onTime: 0.02, late: 1.09 });
    expectConsistent([total]);
  });

  it('prints Vĩnh Phúc 9/2021 (99.71 % of those due on time; 90 withdrawn) and the other formulas', async () => {
    const query = 'from=2021-09-01&to=2021-09-30&unit=000.31.01.H36';
    const res = await progress('commune-chair', query);
    const c: ProgressCounts = res.body.total.counts;
    expect(c).toMatchObject({ total: 6_302, carriedOver: 2_171, late: 12, withdrawn: 90 });
    expect(c.early + c.onTime).toBe(4_157);
    expect(res.body.formula.code).toBe('RESOLVED');
    expect(res.body.total.onTimeRate).toBe(99.71);

    const total = await progress('commune-chair', `${query}&formula=TOTAL`);
    expect(total.body.total.onTimeRate).toBe(Math.round((100 - (100 * (12 + 5)) / 6_302) * 100) / 100);
    const index = await progress('commune-chair', `${query}&formula=INDEX_766`);
    expect(index.body.formula.label).toMatch(/766/);
    // Within the deadline over the dossiers resolved or being resolved: the 90 withdrawn are on neither side.
    expect(index.body.total.onTimeRate).toBe(Math.round(((6_302 - 90 - 12 - 5) / (6_302 - 90)) * 10_000) / 100);
    expect(index.body.total.onTimeRate).toBe(99.73);
  });

  it('gives a head the sub-unit rows of their subtree that add up, and nothing outside it', async () => {
    const res = await progress('head', 'from=2019-10-01&to=2019-10-31&unit=000.00.20.H36');
    const rows: Line[] = res.body.rows;
    expect(rows.map((r) => r.key)).toEqual(['000.20.01.H36', '000.20.02.H36']);
    const sum = (k: keyof ProgressCounts) => rows.reduce((s, r) => s + r.counts[k], 0);
    for (const k of Object.keys(res.body.total.counts) as (keyof ProgressCounts)[]) {
      expect({ k, sum: sum(k) }).toEqual({ k, sum: res.body.total.counts[k] });
    }
    expect(res.body.total.counts.total).toBe(19_361);
    expectConsistent([...rows, res.body.total]);

    const outside = await progress('head', 'from=2021-09-01&to=2021-09-30&unit=000.31.01.H36');
    expect(outside.status).toBe(403);
    const other = await progress('commune-chair', 'from=2019-10-01&to=2019-10-31&unit=000.00.20.H36');
    expect(other.status).toBe(403);
    const ownOnly = await progress('commune-chair', 'from=2019-10-01&to=2019-10-31');
    expect(ownOnly.body.unit.code).toBe('000.31.01.H36');
    expect(ownOnly.body.total.counts.total).toBe(0);
    expect((await progress('clerk', 'from=2019-10-01&to=2019-10-31')).status).toBe(403);
    const province = await progress('auditor', 'from=2019-10-01&to=2019-10-31&unit=000.00.00.H36&groupBy=procedure');
    expect(province.body.rows).toEqual([
      expect.objectContaining({ key: '2.000908', counts: expect.objectContaining({ total: 19_361 }) }),
    ]);
  });

  it('refuses a malformed period naming the field and the rule', async () => {
    const res = await progress('head', 'from=2019-10-31&to=2019-10-01&groupBy=applicant');
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['groupBy']);
    const reversed = await progress('head', 'from=2019-10-31&to=2019-10-01');
    expect(reversed.status).toBe(422);
    expect(reversed.body.errors).toEqual([expect.objectContaining({ field: 'to' })]);
  });

  it('exports the table as CSV and as a real XLSX workbook with Vietnamese headings', async () => {
    const query = 'from=2019-10-01&to=2019-10-31&unit=000.00.20.H36';
    const csv = await progress('head', query, { Accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toContain('Tổng số hồ sơ,Kỳ trước chuyển qua');
    expect(lines.at(-1)).toMatch(/^,Tổng cộng,19361,3320,/);

    const xlsx = await progress('head', `${query}&format=xlsx`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A1').value).toBe('BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH');
    const header = sheet.getRow(6).values as unknown[];
    expect(header.slice(1, 5)).toEqual(['Mã', 'Đơn vị', 'Tổng số hồ sơ', 'Kỳ trước chuyển qua']);
    const last = sheet.getRow(sheet.rowCount).values as unknown[];
    expect(last.slice(2, 5)).toEqual(['Tổng cộng', 19_361, 3_320]);
  });

  it('3. An extended dossier is not "on time": late with apology is its own column, in the API, CSV and XLSX', async () => {
    // A commune with no published figures: one dossier resolved after its promised time, though before the new time
    // of its apology letter (form 04), and one resolved late with no letter.
    const [{ id: clerk }] = await db.query<{ id: string }[]>(`SELECT id FROM officers WHERE username = 'clerk'`);
    for (const [code, extended] of [
      ['000.31.02.H36-200601-0001', true],
      ['000.31.02.H36-200601-0002', false],
    ] as const) {
      await db.query(
        `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                               applicant_name, national_status, received_at, received_by, state, finished_at, extended)
         VALUES ($1, '000.31.02.H36', '2.000908', 'ONLINE', 'INDIVIDUAL', '001203004567', 'Trần Thị Bình', 10,
                 '2020-05-04T09:00:00+07:00', $2, 'RESULT_RETURNED', '2020-06-19T10:00:00+07:00', $3)`,
        [code, clerk, extended],
      );
      await db.query(
        `INSERT INTO dossier_facts (dossier_code, unit_code, procedure_code, field, channel, received_at, due_at,
                                    finished_at, outcome, timeliness, extended, original_due_at, recorded_at)
         VALUES ($1, '000.31.02.H36', '2.000908', '', 'ONLINE', '2020-05-04T09:00:00+07:00', $2,
                 '2020-06-19T10:00:00+07:00', 'APPROVED', 'LATE', $3, $4, now())`,
        [
          code,
          extended ? '2020-06-23T09:00:00+07:00' : '2020-06-16T09:00:00+07:00',
          extended,
          extended ? '2020-06-16T09:00:00+07:00' : null,
        ],
      );
    }
    const query = 'from=2020-06-01&to=2020-06-30&unit=000.31.02.H36';
    const res = await progress('admin', query);
    expect(res.body.total.counts).toMatchObject({ resolved: 2, late: 2, lateWithApology: 1 });
    expectConsistent([res.body.total]);

    const csv = ((await progress('admin', query, { Accept: 'text/csv' })).body as Buffer).toString('utf8');
    const [header, ...lines] = csv.trim().split('\r\n');
    const column = header.split(',').indexOf('Trong đó: quá hạn có văn bản xin lỗi');
    expect(header.split(',')[column - 1]).toBe('Quá hạn');
    expect(lines.at(-1)?.split(',')[column]).toBe('1');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await progress('admin', `${query}&format=xlsx`)).body);
    const sheet = book.worksheets[0];
    const headings = (sheet.getRow(6).values as unknown[]).slice(1);
    const totals = (sheet.getRow(sheet.rowCount).values as unknown[]).slice(1);
    expect(totals[headings.indexOf('Trong đó: quá hạn có văn bản xin lỗi')]).toBe(1);
  });

  it('refreshes the rollups through the Temporal Schedule and answers the same figures from them', async () => {
    await withTemporal(async (client) => {
      const schedule = client.schedule.getHandle('report-rollups');
      const description = await eventually(() => schedule.describe(), 'the rollup schedule created at boot');
      expect(description.spec.intervals).toEqual([expect.objectContaining({ every: 1440 * 60_000 })]);
      expect(await progress('head', 'from=2019-10-01&to=2019-10-31&source=rollups')).toMatchObject({ status: 409 });

      await schedule.trigger();
      await eventually(async () => {
        const [{ n }] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM report_rollup_runs`);
        return n > 0 ? n : undefined;
      }, 'a rollup run started by the schedule');

      for (const query of [
        'from=2019-10-01&to=2019-10-31&unit=000.00.20.H36', // a whole month: monthly rows
        'from=2023-12-15&to=2024-05-14&unit=000.00.20.H36', // partial months at both ends: daily and monthly rows
        'from=2019-10-10&to=2019-10-20&unit=000.00.00.H36', // inside one month: daily rows only
      ]) {
        const facts = await progress('admin', query);
        const rollups = await progress('admin', `${query}&source=rollups`);
        expect(rollups.body.source).toBe('rollups');
        expect(rollups.body.rows).toEqual(facts.body.rows);
        expect(rollups.body.total).toEqual(facts.body.total);
      }
      const byProcedure = await progress('admin', 'from=2019-10-01&to=2019-10-31&groupBy=procedure&source=rollups');
      expect(byProcedure.body.errors).toEqual([expect.objectContaining({ field: 'source' })]);
      const rate766 = await progress('admin', 'from=2019-10-01&to=2019-10-31&formula=INDEX_766&source=rollups');
      expect(rate766.status).toBe(422);
      expect(rate766.body.errors).toEqual([{ field: 'formula', message: 'INDEX_766 needs source=facts' }]);
    });
  });

  it('freezes a closed period and shows facts that arrive later as adjustments of the next one', async () => {
    const october = { unit: '000.20.01.H36', from: '2019-10-01', to: '2019-10-31' };
    expect(
      (await product.request('POST', '/api/v1/reports/closings', { token: tokens.clerk, body: october })).status,
    ).toBe(403);
    const closed = await product.request('POST', '/api/v1/reports/closings', { token: tokens.head, body: october });
    expect(closed.status).toBe(201);
    expect(closed.body.closed).toEqual({ closedAt: expect.any(String), closedBy: 'head' });
    expect(closed.body.total.counts).toMatchObject({ total: 19_361, late: 154 });
    const again = await product.request('POST', '/api/v1/reports/closings', {
      token: tokens.head,
      body: { ...october, from: '2019-10-15', to: '2019-11-15' },
    });
    expect(again.status).toBe(409);

    // A dossier still in progress at the end of October turns out, late, to have been resolved late on 20/10.
    const [{ dossier_code: late }] = await db.query<{ dossier_code: string }[]>(
      `SELECT dossier_code FROM dossier_facts
       WHERE unit_code = $1 AND finished_at IS NULL AND overdue_at IS NULL AND paused_from IS NULL
         AND received_at < '2019-10-15T00:00:00+07:00' LIMIT 1`,
      [october.unit],
    );
    await db.query(
      `UPDATE dossier_facts SET finished_at = '2019-10-20T10:00:00+07:00', outcome = 'APPROVED', timeliness = 'LATE',
              recorded_at = now() WHERE dossier_code = $1`,
      [late],
    );

    const published = await progress('head', `from=${october.from}&to=${october.to}&unit=${october.unit}`);
    expect(published.body.closed.closedBy).toBe('head');
    expect(published.body.total).toEqual(closed.body.total);
    const november = await progress('head', `from=2019-11-01&to=2019-11-30&unit=${october.unit}`);
    expect(november.body.closed).toBeUndefined();
    expect(november.body.adjustments).toEqual({
      period: { from: '2019-10-01', to: '2019-10-31' },
      closedAt: closed.body.closed.closedAt,
      rows: [
        {
          key: october.unit,
          name: expect.any(String),
          changes: { late: 1, resolved: 1, withinDeadline: -1, inProgress: -1 },
        },
      ],
      total: { late: 1, resolved: 1, withinDeadline: -1, inProgress: -1 },
    });
  });

  it('closes last month for the top units when the month-end schedule fires, once', async () => {
    await withTemporal(async (client) => {
      const schedule = client.schedule.getHandle('report-month-close');
      const description = await eventually(() => schedule.describe(), 'the month-end schedule created at boot');
      expect(description.spec.timezone).toBe('Asia/Ho_Chi_Minh');
      expect(description.spec.calendars?.[0]).toMatchObject({
        dayOfMonth: [{ start: 1, end: 1, step: 1 }],
        hour: [{ start: 1, end: 1, step: 1 }],
      });
      const closings = async (): Promise<{ unit_code: string; period_from: string; closed_by: string }[]> =>
        db.query(
          `SELECT unit_code, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to,
                  closed_by FROM report_closings WHERE closed_by = 'schedule'`,
        );
      await schedule.trigger();
      const [closing] = await eventually(async () => {
        const rows = await closings();
        return rows.length > 0 ? rows : undefined;
      }, 'last month closed by the schedule');
      const today = new Date(Date.now() + 7 * 3_600_000);
      const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
      const last = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0));
      const month = { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
      expect(closing).toEqual({
        unit_code: '000.00.00.H36',
        period_from: month.from,
        period_to: month.to,
        closed_by: 'schedule',
      });

      const published = await progress('admin', `from=${month.from}&to=${month.to}&unit=000.00.00.H36`);
      expect(published.body.closed).toEqual({ closedAt: expect.any(String), closedBy: 'schedule' });
      const completedRuns = async (atLeast: number): Promise<number | undefined> => {
        const { count } = await client.workflow.count(
          `WorkflowType = 'reportMonthCloseWorkflow' AND ExecutionStatus = 'Completed'`,
        );
        return count >= atLeast ? count : undefined;
      };
      // The schedule skips a trigger while a run is still going: the first must have finished, not just written.
      await eventually(() => completedRuns(1), 'the first closing run finished');
      await schedule.trigger();
      await eventually(() => completedRuns(2), 'the second closing run finished');
      expect(await closings()).toHaveLength(1);
    });
  });

  it('computes the 766 indicators the engine can, and says which it cannot yet', async () => {
    const res = await product.request('GET', '/api/v1/reports/index-766?from=2021-09-01&to=2021-09-30', {
      token: tokens['commune-chair'],
    });
    expect(res.status).toBe(200);
    const { indicators, averageProcessingTime } = res.body;
    // Decision 766: the withdrawn dossiers (90) are neither within the deadline nor counted against it.
    expect(indicators.onTimeRate).toMatchObject({
      numerator: 6_302 - 90 - 12 - 5,
      denominator: 6_302 - 90,
      value: 99.73,
    });
    expect(indicators.onlineSubmissionShare).toEqual({
      value: 48.41,
      unit: '%',
      numerator: 2_000,
      denominator: 4_131,
      target: 50,
    });
    expect(indicators.electronicResultShare.value).toBeNull();
    expect(indicators.syncedShare).toEqual({ value: null, note: expect.stringMatching(/PORTAL_SYNC_URL/) });
    expect(averageProcessingTime).toEqual([
      expect.objectContaining({ procedure: expect.objectContaining({ code: '2.000908' }), resolved: 4_169 }),
    ]);
    expect(averageProcessingTime[0].averageWorkingDays).toBeGreaterThan(0);
    // the indicators alone (the dashboard's call): the same figures, no averages
    const only = await product.request(
      'GET',
      '/api/v1/reports/index-766?from=2021-09-01&to=2021-09-30&averages=false',
      {
        token: tokens['commune-chair'],
      },
    );
    expect({ indicators: only.body.indicators, averages: only.body.averageProcessingTime }).toEqual({
      indicators,
      averages: [],
    });
  });

  describe('what is late now, what will be, and who held it', () => {
    const DAY = 86_400_000;
    const now = Date.now();
    const at = (days: number): Date => new Date(now + days * DAY);

    beforeAll(async () => {
      const [{ clerk }] = await db.query<{ clerk: string }[]>(
        `SELECT id AS clerk FROM officers WHERE username = 'clerk'`,
      );
      const [{ specialist }] = await db.query<{ specialist: string }[]>(
        `SELECT id AS specialist FROM officers WHERE username = 'specialist'`,
      );
      const [version] = await db.query<{ id: string; case_code: string }[]>(
        `SELECT id, definition->'cases'->0->>'code' AS case_code FROM procedure_versions
         WHERE procedure_code = '2.000908' ORDER BY effective_from DESC LIMIT 1`,
      );
      // Dossiers in processing, written as their workflows' projections would be: [code, due, step, step unit, step due]
      const open: [string, Date, string, string, Date, string | null][] = [
        ['000.00.12.H36-990201-0001', at(-20), 'S05', '000.12.01.H36', at(-25), specialist],
        ['000.00.12.H36-990201-0002', at(7), 'S03', '000.00.12.H36', at(1), null],
        ['000.00.12.H36-990201-0003', at(30), 'S08', '000.00.00.H36', at(5), null],
      ];
      for (const [code, due, step, unit, stepDue, holder] of open) {
        await db.query(
          `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, procedure_version_id, case_code, channel,
                                 applicant_type, applicant_id_number, applicant_name, national_status, received_at,
                                 received_by, state, current_step_no, current_step_code, current_step_name,
                                 current_unit_code, holder_id, promised_at, due_at)
           VALUES ($1, '000.00.12.H36', '2.000908', $2, $3, 'IN_PERSON', 'INDIVIDUAL', '001203004567', 'Nguyễn Văn An',
                   4, $4, $5, 'IN_PROGRESS', $6, $7::varchar, 'Bước ' || $7::varchar, $8, $9, $10, $10)`,
          [code, version.id, version.case_code, at(-45), clerk, Number(step.slice(1)), step, unit, holder, due],
        );
        await db.query(
          `INSERT INTO dossier_steps (dossier_code, no, code, name, unit_code, role, counted, holder_id, holder_name,
                                      started_at, budget_ms, due_at, as_of_seq)
           VALUES ($1, $2, $3::varchar, 'Bước ' || $3::varchar, $4, 'SPECIALIST', true, $5, NULL, $6, 0, $7, 1)`,
          [code, Number(step.slice(1)), step, unit, holder, at(-30), stepDue],
        );
      }
      // A step the specialist finished 7 days after its due time, on a dossier since resolved.
      await db.query(
        `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                               applicant_name, national_status, received_at, received_by, state, finished_at)
         VALUES ('000.00.12.H36-990201-0004', '000.00.12.H36', '2.000908', 'ONLINE', 'INDIVIDUAL', '001203004567',
                 'Trần Thị Bình', 10, $1, $2, 'RESULT_RETURNED', $3)`,
        [at(-40), clerk, at(-2)],
      );
      await db.query(
        `INSERT INTO dossier_steps (dossier_code, no, code, name, unit_code, role, counted, holder_id, holder_name,
                                    started_at, budget_ms, due_at, completed_at, result, as_of_seq)
         VALUES ('000.00.12.H36-990201-0004', 5, 'S05', 'Thẩm định', '000.12.01.H36', 'SPECIALIST', true, $1,
                 'Lê Minh Châu', $2, 0, $3, $4, 'LATE', 1)`,
        [specialist, at(-35), at(-10), at(-3)],
      );
      tokens['division-head'] = await product.token('division-head');
      tokens['dept-leader'] = await product.token('dept-leader');
    });

    it('lists the overdue dossiers by age, with the unit and officer holding each, within the caller’s scope', async () => {
      const res = await product.request('GET', '/api/v1/reports/overdue', { token: tokens['dept-leader'] });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          code: '000.00.12.H36-990201-0001',
          step: expect.objectContaining({ code: 'S05', unitCode: '000.12.01.H36' }),
          holder: { officerId: expect.any(String), name: 'Lê Minh Châu' },
          overdueWorkingDays: expect.any(Number),
        }),
      ]);
      expect(res.body.items[0].overdueWorkingDays).toBeGreaterThan(10);
      expect(res.body.buckets.map((b: { count: number }) => b.count)).toEqual([0, 0, 0, 0, 1]);
      // one age bucket narrows the list (the buckets stay those of the whole list)
      const oldest = await product.request('GET', '/api/v1/reports/overdue?age=4', { token: tokens['dept-leader'] });
      expect({ total: oldest.body.total, codes: oldest.body.items.map((i: { code: string }) => i.code) }).toEqual({
        total: 1,
        codes: ['000.00.12.H36-990201-0001'],
      });
      expect(oldest.body.buckets).toEqual(res.body.buckets);
      const newest = await product.request('GET', '/api/v1/reports/overdue?age=0', { token: tokens['dept-leader'] });
      expect({ total: newest.body.total, items: newest.body.items }).toEqual({ total: 0, items: [] });
      const bad = await product.request('GET', '/api/v1/reports/overdue?age=5', { token: tokens['dept-leader'] });
      expect(bad.status).toBe(422);
      expect(JSON.stringify(bad.body)).toContain('age must be between 0 and 4');
      // The specialist's division head sees it too (held there); a commune does not.
      const division = await product.request('GET', '/api/v1/reports/overdue', { token: tokens['division-head'] });
      expect(division.body.items.map((i: { code: string }) => i.code)).toEqual(['000.00.12.H36-990201-0001']);
      const commune = await product.request('GET', '/api/v1/reports/overdue', { token: tokens['commune-chair'] });
      // The commune's own (generated) dossiers only, none of the department's.
      expect(new Set(commune.body.items.map((i: { receivingUnitCode: string }) => i.receivingUnitCode))).toEqual(
        new Set(['000.31.01.H36']),
      );
      const outside = await product.request('GET', '/api/v1/reports/overdue?unit=000.00.12.H36', {
        token: tokens.head,
      });
      expect(outside.status).toBe(403);
    });

    it('lists as at risk a dossier whose remaining steps need more working time than it has left', async () => {
      const res = await product.request('GET', '/api/v1/reports/at-risk', { token: tokens['dept-leader'] });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { code: string }) => i.code)).toEqual(['000.00.12.H36-990201-0002']);
      const [risk] = res.body.items;
      expect(risk.remainingStepsWorkingDays).toBeGreaterThanOrEqual(28);
      expect(risk.remainingWorkingDays).toBeLessThan(6);
      expect(risk.shortfallWorkingDays).toBeCloseTo(risk.remainingStepsWorkingDays - risk.remainingWorkingDays, 1);
    });

    it('14. Attribution when no step overran: charges a late dossier to the step that held it at its due time', async () => {
      const [{ clerk }] = await db.query<{ clerk: string }[]>(
        `SELECT id AS clerk FROM officers WHERE username = 'clerk'`,
      );
      const [{ specialist }] = await db.query<{ specialist: string }[]>(
        `SELECT id AS specialist FROM officers WHERE username = 'specialist'`,
      );
      // Due 55 days ago, resolved 50 days ago. No step overran: the specialist's step was sent back from the check
      // and started again with a fresh budget, and the specialist held the dossier when its due time passed.
      const code = '000.00.12.H36-990201-0005';
      await db.query(
        `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                               applicant_name, national_status, received_at, received_by, state, finished_at)
         VALUES ($1, '000.00.12.H36', '2.000908', 'ONLINE', 'INDIVIDUAL', '001203004567', 'Trần Thị Bình', 10, $2, $3,
                 'RESULT_RETURNED', $4)`,
        [code, at(-90), clerk, at(-50)],
      );
      await db.query(
        `INSERT INTO dossier_facts (dossier_code, unit_code, procedure_code, field, channel, received_at, due_at,
                                    overdue_at, finished_at, outcome, timeliness, recorded_at)
         VALUES ($1, '000.00.12.H36', '2.000908', '', 'ONLINE', $2, $3, $3, $4, 'APPROVED', 'LATE', now())`,
        [code, at(-90), at(-55), at(-50)],
      );
      const steps: [number, string, string | null, number, number, number, string][] = [
        [1, 'S05', specialist, -85, -60, -62, 'COMPLETED'],
        [2, 'S06', null, -62, -61, -61.5, 'RETURNED'],
        [3, 'S05', specialist, -61.5, -45, -52, 'COMPLETED'],
        [4, 'S06', null, -52, -51, -51.5, 'COMPLETED'],
      ];
      for (const [no, step, holder, started, due, completed, exit] of steps) {
        await db.query(
          `INSERT INTO dossier_steps (dossier_code, no, code, name, unit_code, role, counted, holder_id, holder_name,
                                      started_at, budget_ms, due_at, completed_at, result, exit, as_of_seq)
           VALUES ($1, $2, $3::varchar, 'Bước ' || $3::varchar, '000.12.01.H36', 'SPECIALIST', true, $4, NULL, $5, 0,
                   $6, $7, 'ON_TIME', $8, 1)`,
          [code, no, step, holder, at(started), at(due), at(completed), exit],
        );
      }

      const from = at(-75).toISOString().slice(0, 10);
      const to = at(-45).toISOString().slice(0, 10);
      const res = await product.request('GET', `/api/v1/reports/attribution?from=${from}&to=${to}`, {
        token: tokens['dept-leader'],
      });
      expect(res.status).toBe(200);
      expect(res.body.rows).toEqual([
        expect.objectContaining({ unitCode: '000.12.01.H36', stepCode: 'S05', lateSteps: 0, heldAtDue: 1 }),
      ]);
      expect(res.body.rows[0].lateWorkingDays).toBeGreaterThan(2);
      expect(res.body.rows[0].officers).toEqual([
        expect.objectContaining({ name: 'Lê Minh Châu', lateSteps: 0, heldAtDue: 1 }),
      ]);
    });

    it('charges late working days to the unit, step and officer that held the step', async () => {
      const from = new Date(now - 30 * DAY).toISOString().slice(0, 10);
      const to = new Date(now).toISOString().slice(0, 10);
      const res = await product.request('GET', `/api/v1/reports/attribution?from=${from}&to=${to}`, {
        token: tokens['dept-leader'],
      });
      expect(res.status).toBe(200);
      const s05 = res.body.rows.find((r: { stepCode: string }) => r.stepCode === 'S05');
      expect(s05).toMatchObject({ unitCode: '000.12.01.H36', lateSteps: 2 });
      expect(s05.officers).toEqual([
        expect.objectContaining({ name: 'Lê Minh Châu', lateSteps: 2, lateWorkingDays: s05.lateWorkingDays }),
      ]);
      // 7 calendar days late when finished, plus the open one 25 days past its step's due time.
      expect(s05.lateWorkingDays).toBeGreaterThan(15);
      expect(res.body.rows.map((r: { unitCode: string }) => r.unitCode)).toEqual(['000.12.01.H36']);
    });
  });
});
