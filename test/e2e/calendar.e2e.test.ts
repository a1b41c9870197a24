import { Client } from 'pg';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

describe('working-time calendar over HTTP', () => {
  let product: RunningProduct;
  let clerk: string;
  let admin: string;

  beforeAll(async () => {
    product = await startProduct({ worker: false });
    clerk = await product.token('clerk');
    admin = await product.token('admin');
  });

  afterAll(async () => {
    await product?.stop();
  });

  const due = (query: string, token = clerk) => product.request('GET', `/api/v1/calendar/due?${query}`, { token });

  it('answers the due instant across Tết 2026 and says which days were skipped', async () => {
    const res = await due('from=2026-02-13T16:30:00%2B07:00&amount=3&unit=WD');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      anchor: '2026-02-13T16:30:00+07:00',
      due: '2026-02-25T16:30:00+07:00',
      scope: 'VN',
      scopes: ['VN'],
    });
    expect(res.body.holidaysSkipped.map((d: { date: string }) => d.date)).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
    ]);
  });

  it('skips Friday 2 Jan 2026 and works Saturday 10 Jan 2026 (New Year swap, letter 12729/VPCP-KGVX)', async () => {
    const newYear = await due('from=2025-12-31T16:00:00%2B07:00&amount=1&unit=WD');
    expect(newYear.body).toMatchObject({ due: '2026-01-05T16:00:00+07:00' });
    expect(newYear.body.holidaysSkipped.map((d: { date: string }) => d.date)).toEqual(['2026-01-01', '2026-01-02']);
    const makeUp = await due('from=2026-01-09T16:00:00%2B07:00&amount=1&unit=WD');
    expect(makeUp.body.due).toBe('2026-01-10T16:00:00+07:00');
  });

  it('applies the cut-off policies given in the query', async () => {
    const lastHour = await due('from=2026-03-17T16:10:00%2B07:00&amount=1&unit=WD&lastOfficeHour=true');
    // Counted from 07:00, the working day ends at its close (issue 15, item 7), not at 07:00 the next day.
    expect(lastHour.body).toMatchObject({ anchor: '2026-03-18T07:00:00+07:00', due: '2026-03-18T17:00:00+07:00' });
    const cutoff = await due('from=2026-03-20T15:05:00%2B07:00&amount=0&unit=WD&cutoffTime=15:00');
    expect(cutoff.body.due).toBe('2026-03-23T07:00:00+07:00');
  });

  it('measures elapsed working time', async () => {
    const res = await product.request(
      'GET',
      '/api/v1/calendar/elapsed?from=2026-02-13T16:30:00%2B07:00&to=2026-02-25T16:30:00%2B07:00',
      { token: clerk },
    );
    expect(res.body).toMatchObject({ workingDays: 3, workingHours: 24, workingMinutes: 1440, calendarDays: 12 });
  });

  it('names the field and rule of a bad query', async () => {
    const res = await due('from=2026-02-13T16:30:00&amount=0.3&unit=WEEK');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'from', message: 'from must be ISO 8601 with an offset, e.g. 2026-02-13T16:30:00+07:00' },
        { field: 'amount', message: 'amount must be a multiple of 0.25' },
        { field: 'unit', message: 'unit must be one of the following values: WD, WH, CD' },
      ]),
    );
    const scope = await due('from=2026-02-13T16:30:00%2B07:00&amount=1&unit=WD&scope=nowhere');
    expect(scope.status).toBe(422);
    expect(scope.body.errors[0].field).toBe('scope');
  });

  it('lets an admin move a holiday into a running year and the due dates follow at once', async () => {
    const before = await due('from=2026-11-25T09:00:00%2B07:00&amount=2&unit=WD&scope=H36');
    expect(before.body.due).toBe('2026-11-27T09:00:00+07:00');

    const forbidden = await product.request('PUT', '/api/v1/calendars/H36/2026', {
      token: clerk,
      body: { holidays: [], makeupWorkdays: [] },
    });
    expect(forbidden.status).toBe(403);

    const put = await product.request('PUT', '/api/v1/calendars/H36/2026', {
      token: admin,
      body: {
        holidays: [{ date: '2026-11-26', name: 'Ngày truyền thống tỉnh' }],
        makeupWorkdays: [],
        legalBasis: 'Quyết định của UBND tỉnh',
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.own).toMatchObject({ scope: 'H36', year: 2026, version: 1 });
    expect(put.body.effective.scopes).toEqual(['VN', 'H36']);
    expect(put.body.effective.holidays.map((d: { date: string }) => d.date)).toContain('2026-11-26');

    const after = await due('from=2026-11-25T09:00:00%2B07:00&amount=2&unit=WD&scope=H36');
    expect(after.body.due).toBe('2026-11-30T09:00:00+07:00');
    expect(after.body.holidaysSkipped).toEqual([{ date: '2026-11-26', name: 'Ngày truyền thống tỉnh' }]);
    // The nation is unaffected; an agency of the province inherits the province's day.
    expect((await due('from=2026-11-25T09:00:00%2B07:00&amount=2&unit=WD')).body.due).toBe('2026-11-27T09:00:00+07:00');
    expect((await due('from=2026-11-25T09:00:00%2B07:00&amount=2&unit=WD&scope=000.00.12.H36')).body.due).toBe(
      '2026-11-30T09:00:00+07:00',
    );

    const year = await product.request('GET', '/api/v1/calendars/VN/2026', { token: clerk });
    expect(year.body.effective.makeupWorkdays).toEqual([
      { date: '2026-01-10', name: 'Làm bù cho ngày 2/1' },
      { date: '2026-08-22', name: 'Làm bù cho ngày 31/8' },
    ]);
  });

  it('refuses a calendar year whose dates are malformed, outside the year or listed twice, and keeps the old one', async () => {
    const res = await product.request('PUT', '/api/v1/calendars/VN/2026', {
      token: admin,
      body: {
        holidays: [
          { date: '2026-02-30', name: 'x' },
          { date: '2027-01-01', name: 'y' },
          { date: '2026-05-01', name: 'z' },
        ],
        makeupWorkdays: [{ date: '2026-05-01', name: 'w' }],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { field: 'holidays[0].date', message: '"2026-02-30" is not a date YYYY-MM-DD' },
      { field: 'holidays[1].date', message: '2027-01-01 is not in 2026' },
      { field: 'makeupWorkdays[0].date', message: '2026-05-01 is listed twice (also in holidays)' },
    ]);
    const year = await product.request('GET', '/api/v1/calendars/VN/2026', { token: clerk });
    expect(year.body.own.version).toBe(1);
  });

  it('forgets a calendar changed behind its back (another instance, SQL) as soon as PostgreSQL announces it', async () => {
    const query = 'from=2032-06-01T09:00:00%2B07:00&amount=1&unit=WD&scope=000.00.17.H36';
    expect((await due(query)).body.due).toBe('2032-06-02T09:00:00+07:00');
    const db = new Client({ connectionString: product.config.DATABASE_URL });
    await db.connect();
    try {
      // As another API instance saves it: this one's cache is not cleared by its own save.
      await db.query(
        `INSERT INTO calendar_years (scope, year, holidays, makeup_workdays, source)
         VALUES ('000.00.17.H36', 2032, '[{"date":"2032-06-02","name":"Ngày nghỉ của sở"}]', '[]', 'OFFICIAL')`,
      );
    } finally {
      await db.end();
    }
    const moved = await eventually(
      async () => {
        const res = await due(query);
        return res.body.due === '2032-06-02T09:00:00+07:00' ? undefined : res.body.due;
      },
      'the edited calendar in the due time',
      5_000,
    );
    expect(moved).toBe('2032-06-03T09:00:00+07:00');
  });
});
