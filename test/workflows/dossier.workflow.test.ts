import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type DataSource } from 'typeorm';
import { statutoryHolidays } from '../../libs/calendar/src';
import { TypeOrmCalendarStore } from '../../libs/persistence/src';
import {
  type ActionAnswer,
  actionUpdate,
  allowedActionsQuery,
  type AllowedActions,
  calendarChangedSignal,
  snapshotQuery,
} from '../../workflows/dossier.messages';
import {
  type Actor,
  type CalendarChangedSignal,
  type DossierAction,
  DOSSIER_WORKFLOW_TYPE,
  type DossierWorkflowInput,
  type DossierWorkflowSnapshot,
} from '../../workflows/dossier.types';
import { startTemporalDevServer, freePort, startTimeSkippingServer } from '../../scripts/infra/temporal-server';
import { dossierInput, seededActors } from '../support/dossier-fixtures';
import { createTestDatabase, eventually } from '../support/infrastructure';
import { createTestWorker, insertReceivedDossier, type TestWorker } from '../support/workflow-worker';
import { readableHistoryJSON, testDataConverter } from '../support/payload-keys';

/** Example A (domain §11) is received on Monday 6 May 2030 at 09:40 in Hanoi time: no holiday for seven weeks. */
const RECEIVED = '2030-05-06T09:40:00+07:00';
const at = (local: string): number => Date.parse(`${local}+07:00`);
const iso = (local: string): string => new Date(at(local)).toISOString();
/**
 * Officers act a few real milliseconds after each skip, so instants derived from an action are compared to the
 * nearest minute; those derived from receipt or from another due time are exact.
 */
const minute = (value: string | null | undefined): string | null =>
  value ? new Date(Math.round(Date.parse(value) / 60_000) * 60_000).toISOString() : null;

/** A Temporal server with a worker running the real workflows and activities against a test database. */
interface Harness {
  env: TestWorkflowEnvironment;
  worker: TestWorker;
  taskQueue: string;
  db: DataSource;
  actors: Record<string, Actor>;
  stop: () => Promise<void>;
}

async function harness(env: TestWorkflowEnvironment, databaseUrl: string): Promise<Harness> {
  const { worker, taskQueue, dataSource: db } = await createTestWorker(env.nativeConnection, databaseUrl);
  const running = worker.run();
  return {
    env,
    worker,
    taskQueue,
    db,
    actors: await seededActors(db),
    stop: async () => {
      worker.shutdown();
      await running;
      await db.destroy();
      await env.teardown();
    },
  };
}

type Handle = WorkflowHandle<(input: DossierWorkflowInput) => Promise<unknown>>;

describe('dossierWorkflow — example A on the time-skipping server', () => {
  let databaseUrl: string;
  let h: Harness | undefined;
  let env: TestWorkflowEnvironment;
  let taskQueue: string;
  let db: DataSource;
  let actors: Record<string, Actor>;
  let serial = 0;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });

  // The server's clock only moves forward: each test gets its own server, starting before 6 May 2030, but for a
  // scenario walked once and asserted by several tests, which keeps one server for its tests.
  let walkedOnce = false;
  async function freshServer(): Promise<void> {
    h = await harness(await startTimeSkippingServer(testDataConverter()), databaseUrl);
    ({ env, taskQueue, db, actors } = h);
  }

  beforeEach(async () => {
    if (!walkedOnce) {
      await freshServer();
    }
  });

  afterEach(async () => {
    if (!walkedOnce) {
      await h?.stop();
    }
  });

  /** Moves the server's clock forward to a local time (never back). */
  async function skipTo(local: string): Promise<void> {
    const now = await env.currentTimeMs();
    const target = at(local);
    if (target > now) {
      await env.sleep(target - now);
    }
  }

  async function receive(
    rules?: Partial<NonNullable<DossierWorkflowInput['rules']>>,
  ): Promise<{ handle: Handle; code: string }> {
    serial += 1;
    const code = `000.00.20.H36-300506-${String(serial).padStart(4, '0')}`;
    await skipTo(RECEIVED.slice(0, 19));
    const clerkId = await insertReceivedDossier(db, code, iso(RECEIVED.slice(0, 19)));
    const input = dossierInput(code, iso(RECEIVED.slice(0, 19)), { receivedBy: clerkId, rules });
    const handle = await env.client.workflow.start(DOSSIER_WORKFLOW_TYPE, {
      workflowId: code,
      taskQueue,
      args: [input],
    });
    await eventually(async () => ((await snapshot(handle))?.nationalStatus === 4 ? true : undefined), 'processing');
    return { handle: handle as Handle, code };
  }

  const snapshot = (handle: WorkflowHandle): Promise<DossierWorkflowSnapshot | undefined> =>
    handle.query(snapshotQuery).catch(() => undefined);

  const act = (handle: WorkflowHandle, who: string, request: DossierAction): Promise<ActionAnswer> =>
    handle.executeUpdate(actionUpdate, { args: [{ actor: actors[who], request }] });

  const refusal = async (promise: Promise<unknown>): Promise<{ type: string | undefined; message: string }> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; message: string };
    return { type: cause.type, message: cause.message };
  };

  /** S01–S04 done at once: the specialist holds S05 from 09:40 on the day of receipt. */
  async function toSpecialist(handle: Handle): Promise<DossierWorkflowSnapshot> {
    await act(handle, 'clerk', { action: 'complete', note: 'Hồ sơ đầy đủ' });
    await act(handle, 'head', { action: 'claim' });
    await act(handle, 'head', { action: 'complete' });
    await act(handle, 'dept-leader', { action: 'claim' });
    await act(handle, 'dept-leader', { action: 'complete', assignee: actors['division-head'] });
    return act(handle, 'division-head', { action: 'complete', assignee: actors.specialist });
  }

  /** S05 done: S06–S09 by their roles, until the result waits at the desk (S10). */
  async function afterSpecialist(handle: Handle): Promise<DossierWorkflowSnapshot> {
    await act(handle, 'specialist', { action: 'complete', note: 'Dự thảo quyết định' });
    await act(handle, 'division-head', { action: 'claim' });
    await act(handle, 'division-head', { action: 'complete' });
    await act(handle, 'dept-leader', { action: 'claim' });
    await act(handle, 'dept-leader', { action: 'complete' });
    await act(handle, 'ppc-leader', { action: 'claim' });
    await act(handle, 'ppc-leader', { action: 'complete', note: 'Quyết định số 12/QĐ-UBND' });
    await act(handle, 'dept-clerk', { action: 'claim' });
    return act(handle, 'dept-clerk', { action: 'complete' });
  }

  const facts = (code: string) =>
    db.query(
      `SELECT f.kind, f.unit_code, o.username, f.step_code, date_trunc('minute', f.due_at + interval '30 seconds') AS due_at,
              date_trunc('minute', f.occurred_at + interval '30 seconds') AS occurred_at
         FROM deadline_facts f LEFT JOIN officers o ON o.id = f.officer_id WHERE dossier_code = $1 ORDER BY f.id`,
      [code],
    );
  const notifications = (code: string) =>
    db.query(
      `SELECT n.kind, o.username, date_trunc('minute', n.created_at + interval '30 seconds') AS created_at
         FROM notifications n JOIN officers o ON o.id = n.recipient_id
        WHERE dossier_code = $1 ORDER BY n.created_at, n.id`,
      [code],
    );

  describe('all ten steps on time', () => {
    let run: {
      code: string;
      start: DossierWorkflowSnapshot;
      processed: DossierWorkflowSnapshot;
      returned: DossierWorkflowSnapshot;
      history: Awaited<ReturnType<Handle['fetchHistory']>>;
      /** The division head's assignment of the specialist: its answer, and the query's for the same officer. */
      assigned: { answer: ActionAnswer; asked: AllowedActions };
    };

    beforeAll(async () => {
      walkedOnce = true;
      await freshServer();
      const { handle, code } = await receive();
      const start = (await snapshot(handle))!;
      const answer = await toSpecialist(handle);
      const asked = await handle.query(allowedActionsQuery, actors['division-head'], new Date().toISOString());
      await skipTo('2030-05-20T10:00:00');
      const processed = await afterSpecialist(handle);
      const returned = await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'ELECTRONIC' });
      await handle.result();
      const history = await handle.fetchHistory();
      run = { code, start, processed, returned, history, assigned: { answer, asked } };
      if (process.env.RECORD_HISTORIES === '1') {
        // Earlier versions' histories stay as they were recorded (v6: durable-transitions, one marker per patch).
        writeFileSync(
          join(__dirname, 'histories', 'dossier-workflow-v7-example-a-current-rules.json'),
          await readableHistoryJSON(history),
        );
      }
    });

    afterAll(async () => {
      walkedOnce = false;
      await h?.stop();
    });

    it('stores every transition by an activity its completed workflow task scheduled, none from inside a task', () => {
      // A local activity would write from a task a dying worker may lose (DURABLE_TRANSITIONS_PATCH).
      const stored = (run.history.events ?? []).filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'persistTransition',
      );
      expect(stored).toHaveLength(run.returned.lastEventSeq);
    });

    it('records the rules it runs with as one patch marker and one search-attribute upsert', () => {
      // Each patched() a new execution records costs both (CURRENT_RULES_PATCH): eleven of each before. A change made
      // after it records its own marker here, on purpose (it is not one the current-rules marker stands for).
      const events = run.history.events ?? [];
      const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
      expect(markers).toHaveLength(1);
      expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(1);
    });

    it("stores the first transition on the dossiers' queue and an action's on the actions' own queue", () => {
      const events = run.history.events ?? [];
      const queueOf = (e: (typeof events)[number]) => e.activityTaskScheduledEventAttributes?.taskQueue?.name;
      const stored = events.filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'persistTransition',
      );
      expect(queueOf(stored[0])).toBe(taskQueue);
      // The first Update's transition is scheduled by the task that accepted it.
      const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      const afterAccepted = events.slice(accepted).find((e) => e.activityTaskScheduledEventAttributes);
      expect(queueOf(afterAccepted!)).toBe(`${taskQueue}.actions`);
      expect(new Set(stored.map(queueOf))).toEqual(new Set([taskQueue, `${taskQueue}.actions`]));
    });

    it('answers an action with what the same officer may do next, as the allowed-actions query does', () => {
      expect(run.assigned.answer.allowedAfter).toEqual(run.assigned.asked);
    });

    it('promises the result 30 WD ahead to the minute and explains it in the ledger', () => {
      expect(run.start.deadline.promisedAt).toBe(iso('2030-06-17T09:40:00'));
      expect(run.start.deadline.ledger[0].explanation).toBe(
        '30 working days from 09:40 06/05/2030 gives 09:40 17/06/2030.',
      );
    });

    it('starts at the desk step, held by the receiving clerk, due by the close of the day (same-day transfer)', () => {
      expect(run.start.currentStep).toMatchObject({
        code: 'S01',
        holderId: actors.clerk.officerId,
        dueAt: iso('2030-05-06T17:00:00'),
      });
    });

    it('judges the dossier early and approved when the last processing step is done, waiting at the desk', () => {
      expect(run.processed).toMatchObject({
        state: 'READY_FOR_RETURN',
        nationalStatus: 9,
        timeliness: 'EARLY',
        outcome: 'APPROVED',
      });
      expect(run.processed.currentStep).toMatchObject({ code: 'S10', unit: '000.00.20.H36' });
    });

    it('returns the result after the ten steps, each judged on its own due time', () => {
      expect(run.returned).toMatchObject({ state: 'RESULT_RETURNED', nationalStatus: 10 });
      expect(run.returned.steps.map((s) => s.code)).toEqual([
        'S01',
        'S02',
        'S03',
        'S04',
        'S05',
        'S06',
        'S07',
        'S08',
        'S09',
        'S10',
      ]);
      // Half-day steps finished on their due day before the due time are on time; the rest finished before the day.
      expect(run.returned.steps.filter((s) => s.counted).map((s) => s.result)).toEqual([
        'ON_TIME',
        'ON_TIME',
        ...Array(7).fill('EARLY'),
      ]);
    });

    it('stores the control sheet and the returned dossier, with no breach', async () => {
      const rows = await db.query(
        `SELECT no, code, result, holder_id FROM dossier_steps WHERE dossier_code = $1 ORDER BY no`,
        [run.code],
      );
      expect(rows).toHaveLength(10);
      expect(rows[4]).toMatchObject({ code: 'S05', result: 'EARLY', holder_id: actors.specialist.officerId });
      const [dossier] = await db.query(
        `SELECT state, national_status, timeliness, finished_at FROM dossiers WHERE code = $1`,
        [run.code],
      );
      expect(dossier).toMatchObject({ state: 'RESULT_RETURNED', national_status: 10, timeliness: 'EARLY' });
      expect(await facts(run.code)).toEqual([]);
    });

    it('tells the specialist at the 50 % rung of S05, 8 WD after 09:40 on 6 May, before the work was done', async () => {
      expect(await notifications(run.code)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'STEP_HALF_USED',
            username: 'specialist',
            created_at: new Date(at('2030-05-16T09:40:00')),
          }),
        ]),
      );
    });
  });

  it('attributes an overrun of the specialist step to that unit and officer and tells the head at the breach instant', async () => {
    const { handle, code } = await receive();
    await toSpecialist(handle);
    // S05 is 16 WD from 09:40 on 6 May: due 09:40 on 28 May. The dossier (30 WD) is due 09:40 on 17 June.
    await skipTo('2030-06-18T08:00:00');
    const late = await afterSpecialist(handle);
    expect(late).toMatchObject({ state: 'READY_FOR_RETURN', timeliness: 'LATE' });
    const s05 = late.steps.find((s) => s.code === 'S05');
    expect(s05?.result).toBe('LATE');
    expect(minute(s05?.dueAt)).toBe(iso('2030-05-28T09:40:00'));

    await eventually(async () => ((await facts(code)).length === 2 ? true : undefined), 'breach facts');
    expect(await facts(code)).toEqual([
      {
        kind: 'STEP_BREACH',
        unit_code: '000.12.01.H36',
        username: 'specialist',
        step_code: 'S05',
        due_at: new Date(at('2030-05-28T09:40:00')),
        occurred_at: new Date(at('2030-05-28T09:40:00')),
      },
      {
        kind: 'DOSSIER_BREACH',
        unit_code: '000.12.01.H36',
        username: 'specialist',
        step_code: 'S05',
        due_at: new Date(at('2030-06-17T09:40:00')),
        occurred_at: new Date(at('2030-06-17T09:40:00')),
      },
    ]);
    const sent = await notifications(code);
    // The ladder: 50% → the holder; 75% → holder and division head; breach → the unit head, each once.
    expect(
      sent.filter(
        (n: { kind: string }) => n.kind.startsWith('STEP_') && n.kind !== 'STEP_ASSIGNED' && n.kind !== 'STEP_ARRIVED',
      ),
    ).toEqual([
      { kind: 'STEP_HALF_USED', username: 'specialist', created_at: new Date(at('2030-05-16T09:40:00')) },
      { kind: 'STEP_THREE_QUARTERS_USED', username: 'specialist', created_at: new Date(at('2030-05-22T09:40:00')) },
      {
        kind: 'STEP_THREE_QUARTERS_USED',
        username: 'division-head',
        created_at: new Date(at('2030-05-22T09:40:00')),
      },
      { kind: 'STEP_BREACHED', username: 'division-head', created_at: new Date(at('2030-05-28T09:40:00')) },
    ]);
    expect(sent).toEqual(
      expect.arrayContaining([
        { kind: 'DOSSIER_DUE_SOON', username: 'specialist', created_at: new Date(at('2030-06-14T09:40:00')) },
        { kind: 'DOSSIER_BREACHED', username: 'division-head', created_at: new Date(at('2030-06-17T09:40:00')) },
        { kind: 'DOSSIER_BREACHED', username: 'head', created_at: new Date(at('2030-06-17T09:40:00')) },
      ]),
    );
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await handle.result();
  });

  it('pauses for a supplement under PAUSE: the wait (5 WD) moves the due time by exactly 5 WD', async () => {
    const { handle } = await receive();
    await toSpecialist(handle);
    await skipTo('2030-05-13T09:40:00');
    const paused = await act(handle, 'specialist', {
      action: 'request-supplement',
      items: ['Bản sao có chứng thực giấy tờ về địa điểm'],
      reason: 'Giấy tờ địa điểm là bản chụp',
    });
    expect(paused).toMatchObject({ state: 'AWAITING_SUPPLEMENT', nationalStatus: 5 });
    expect(paused.deadline).toMatchObject({ dueAt: null, pauseReason: 'SUPPLEMENT' });
    expect(minute(paused.deadline.pausedSince)).toBe(iso('2030-05-13T09:40:00'));
    // A second request is refused: at most one (the national score counts a second as overdue).
    await skipTo('2030-05-20T09:40:00');
    const resumed = await act(handle, 'clerk', { action: 'submit-supplement' });
    expect(minute(resumed.deadline.dueAt)).toBe(iso('2030-06-24T09:40:00'));
    expect(minute(resumed.currentStep?.dueAt)).toBe(iso('2030-06-04T09:40:00'));
    expect(resumed.deadline.ledger.map((e) => e.kind)).toEqual(['ANCHOR', 'PAUSE', 'RESUME']);
    expect(resumed.deadline.ledger[2].explanation).toContain('5 WD of waiting not counted');
    const again = await refusal(act(handle, 'specialist', { action: 'request-supplement', items: ['x'], reason: 'y' }));
    expect(again).toEqual({ type: 'LIMIT_REACHED', message: expect.stringContaining('allows 1 supplement request') });
    await handle.terminate('test over');
  });

  it('restarts the full 30 WD under RESTART when the complete dossier arrives', async () => {
    const { handle } = await receive({
      clockPolicy: { supplement: 'RESTART', maxSupplementRequests: 1, applicantWindow: { amount: 15, unit: 'WD' } },
    });
    await toSpecialist(handle);
    await skipTo('2030-05-13T09:40:00');
    await act(handle, 'specialist', {
      action: 'request-supplement',
      items: ['Văn bản đồng ý'],
      reason: 'Thiếu văn bản',
    });
    await skipTo('2030-05-20T09:40:00');
    const restarted = await act(handle, 'clerk', { action: 'submit-supplement', note: 'Đã nhận đủ' });
    expect(minute(restarted.deadline.anchorAt)).toBe(iso('2030-05-20T09:40:00'));
    expect(minute(restarted.deadline.dueAt)).toBe(iso('2030-07-01T09:40:00'));
    expect(minute(restarted.currentStep?.dueAt)).toBe(iso('2030-06-11T09:40:00'));
    expect(restarted.deadline.ledger.at(-1)).toMatchObject({ kind: 'RESTART', previousDueAt: null });
    await handle.terminate('test over');
  });

  it('closes the dossier when the applicant lets the 15 WD window lapse', async () => {
    const { handle, code } = await receive();
    await toSpecialist(handle);
    await act(handle, 'specialist', {
      action: 'request-supplement',
      items: ['Văn bản đề nghị có chữ ký'],
      reason: 'Chưa ký',
    });
    await skipTo('2030-05-28T09:41:00');
    await expect(handle.result()).resolves.toMatchObject({
      state: 'CLOSED',
      nationalStatus: 8,
      outcome: 'CLOSED_NO_SUPPLEMENT',
    });
    const [row] = await db.query(
      `SELECT state, date_trunc('minute', finished_at + interval '30 seconds') AS finished_at FROM dossiers WHERE code = $1`,
      [code],
    );
    expect(row).toEqual({ state: 'CLOSED', finished_at: new Date(at('2030-05-27T09:40:00')) });
  });

  it('extends once, signed by the head, at least 1 WD before the due time; a second extension is refused', async () => {
    const { handle } = await receive();
    await toSpecialist(handle);
    const notHead = await refusal(
      act(handle, 'specialist', { action: 'request-extension', extraWorkingDays: 5, reason: 'x' }),
    );
    expect(notHead.type).toBe('ROLE_NOT_ALLOWED');
    await skipTo('2030-06-03T10:00:00');
    const extended = await act(handle, 'dept-leader', {
      action: 'request-extension',
      extraWorkingDays: 5,
      reason: 'Cần xác minh thực địa',
    });
    expect(extended.deadline).toMatchObject({
      extended: true,
      dueAt: iso('2030-06-24T09:40:00'),
      promisedAt: iso('2030-06-17T09:40:00'),
    });
    expect(extended.deadline.ledger.at(-1)).toMatchObject({ kind: 'EXTENSION', by: actors['dept-leader'].officerId });
    const second = await refusal(
      act(handle, 'dept-leader', { action: 'request-extension', extraWorkingDays: 2, reason: 'y' }),
    );
    expect(second).toEqual({ type: 'LIMIT_REACHED', message: expect.stringContaining('only once') });
    await handle.terminate('test over');
  });

  it('refuses an extension asked later than 1 WD before the due time', async () => {
    const { handle } = await receive();
    await toSpecialist(handle);
    await skipTo('2030-06-14T10:00:00');
    const late = await refusal(
      act(handle, 'dept-leader', { action: 'request-extension', extraWorkingDays: 5, reason: 'x' }),
    );
    expect(late.type).toBe('TOO_LATE');
    expect(late.message).toContain('09:40 14/06/2030');
    await handle.terminate('test over');
  });

  it('withdraws at the desk before a decision: status 7, the workflow ends', async () => {
    const { handle, code } = await receive();
    await toSpecialist(handle);
    const notDesk = await refusal(act(handle, 'specialist', { action: 'withdraw', reason: 'x' }));
    expect(notDesk.type).toBe('ROLE_NOT_ALLOWED');
    await act(handle, 'clerk', { action: 'withdraw', reason: 'Công dân đề nghị rút hồ sơ' });
    await expect(handle.result()).resolves.toMatchObject({
      state: 'WITHDRAWN',
      nationalStatus: 7,
      outcome: 'WITHDRAWN',
    });
    const [step] = await db.query(`SELECT exit FROM dossier_steps WHERE dossier_code = $1 AND code = 'S05'`, [code]);
    expect(step.exit).toBe('WITHDRAWN');
  });

  it('refuses on the merits by the leader: the refusal goes back through the desk and the dossier ends returned', async () => {
    const { handle } = await receive();
    await toSpecialist(handle);
    const wrongHolder = await refusal(act(handle, 'division-head', { action: 'refuse', reasons: ['x'] }));
    expect(wrongHolder).toEqual({ type: 'NOT_HOLDER', message: expect.stringContaining('held by Lê Minh Châu') });
    // The specialist finds the dossier ineligible, but the department's leader decides the refusal.
    const alone = await refusal(act(handle, 'specialist', { action: 'refuse', reasons: ['x'] }));
    expect(alone).toEqual({ type: 'ROLE_NOT_ALLOWED', message: expect.stringContaining('competent leader') });
    await act(handle, 'specialist', { action: 'complete', note: 'Dự thảo văn bản từ chối' });
    await act(handle, 'division-head', { action: 'claim' });
    await act(handle, 'division-head', { action: 'complete' });
    await act(handle, 'dept-leader', { action: 'claim' });
    const refused = await act(handle, 'dept-leader', { action: 'refuse', reasons: ['Địa điểm không hợp pháp'] });
    expect(refused).toMatchObject({ state: 'READY_FOR_RETURN', outcome: 'REFUSED', nationalStatus: 9 });
    expect(refused.currentStep?.code).toBe('S10');
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED', outcome: 'REFUSED' });
  });

  it('moves the due time by one working day when a holiday is added inside its remaining time, and fires then', async () => {
    const { handle, code } = await receive();
    await toSpecialist(handle);
    // The government adds Monday 10 June 2030 as a day off; the edit queues the change for running dossiers.
    const base = statutoryHolidays(2030);
    await new TypeOrmCalendarStore(db).put(
      {
        scope: 'VN',
        year: 2030,
        holidays: [...base.holidays, { date: '2030-06-10', name: 'Nghỉ bù (thử nghiệm)' }],
        makeupWorkdays: base.makeupWorkdays,
        legalBasis: 'Thông báo 99/TB-BNV',
      },
      actors.admin.officerId,
    );
    const [queued] = await db.query(
      `SELECT payload FROM outbox_messages WHERE kind = 'CALENDAR_CHANGED' AND aggregate_key = $1`,
      [code],
    );
    const change = queued.payload.change as CalendarChangedSignal;
    expect(change).toMatchObject({ scope: 'VN', year: 2030, changedDates: ['2030-06-10'] });
    await handle.signal(calendarChangedSignal, change);
    await eventually(
      async () => ((await snapshot(handle))?.deadline.ledger.at(-1)?.kind === 'CALENDAR_CHANGE' ? true : undefined),
      're-projected',
    );
    const moved = (await snapshot(handle))!;
    expect(moved.deadline.dueAt).toBe(iso('2030-06-18T09:40:00'));
    expect(moved.deadline.ledger.at(-1)?.explanation).toBe(
      'The calendar VN 2030 edited (2030-06-10), Thông báo 99/TB-BNV: due time moved from 09:40 17/06/2030 to 09:40 18/06/2030.',
    );
    await skipTo('2030-06-17T12:00:00');
    expect((await facts(code)).filter((f: { kind: string }) => f.kind === 'DOSSIER_BREACH')).toEqual([]);
    await skipTo('2030-06-18T12:00:00');
    await eventually(
      async () => ((await facts(code)).some((f: { kind: string }) => f.kind === 'DOSSIER_BREACH') ? true : undefined),
      'breach',
    );
    const breach = (await facts(code)).find((f: { kind: string }) => f.kind === 'DOSSIER_BREACH');
    // Exactly at the new due time (facts are rounded to the minute by the query; this one is exact).
    expect(breach.occurred_at).toEqual(new Date(at('2030-06-18T09:40:00')));
    await handle.terminate('test over');
  });
});

describe('dossierWorkflow — officer actions on the dev server', () => {
  let h: Harness | undefined;
  let env: TestWorkflowEnvironment;
  let taskQueue: string;
  let db: DataSource;
  let actors: Record<string, Actor>;

  beforeAll(async () => {
    h = await harness(
      await startTemporalDevServer({ port: await freePort(), dataConverter: testDataConverter() }),
      await createTestDatabase(),
    );
    ({ env, taskQueue, db, actors } = h);
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('deduplicates an action by update ID and rejects the wrong holder, leaving the dossier unchanged', async () => {
    const code = '000.00.20.H36-260316-0001';
    const receivedAt = new Date().toISOString();
    const clerkId = await insertReceivedDossier(db, code, receivedAt);
    const handle = await env.client.workflow.start(DOSSIER_WORKFLOW_TYPE, {
      workflowId: code,
      taskQueue,
      args: [dossierInput(code, receivedAt, { receivedBy: clerkId })],
    });
    const command = { actor: actors.clerk, request: { action: 'complete' as const } };
    const first = await handle.executeUpdate(actionUpdate, { args: [command], updateId: 'complete-1' });
    const again = await handle.executeUpdate(actionUpdate, { args: [command], updateId: 'complete-1' });
    expect(again).toEqual(first);
    expect(first.currentStep?.code).toBe('S02');

    const before = await handle.query(snapshotQuery);
    await expect(
      handle.executeUpdate(actionUpdate, { args: [{ actor: actors.specialist, request: { action: 'claim' } }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    expect(await handle.query(snapshotQuery)).toEqual(before);
    const events = await db.query(`SELECT type FROM dossier_events WHERE dossier_code = $1 ORDER BY seq`, [code]);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['PROCESSING_STARTED', 'STEP_COMPLETED']);
    await handle.terminate('test over');
  });
});
