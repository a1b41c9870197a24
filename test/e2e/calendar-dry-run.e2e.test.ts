import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const CENTRE = '000.00.20.H36';
const COMMUNE = '000.31.01.H36';

/** `yyyy-MM-dd` of an instant in the deployment's zone. */
const localDate = (iso: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(iso))
    .slice(0, 10);

const addDays = (isoDate: string, days: number): string =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const weekday = (isoDate: string): number => new Date(`${isoDate}T00:00:00Z`).getUTCDay();

interface Day {
  date: string;
  name: string;
}

/** `PUT /calendars/{scope}/{year}?dryRun=true` answers what a save would do; the save then does exactly that. */
describe('calendar edit dry run (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;
  let admin: string;
  let clerk: string;
  /** Running dossiers of the centre: the ones an edit of the centre's calendar reaches. */
  const running: string[] = [];

  const dossier = async (code: string) =>
    (await product.request('GET', `/api/v1/dossiers/${code}`, { token: admin })).body;

  const receive = async (token: string, body: Record<string, unknown>): Promise<string> => {
    const res = await product.request('POST', '/api/v1/dossiers', { token, body });
    expect(res.status).toBe(201);
    const code = res.body.code as string;
    await eventually(async () => ((await dossier(code)).state === 'IN_PROGRESS' ? true : undefined), 'its workflow');
    return code;
  };

  const receiveAtCentre = (name: string) =>
    receive(clerk, {
      procedureCode: '2.000908',
      receivingUnitCode: CENTRE,
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name },
      documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
    });

  const outboxCalendarMessages = async (): Promise<string[]> =>
    (
      await db.query<{ key: string }[]>(
        `SELECT aggregate_key AS key FROM outbox_messages WHERE kind = 'CALENDAR_CHANGED' ORDER BY aggregate_key`,
      )
    ).map((r) => r.key);

  const reprojected = async (): Promise<string[]> =>
    (
      await db.query<{ code: string }[]>(
        `SELECT DISTINCT dossier_code AS code FROM dossier_events WHERE type = 'DEADLINE_REPROJECTED' ORDER BY 1`,
      )
    ).map((r) => r.code);

  beforeAll(async () => {
    product = await startProduct();
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
    admin = await product.token('admin');
    clerk = await product.token('clerk');
    running.push(await receiveAtCentre('Nguyễn Văn An'), await receiveAtCentre('Trần Thị Bình'));
    // Not reached by an edit of the centre: a finished dossier of the centre, and a running one of a commune.
    const withdrawn = await receiveAtCentre('Lê Văn Cường');
    const stop = await product.request('POST', `/api/v1/dossiers/${withdrawn}/actions/withdraw`, {
      token: clerk,
      body: { reason: 'Người nộp xin rút hồ sơ' },
    });
    expect(stop.status).toBe(200);
    await eventually(async () => ((await dossier(withdrawn)).state === 'WITHDRAWN' ? true : undefined), 'withdrawal');
    await receive(await product.token('commune-clerk'), {
      procedureCode: '2.000815',
      receivingUnitCode: COMMUNE,
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '068095001234', name: 'K’ Brêu' },
      documents: [{ code: 'BAN-CHINH' }],
    });
  });

  afterAll(async () => {
    await db?.destroy();
    await product?.stop();
  });

  /** A working weekday strictly between the first dossier's receipt and its due day: a holiday there moves it. */
  const holidayBeforeDue = async (): Promise<{ year: number; body: { holidays: Day[]; makeupWorkdays: Day[] } }> => {
    const view = await dossier(running[0]);
    const received = localDate(view.receivedAt as string);
    const due = localDate(view.dueAt as string);
    for (let d = addDays(received, 1); d < due; d = addDays(d, 1)) {
      const year = Number(d.slice(0, 4));
      const current = (await product.request('GET', `/api/v1/calendars/${CENTRE}/${year}`, { token: admin })).body;
      const off = new Set([...current.effective.holidays, ...current.effective.makeupWorkdays].map((x: Day) => x.date));
      if (weekday(d) !== 0 && weekday(d) !== 6 && !off.has(d)) {
        return {
          year,
          body: {
            holidays: [...(current.own?.holidays ?? []), { date: d, name: 'Ngày nghỉ riêng của Trung tâm' }],
            makeupWorkdays: current.own?.makeupWorkdays ?? [],
          },
        };
      }
    }
    throw new Error(`no working day between ${received} and ${due}`);
  };

  it('counts the running dossiers a save would re-project, saves nothing, and the save then re-projects exactly those', async () => {
    const { year, body } = await holidayBeforeDue();
    const added = body.holidays[body.holidays.length - 1];
    const dueBefore = await Promise.all(running.map(async (code) => (await dossier(code)).dueAt as string));

    const dry = await product.request('PUT', `/api/v1/calendars/${CENTRE}/${year}?dryRun=true`, { token: admin, body });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      dryRun: true,
      scope: CENTRE,
      year,
      affectedDossiers: running.length,
      holidaysAdded: [added],
      holidaysRemoved: [],
      makeupWorkdaysAdded: [],
      makeupWorkdaysRemoved: [],
    });

    // Nothing changed: no entry, no message queued, no due time moved.
    const stored = await product.request('GET', `/api/v1/calendars/${CENTRE}/${year}`, { token: admin });
    expect(stored.body.own).toBeNull();
    expect(stored.body.effective.holidays.map((d: Day) => d.date)).not.toContain(added.date);
    expect(await outboxCalendarMessages()).toEqual([]);
    expect(await Promise.all(running.map(async (code) => (await dossier(code)).dueAt))).toEqual(dueBefore);

    const saved = await product.request('PUT', `/api/v1/calendars/${CENTRE}/${year}`, { token: admin, body });
    expect(saved.status).toBe(200);
    expect(saved.body.own).toMatchObject({ scope: CENTRE, year, version: 1 });

    // The save signalled exactly the dossiers the dry run counted, and each of them moved its due time.
    expect(await outboxCalendarMessages()).toEqual([...running].sort());
    await eventually(
      async () => ((await reprojected()).length >= running.length ? true : undefined),
      'the re-projections',
    );
    expect(await reprojected()).toEqual([...running].sort());
    expect(await reprojected()).toHaveLength(dry.body.affectedDossiers);
    for (const [i, code] of running.entries()) {
      const view = await dossier(code);
      expect(Date.parse(view.dueAt)).toBeGreaterThan(Date.parse(dueBefore[i]));
      expect(view.deadline.ledger).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'CALENDAR_CHANGE', previousDueAt: dueBefore[i], dueAt: view.dueAt }),
        ]),
      );
    }

    // The ledger entries that name the change, as the calendar screen lists them after a save.
    const since = new Date(Date.parse(saved.body.own.updatedAt) - 1000).toISOString();
    const changes = await product.request('GET', `/api/v1/calendars/${CENTRE}/${year}/changes?since=${since}`, {
      token: admin,
    });
    expect(changes.status).toBe(200);
    expect(changes.body.items.map((c: { dossierCode: string }) => c.dossierCode).sort()).toEqual([...running].sort());
    for (const item of changes.body.items) {
      expect(item).toMatchObject({ scope: CENTRE, year, changedDates: [added.date] });
      expect(item.explanation).toContain(`calendar ${CENTRE} ${year} edited (${added.date})`);
      expect(Date.parse(item.dueAt)).toBeGreaterThan(Date.parse(item.previousDueAt));
    }

    // A dry run now compares with the saved year: adding the same day again changes nothing.
    const again = await product.request('PUT', `/api/v1/calendars/${CENTRE}/${year}?dryRun=true`, {
      token: admin,
      body,
    });
    expect(again.body).toMatchObject({ affectedDossiers: running.length, holidaysAdded: [], holidaysRemoved: [] });
    const undo = await product.request('PUT', `/api/v1/calendars/${CENTRE}/${year}?dryRun=true`, {
      token: admin,
      body: { holidays: body.holidays.slice(0, -1), makeupWorkdays: body.makeupWorkdays },
    });
    expect(undo.body).toMatchObject({ holidaysAdded: [], holidaysRemoved: [added] });
  });

  it('validates a dry run exactly as a save, and only for admins', async () => {
    const bad = {
      holidays: [
        { date: '2026-02-30', name: 'x' },
        { date: '2027-01-01', name: 'y' },
        { date: '2026-05-01', name: 'z' },
      ],
      makeupWorkdays: [{ date: '2026-05-01', name: 'w' }],
    };
    const dry = await product.request('PUT', '/api/v1/calendars/VN/2026?dryRun=true', { token: admin, body: bad });
    const real = await product.request('PUT', '/api/v1/calendars/VN/2026', { token: admin, body: bad });
    expect(dry.status).toBe(422);
    expect(real.status).toBe(422);
    expect(dry.body.errors).toEqual(real.body.errors);
    expect(dry.body.errors).toHaveLength(3);

    const noName = await product.request('PUT', '/api/v1/calendars/VN/2026?dryRun=true', {
      token: admin,
      body: { holidays: [{ date: '2026-03-02' }], makeupWorkdays: [] },
    });
    expect(noName.status).toBe(422);
    expect(noName.body.errors[0].field).toBe('holidays.0.name');

    const unknownScope = await product.request('PUT', '/api/v1/calendars/nowhere/2026?dryRun=true', {
      token: admin,
      body: { holidays: [], makeupWorkdays: [] },
    });
    expect(unknownScope.status).toBe(422);
    expect(unknownScope.body.errors[0].field).toBe('scope');

    const notABoolean = await product.request('PUT', '/api/v1/calendars/VN/2026?dryRun=maybe', {
      token: admin,
      body: { holidays: [], makeupWorkdays: [] },
    });
    expect(notABoolean.status).toBe(422);
    expect(notABoolean.body.errors[0].field).toBe('dryRun');

    const clerkTries = await product.request('PUT', '/api/v1/calendars/VN/2026?dryRun=true', {
      token: clerk,
      body: { holidays: [], makeupWorkdays: [] },
    });
    expect(clerkTries.status).toBe(403);
    expect((await product.request('GET', '/api/v1/calendars/VN/2026/changes', { token: clerk })).status).toBe(403);

    // The nation with no entry of its own starts from the statutory year: emptying it removes every holiday.
    const national = await product.request('PUT', '/api/v1/calendars/VN/2031?dryRun=true', {
      token: admin,
      body: { holidays: [], makeupWorkdays: [] },
    });
    expect(national.status).toBe(200);
    expect(national.body.holidaysRemoved.map((d: Day) => d.date)).toContain('2031-01-01');
    expect((await product.request('GET', '/api/v1/calendars/VN/2031', { token: admin })).body.own).toBeNull();
  });
});
