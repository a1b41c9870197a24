import { DataSource } from 'typeorm';
import { localDateOf } from '../../libs/calendar/src';
import { index766, progressCounts, type TransitionEvent } from '../../libs/domain/src';
import { dataSourceOptions, TypeOrmDossierStore, TypeOrmReportStore } from '../../libs/persistence/src';
import { DossierMachine } from '../../workflows/dossier.machine';
import { fixedCalendar } from '../../workflows/dossier-machine.test-support';
import { type Actor, type DossierAction } from '../../workflows/dossier.types';
import { dossierInput, EXAMPLE_A_WALK, seededActors } from '../support/dossier-fixtures';
import { createTestDatabase } from '../support/infrastructure';

const ZONE = 'Asia/Ho_Chi_Minh';
const CENTRE = '000.00.20.H36';
const at = (local: string): Date => new Date(`${local}+07:00`);
const RECEIVED = at('2025-03-03T09:40');
const DAY = 86_400_000;

/**
 * Issue 15, item 8: what the stores make of a restart after a supplement (RESTART policy). The dossier machine is
 * driven as the workflow drives it, and each of its transitions recorded as the workflow's activity records it.
 */
describe('8. RESTART in the stores', () => {
  let ds: DataSource;
  let store: TypeOrmDossierStore;
  let reports: TypeOrmReportStore;
  let actors: Record<string, Actor>;
  let code: string;
  let machine: DossierMachine;
  let seq = 0;
  let firstDue: Date;
  let submitted: { at: Date; seq: number };
  let finishedAt: Date;

  const record = async (events: TransitionEvent[]): Promise<void> => {
    for (const event of events) {
      seq += 1;
      const projection = JSON.parse(JSON.stringify(machine.snapshot(seq))) as ReturnType<DossierMachine['snapshot']>;
      await store.recordTransition({ dossierCode: code, seq, event, projection });
    }
  };
  const act = (who: string, request: DossierAction, now: Date): Promise<void> =>
    record(machine.apply({ actor: actors[who], request }, now));
  const walk = async (moves: typeof EXAMPLE_A_WALK, now: Date): Promise<void> => {
    for (const [who, action, body = {}] of moves) {
      const assignee = typeof body.assignee === 'string' ? actors[body.assignee] : undefined;
      await act(who, { action, ...body, ...(assignee ? { assignee } : {}) } as DossierAction, now);
    }
  };
  const facts = async () =>
    (
      await ds.query<{ overdue_at: Date | null; overdue_spans: string; index_due_at: Date | null; due_at: Date }[]>(
        `SELECT overdue_at, overdue_spans::text, index_due_at, due_at FROM dossier_facts WHERE dossier_code = $1`,
        [code],
      )
    )[0];
  const progress = async (to: Date) => {
    const [row] = await reports.progress({ from: at('2025-03-01T00:00'), to, units: [CENTRE], groupBy: 'unit' });
    return progressCounts(row.flows);
  };

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(await createTestDatabase(), 4));
    await ds.initialize();
    store = new TypeOrmDossierStore(ds, { portalSync: true });
    reports = new TypeOrmReportStore(ds);
    actors = await seededActors(ds);
    const [{ id: versionId }] = await ds.query<{ id: string }[]>(
      `SELECT id FROM procedure_versions WHERE procedure_code = '2.000908'`,
    );
    const input = dossierInput('pending', RECEIVED.toISOString(), {
      receivedBy: actors.clerk.officerId,
      rules: {
        clockPolicy: { supplement: 'RESTART', maxSupplementRequests: 1, applicantWindow: { amount: 15, unit: 'WD' } },
      },
    });
    machine = new DossierMachine(input, fixedCalendar());
    ({
      dossier: { code },
    } = await store.receive({
      receivingUnitCode: CENTRE,
      procedureCode: '2.000908',
      procedureVersionId: versionId,
      caseCode: 'default',
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
      receivedAt: RECEIVED,
      receiptDay: localDateOf(RECEIVED, ZONE),
      receivedBy: actors.clerk.officerId,
      promisedAt: new Date(machine.deadline.promisedAt),
      documents: [],
      applicantContact: {},
      proxy: null,
      lookupPinHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
      outbox: { kind: 'START_DOSSIER_WORKFLOW', payload: {} },
    }));
    await record(machine.start());
    await walk(EXAMPLE_A_WALK.slice(0, 6), RECEIVED);
    // The specialist lets the due time pass, asks for documents a day later; they come two days after that.
    firstDue = new Date(machine.deadline.dueAt as string);
    await record(machine.fire(firstDue));
    await act(
      'specialist',
      { action: 'request-supplement', items: ['Bản sao giấy tờ địa điểm'], reason: 'Bản chụp' },
      new Date(firstDue.getTime() + DAY),
    );
    submitted = { at: new Date(firstDue.getTime() + 3 * DAY), seq: 0 };
    await act('clerk', { action: 'submit-supplement' }, submitted.at);
    submitted.seq = seq;
    // Finished well within the new appointment, but after the first one plus the wait.
    finishedAt = new Date(submitted.at.getTime() + 7 * DAY);
    await walk(EXAMPLE_A_WALK.slice(6), finishedAt);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('makes the new appointment the promised time the receipt, the register and the public lookup read', async () => {
    const promisedAt = machine.deadline.promisedAt;
    expect(Date.parse(promisedAt)).toBeGreaterThan(firstDue.getTime() + 3 * DAY);
    expect((await store.findByCode(code))?.promisedAt?.toISOString()).toBe(promisedAt);
  });

  it('sends the new appointment to the national portal with the submission', async () => {
    const rows = await ds.query<{ seq: number; promisedAt: string }[]>(
      `SELECT (payload->>'seq')::int AS seq, payload->>'promisedAt' AS "promisedAt"
         FROM outbox_messages WHERE aggregate_key = $1 ORDER BY id`,
      [`portal:${code}`],
    );
    const promised = (n: number) => new Date(rows.find((r) => r.seq === n)?.promisedAt as string).toISOString();
    expect(promised(submitted.seq - 1)).toBe(firstDue.toISOString());
    expect(promised(submitted.seq)).toBe(machine.deadline.promisedAt);
  });

  it('ends the overdue interval when the restart moves the due time, keeping the interval', async () => {
    const row = await facts();
    expect(row.overdue_at).toBeNull();
    const [{ span }] = await ds.query<{ span: boolean }[]>(
      `SELECT overdue_spans = tstzmultirange(tstzrange($2::timestamptz, $3::timestamptz, '[)')) AS span
         FROM dossier_facts WHERE dossier_code = $1`,
      [code, firstDue, submitted.at],
    );
    expect(span).toBe(true);
  });

  it('counts the dossier overdue in a period ending while it was, and not in one ending after the restart', async () => {
    expect(await progress(new Date(firstDue.getTime() + DAY / 2))).toMatchObject({ overdue: 1, withinDeadline: 0 });
    expect(await progress(new Date(submitted.at.getTime() + DAY))).toMatchObject({ overdue: 0, withinDeadline: 1 });
  });

  it('keeps the same history in the daily rollups', async () => {
    await reports.refreshRollups(ZONE);
    const day = (instant: Date): string => {
      const { year, month, day: d } = localDateOf(instant, ZONE);
      return `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    };
    const [overdue] = await reports.progressFromRollups([CENTRE], day(firstDue), day(firstDue));
    expect(overdue.flows).toMatchObject({ overdue: 1 });
    const after = day(new Date(submitted.at.getTime() + DAY));
    const [within] = await reports.progressFromRollups([CENTRE], after, after);
    expect(within.flows).toMatchObject({ overdue: 0, withinDeadline: 1 });
  });

  it('judges it for Decision 766 by the first appointment plus the wait: early by the new one, late for 766', async () => {
    expect(machine.timeliness).toBe('EARLY');
    expect((await facts()).index_due_at?.toISOString()).toBe(machine.deadline.indexDueAt);
    const counts = await progress(new Date(finishedAt.getTime() + DAY));
    expect(counts).toMatchObject({ early: 1, late: 0, lateFor766: 1 });
    expect(index766(counts)).toEqual({ numerator: counts.total - 1, denominator: counts.total });
  });
});
