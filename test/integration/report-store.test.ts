import { DataSource } from 'typeorm';
import { dataSourceOptions, TypeOrmReportStore } from '../../libs/persistence/src';
import { ReportPromise1764576000000 } from '../../libs/persistence/src/migrations/1764576000000-report-promise';
import { createTestDatabase } from '../support/infrastructure';

/** An instant of local (UTC+7) time. */
const at = (local: string): Date => new Date(`${local}:00+07:00`);
const MARCH = { from: at('2026-03-01T00:00'), to: at('2026-04-01T00:00'), days: ['2026-03-01', '2026-03-31'] };

/** A dossier's report fact row, as the transition writers leave it (only what a case needs is named). */
interface Fact {
  code: string;
  unit: string;
  receivedAt: string;
  dueAt: string;
  finishedAt?: string;
  outcome?: 'APPROVED' | 'REFUSED' | 'WITHDRAWN' | 'CLOSED_NO_SUPPLEMENT';
  timeliness?: 'EARLY' | 'ON_TIME' | 'LATE';
  overdueAt?: string;
  supplementRequests?: number;
  /** Set only by the cases about extensions (the columns came with them). */
  extension?: { originalDueAt: string };
}

/** One row of the control sheet. */
interface Step {
  no: number;
  code: string;
  unit: string;
  holder: string | null;
  startedAt: string;
  dueAt: string;
  completedAt?: string;
  result?: 'EARLY' | 'ON_TIME' | 'LATE';
  exit?: string;
}

describe(TypeOrmReportStore.name, () => {
  let ds: DataSource;
  let sut: TypeOrmReportStore;
  let clerk: string;
  let specialist: string;

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(await createTestDatabase(), 4));
    await ds.initialize();
    sut = new TypeOrmReportStore(ds);
    [{ id: clerk }] = await ds.query(`SELECT id FROM officers WHERE username = 'clerk'`);
    [{ id: specialist }] = await ds.query(`SELECT id FROM officers WHERE username = 'specialist'`);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  /** The dossier row (state from the fact) and its fact row. */
  async function insert(f: Fact, steps: Step[] = []): Promise<void> {
    const state = !f.outcome ? 'IN_PROGRESS' : f.outcome === 'APPROVED' ? 'RESULT_RETURNED' : 'CLOSED';
    await ds.query(
      `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                             applicant_name, national_status, received_at, received_by, state, due_at, finished_at)
       VALUES ($1, $2, '2.000908', 'ONLINE', 'INDIVIDUAL', '001203004567', 'Nguyễn Văn An', 4, $3, $4, $5, $6, $7)`,
      [f.code, f.unit, at(f.receivedAt), clerk, state, at(f.dueAt), f.finishedAt ? at(f.finishedAt) : null],
    );
    const columns = [
      'dossier_code',
      'unit_code',
      'procedure_code',
      'field',
      'channel',
      'received_at',
      'due_at',
      'finished_at',
      'outcome',
      'timeliness',
      'overdue_at',
      'supplement_requests',
      'recorded_at',
    ];
    const values: unknown[] = [
      f.code,
      f.unit,
      '2.000908',
      'Tôn giáo',
      'ONLINE',
      at(f.receivedAt),
      at(f.dueAt),
      f.finishedAt ? at(f.finishedAt) : null,
      f.outcome ?? null,
      f.timeliness ?? null,
      f.overdueAt ? at(f.overdueAt) : null,
      f.supplementRequests ?? 0,
      new Date(),
    ];
    if (f.extension) {
      columns.push('extended', 'original_due_at');
      values.push(true, at(f.extension.originalDueAt));
    }
    await ds.query(
      `INSERT INTO dossier_facts (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      values,
    );
    for (const s of steps) {
      await ds.query(
        `INSERT INTO dossier_steps (dossier_code, no, code, name, unit_code, role, counted, holder_id, holder_name,
                                    started_at, budget_ms, due_at, completed_at, result, exit, as_of_seq)
         VALUES ($1, $2, $3::varchar, 'Bước ' || $3::varchar, $4, 'SPECIALIST', true, $5, NULL, $6, 0, $7, $8, $9, $10, 1)`,
        [
          f.code,
          s.no,
          s.code,
          s.unit,
          s.holder,
          at(s.startedAt),
          at(s.dueAt),
          s.completedAt ? at(s.completedAt) : null,
          s.result ?? null,
          s.exit ?? (s.completedAt ? 'COMPLETED' : null),
        ],
      );
    }
  }

  /** The March table of one unit, from the facts and from freshly rebuilt rollups. */
  async function march(unit: string) {
    const [facts] = await sut.progress({ from: MARCH.from, to: MARCH.to, units: [unit], groupBy: 'unit' });
    await ds.query(`DELETE FROM report_rollup_runs`); // the next refresh rebuilds every unit
    await sut.refreshRollups('Asia/Ho_Chi_Minh');
    const [rollups] = await sut.progressFromRollups([unit], MARCH.days[0], MARCH.days[1]);
    return { facts: facts?.flows, rollups: rollups?.flows };
  }

  it('3. An extended dossier is not "on time": judged against its original time, it is late, with apology', async () => {
    const unit = '000.20.01.H36';
    // Promised 16/03, extended (form 04) to 23/03, finished 20/03: late against the promise, with apology.
    await insert({
      code: 'X3-1',
      unit,
      receivedAt: '2026-02-02T09:00',
      dueAt: '2026-03-23T09:00',
      finishedAt: '2026-03-20T10:00',
      outcome: 'APPROVED',
      timeliness: 'LATE',
      extension: { originalDueAt: '2026-03-16T09:00' },
    });
    // Late without any apology letter.
    await insert({
      code: 'X3-2',
      unit,
      receivedAt: '2026-02-02T09:00',
      dueAt: '2026-03-16T09:00',
      finishedAt: '2026-03-18T10:00',
      outcome: 'APPROVED',
      timeliness: 'LATE',
      overdueAt: '2026-03-16T09:00',
    });
    // Extended, yet finished before the original time: early, no apology owed.
    await insert({
      code: 'X3-3',
      unit,
      receivedAt: '2026-02-02T09:00',
      dueAt: '2026-03-23T09:00',
      finishedAt: '2026-03-12T10:00',
      outcome: 'APPROVED',
      timeliness: 'EARLY',
      extension: { originalDueAt: '2026-03-16T09:00' },
    });

    const { facts, rollups } = await march(unit);
    expect(facts).toMatchObject({ early: 1, onTime: 0, late: 2, lateWithApology: 1 });
    expect(rollups).toEqual(facts);
    const listed = await sut.progressDossiers({
      from: MARCH.from,
      to: MARCH.to,
      units: [unit],
      figure: 'lateWithApology',
      limit: 10,
      offset: 0,
    });
    expect(listed.items.map((d) => d.code)).toEqual(['X3-1']);
  });

  it('3. judges the dossiers extended before the release against their original time, where that time is exact', async () => {
    const unit = '000.00.17.H36';
    const finished = { receivedAt: '2026-02-02T09:00', dueAt: '2026-03-23T09:00', finishedAt: '2026-03-20T10:00' };
    // Extended from 16/03 to 23/03 and finished on 20/03 (judged early then): late against the promise. The second
    // was paused for a supplement after its letter, which moved its promise too: left as it was judged.
    await insert({ code: 'M3-1', unit, ...finished, outcome: 'APPROVED', timeliness: 'EARLY' });
    await insert({ code: 'M3-2', unit, ...finished, outcome: 'APPROVED', timeliness: 'EARLY' });
    for (const [code, events] of [
      ['M3-1', ['EXTENSION_GRANTED', 'PROCESSED']],
      ['M3-2', ['EXTENSION_GRANTED', 'SUPPLEMENT_REQUESTED', 'SUPPLEMENT_SUBMITTED', 'PROCESSED']],
    ] as const) {
      await ds.query(`UPDATE dossiers SET extended = true WHERE code = $1`, [code]);
      for (const [i, type] of events.entries()) {
        await ds.query(
          `INSERT INTO dossier_events (dossier_code, seq, type, national_status, payload, occurred_at)
           VALUES ($1, $2, $3, 4, $4, $5)`,
          [
            code,
            i + 1,
            type,
            { originalDueAt: at('2026-03-16T09:00'), newDueAt: at('2026-03-23T09:00') },
            at('2026-03-10T09:00'),
          ],
        );
      }
    }
    const migration = new ReportPromise1764576000000();
    const runner = ds.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    const rows = await ds.query<{ code: string; timeliness: string; extended: boolean; original: Date | null }[]>(
      `SELECT dossier_code AS code, timeliness, extended, original_due_at AS original FROM dossier_facts
       WHERE unit_code = $1 ORDER BY dossier_code`,
      [unit],
    );
    expect(rows).toEqual([
      { code: 'M3-1', timeliness: 'LATE', extended: true, original: at('2026-03-16T09:00') },
      { code: 'M3-2', timeliness: 'EARLY', extended: true, original: null },
    ]);
  });

  it('9. 766 numerator: the rollups carry refusals after the due time and repeated supplements as the facts do', async () => {
    const unit = '000.20.02.H36';
    const resolved = { receivedAt: '2026-02-02T09:00', dueAt: '2026-03-16T09:00', finishedAt: '2026-03-10T10:00' };
    // Early after two supplement requests: 766 counts it as overdue.
    await insert({ code: 'X9-1', unit, ...resolved, outcome: 'APPROVED', timeliness: 'EARLY', supplementRequests: 2 });
    // Withdrawn after two requests: not within the deadline at all, so not among the repeated ones either.
    await insert({ code: 'X9-2', unit, ...resolved, outcome: 'WITHDRAWN', supplementRequests: 2 });
    // Closed when the supplement window lapsed.
    await insert({ code: 'X9-3', unit, ...resolved, outcome: 'CLOSED_NO_SUPPLEMENT', supplementRequests: 1 });
    // Refused after its due time; and refused in time after two requests.
    await insert({
      code: 'X9-4',
      unit,
      ...resolved,
      finishedAt: '2026-03-17T10:00',
      outcome: 'REFUSED',
      timeliness: 'LATE',
    });
    await insert({ code: 'X9-5', unit, ...resolved, outcome: 'REFUSED', timeliness: 'EARLY', supplementRequests: 2 });
    // Still open at the end of March: within the deadline after two requests, and overdue after two.
    await insert({
      code: 'X9-6',
      unit,
      receivedAt: '2026-03-02T09:00',
      dueAt: '2026-05-04T09:00',
      supplementRequests: 2,
    });
    await insert({
      code: 'X9-7',
      unit,
      receivedAt: '2026-02-02T09:00',
      dueAt: '2026-03-16T09:00',
      overdueAt: '2026-03-16T09:00',
      supplementRequests: 2,
    });

    const { facts, rollups } = await march(unit);
    expect(facts).toMatchObject({ withdrawn: 2, refused: 2, refusedLate: 1, overdue: 1, repeatedSupplements: 3 });
    expect(rollups).toEqual(facts);
  });

  it('14. Attribution when no step overran: a late dossier is charged to the step holding it at its due time', async () => {
    const division = '000.12.01.H36';
    // Due 16/03 09:00. Every step kept its budget: the specialist's step was sent back and given a fresh one, and
    // the specialist held the dossier again when its due time passed; it was resolved on 18/03.
    await insert(
      {
        code: 'X14-1',
        unit: '000.00.20.H36',
        receivedAt: '2026-02-02T09:00',
        dueAt: '2026-03-16T09:00',
        finishedAt: '2026-03-18T10:00',
        outcome: 'APPROVED',
        timeliness: 'LATE',
        overdueAt: '2026-03-16T09:00',
      },
      [
        {
          no: 1,
          code: 'S01',
          unit: '000.00.20.H36',
          holder: clerk,
          startedAt: '2026-02-02T09:00',
          dueAt: '2026-02-02T13:30',
          completedAt: '2026-02-02T11:00',
          result: 'ON_TIME',
        },
        {
          no: 2,
          code: 'S05',
          unit: division,
          holder: specialist,
          startedAt: '2026-02-03T09:00',
          dueAt: '2026-02-25T09:00',
          completedAt: '2026-02-24T09:00',
          result: 'ON_TIME',
        },
        {
          no: 3,
          code: 'S06',
          unit: division,
          holder: null,
          startedAt: '2026-02-24T09:00',
          dueAt: '2026-02-25T09:00',
          completedAt: '2026-02-24T16:00',
          result: 'ON_TIME',
          exit: 'RETURNED',
        },
        {
          no: 4,
          code: 'S05',
          unit: division,
          holder: specialist,
          startedAt: '2026-02-24T16:00',
          dueAt: '2026-03-18T16:00',
          completedAt: '2026-03-17T09:00',
          result: 'ON_TIME',
        },
        {
          no: 5,
          code: 'S06',
          unit: division,
          holder: null,
          startedAt: '2026-03-17T09:00',
          dueAt: '2026-03-18T16:00',
          completedAt: '2026-03-18T10:00',
          result: 'ON_TIME',
        },
      ],
    );
    // A late dossier whose own step overran: charged to that step only, never twice.
    await insert(
      {
        code: 'X14-2',
        unit: '000.00.20.H36',
        receivedAt: '2026-02-02T09:00',
        dueAt: '2026-03-16T09:00',
        finishedAt: '2026-03-17T10:00',
        outcome: 'APPROVED',
        timeliness: 'LATE',
        overdueAt: '2026-03-16T09:00',
      },
      [
        {
          no: 1,
          code: 'S05',
          unit: division,
          holder: specialist,
          startedAt: '2026-02-03T09:00',
          dueAt: '2026-03-10T09:00',
          completedAt: '2026-03-17T09:00',
          result: 'LATE',
        },
      ],
    );

    const rows = await sut.lateSteps([division], MARCH.from, MARCH.to);
    expect(
      rows.map((r) => ({ dossier: r.dossierCode, step: r.stepCode, holder: r.holderId, due: r.dueAt, kind: r.kind })),
    ).toEqual(
      expect.arrayContaining([
        { dossier: 'X14-1', step: 'S05', holder: specialist, due: at('2026-03-16T09:00'), kind: 'HELD_AT_DUE' },
        { dossier: 'X14-2', step: 'S05', holder: specialist, due: at('2026-03-10T09:00'), kind: 'OVERRAN' },
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  describe("a country's scale (issue 17)", () => {
    /** A small tree of its own: T (agency) → T.D1 (district) → T.C1, T.C2; T.D2 → T.C3. */
    beforeAll(async () => {
      await ds.query(
        `INSERT INTO units (code, name, parent_code, kind) VALUES
           ('T', 'Tỉnh thử', '000.00.00.H36', 'AGENCY'), ('T.D1', 'Huyện 1', 'T', 'DISTRICT'),
           ('T.D2', 'Huyện 2', 'T', 'DISTRICT'), ('T.C1', 'Xã 1', 'T.D1', 'COMMUNE'), ('T.C2', 'Xã 2', 'T.D1', 'COMMUNE'),
           ('T.C3', 'Xã 3', 'T.D2', 'COMMUNE')`,
      );
      // new in March (early, late), carried over from February and still open, finished before March (not counted)
      await insert({
        code: 'T-1',
        unit: 'T.C1',
        receivedAt: '2026-03-02T09:00',
        dueAt: '2026-03-20T09:00',
        finishedAt: '2026-03-10T09:00',
        outcome: 'APPROVED',
        timeliness: 'EARLY',
      });
      await insert({ code: 'T-2', unit: 'T.C2', receivedAt: '2026-02-20T09:00', dueAt: '2026-05-20T09:00' });
      await insert({ code: 'T-3', unit: 'T.D1', receivedAt: '2026-03-31T23:59', dueAt: '2026-04-20T09:00' });
      await insert({
        code: 'T-4',
        unit: 'T.C3',
        receivedAt: '2026-02-01T09:00',
        dueAt: '2026-02-20T09:00',
        finishedAt: '2026-02-28T09:00',
        outcome: 'APPROVED',
        timeliness: 'LATE',
        overdueAt: '2026-02-20T09:00',
      });
      await insert({
        code: 'T-5',
        unit: 'T.C3',
        receivedAt: '2026-03-05T09:00',
        dueAt: '2026-03-10T09:00',
        finishedAt: '2026-03-12T09:00',
        outcome: 'APPROVED',
        timeliness: 'LATE',
        overdueAt: '2026-03-10T09:00',
      });
      await ds.query(`DELETE FROM report_rollup_runs`); // the next refresh rebuilds every unit
      await sut.refreshRollups('Asia/Ho_Chi_Minh');
    });

    /** The March flows of each unit's subtree, summed from the facts of its units. */
    async function factsOf(lines: Record<string, string[]>) {
      const facts = await sut.progress({
        from: MARCH.from,
        to: MARCH.to,
        units: Object.values(lines).flat(),
        groupBy: 'unit',
      });
      return Object.fromEntries(
        Object.entries(lines).map(([line, units]) => {
          const sum: Record<string, number> = {};
          facts
            .filter((r) => units.includes(r.key))
            .forEach((r) => Object.entries(r.flows).forEach(([k, v]) => (sum[k] = (sum[k] ?? 0) + v)));
          return [line, { ...sum, lateFor766: 0 }];
        }),
      );
    }

    const bySubtree = async (subtrees: string[]) =>
      Object.fromEntries(
        (await sut.progressFromRollups(['T'], MARCH.days[0], MARCH.days[1], subtrees)).map((r) => [r.key, r.flows]),
      );

    it("counts the period's dossiers by receipt in it, or open at its start, and none finished before it", async () => {
      const [d1, c3] = [await factsOf({ d1: ['T.D1', 'T.C1', 'T.C2'] }), await factsOf({ c3: ['T.C3'] })];
      expect(d1.d1).toMatchObject({ carriedOver: 1, newOnline: 2, early: 1, withinDeadline: 2 });
      expect(c3.c3).toMatchObject({ carriedOver: 0, newOnline: 1, late: 1 });
    });

    it("answers a unit's sub-units from one pre-aggregated row each, the sum of their units' facts", async () => {
      const facts = await factsOf({ 'T.D1': ['T.D1', 'T.C1', 'T.C2'], 'T.D2': ['T.D2', 'T.C3'] });
      expect(await bySubtree(['T.D1', 'T.D2'])).toEqual(facts);
    });

    it('rebuilds the subtrees over a unit whose facts changed, and all of them when a unit moved', async () => {
      await insert({ code: 'T-6', unit: 'T.C3', receivedAt: '2026-03-06T09:00', dueAt: '2026-05-10T09:00' });
      await sut.refreshRollups('Asia/Ho_Chi_Minh');
      expect((await bySubtree(['T.D2']))['T.D2']).toMatchObject({ newOnline: 2, withinDeadline: 1 });

      await ds.query(`UPDATE units SET parent_code = 'T.D1' WHERE code = 'T.C3'`); // no fact changed
      await sut.refreshRollups('Asia/Ho_Chi_Minh');
      const facts = await factsOf({ 'T.D1': ['T.D1', 'T.C1', 'T.C2', 'T.C3'] });
      const rollups = await bySubtree(['T.D1', 'T.D2']);
      expect(rollups['T.D1']).toEqual(facts['T.D1']);
      expect(rollups['T.D2']).toBeUndefined(); // nothing under it any more
    });
  });

  it("counts a dossier received at the period's first instant once, as new, and one finished at that instant as carried over", async () => {
    await ds.query(
      `INSERT INTO units (code, name, parent_code, kind) VALUES ('B', 'Xã biên', '000.00.00.H36', 'COMMUNE')`,
    );
    await insert({ code: 'B-1', unit: 'B', receivedAt: '2026-03-01T00:00', dueAt: '2026-05-20T09:00' });
    await insert({
      code: 'B-2',
      unit: 'B',
      receivedAt: '2026-02-10T09:00',
      dueAt: '2026-03-20T09:00',
      finishedAt: '2026-03-01T00:00',
      outcome: 'APPROVED',
      timeliness: 'EARLY',
    });
    await insert({
      code: 'B-3',
      unit: 'B',
      receivedAt: '2026-02-10T09:00',
      dueAt: '2026-03-20T09:00',
      finishedAt: '2026-02-28T23:59',
      outcome: 'APPROVED',
      timeliness: 'EARLY',
    });

    const [row] = await sut.progress({ from: MARCH.from, to: MARCH.to, units: ['B'], groupBy: 'unit' });

    expect(row.flows).toMatchObject({ carriedOver: 1, newOnline: 1, early: 1, withinDeadline: 1, onTime: 0 });
  });
});
