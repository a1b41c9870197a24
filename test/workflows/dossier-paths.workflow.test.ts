import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type WorkflowHandle } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type DataSource } from 'typeorm';
import { workingCalendarData } from '../../activities/dossier.activities';
import { reachableCalendarData, statutoryHolidays } from '../../libs/calendar/src';
import { TypeOrmCalendarStore } from '../../libs/persistence/src';
import { startTimeSkippingServer } from '../../scripts/infra/temporal-server';
import { actionUpdate, calendarChangedSignal, snapshotQuery } from '../../workflows/dossier.messages';
import {
  type Actor,
  type DossierAction,
  DOSSIER_WORKFLOW_RELEASE,
  DOSSIER_WORKFLOW_TYPE,
  type DossierRules,
  type DossierWorkflowInput,
  type DossierWorkflowSnapshot,
} from '../../workflows/dossier.types';
import { dossierInput, EXAMPLE_A_WALK, seededActors } from '../support/dossier-fixtures';
import { createTestDatabase, eventually } from '../support/infrastructure';
import { createTestWorker, insertReceivedDossier } from '../support/workflow-worker';
import { readableHistoryJSON, testDataConverter } from '../support/payload-keys';

/**
 * Example A down the paths that had no committed history (supplement under PAUSE and under RESTART, an extension, a
 * calendar edit, a withdrawal, the clock as the law has it), on the time-skipping server. `RECORD_HISTORIES=1` writes each run's history to
 * `histories/`, where replay.test.ts replays it on every later version of the code.
 */
const RECEIVED = '2030-05-06T09:40';
const at = (local: string): number => Date.parse(`${local}:00+07:00`);
const iso = (local: string): string => new Date(at(local)).toISOString();
/** Officers act a few real milliseconds after each skip: instants derived from an action compare to the minute. */
const minute = (value: string | null | undefined): string | null =>
  value ? new Date(Math.round(Date.parse(value) / 60_000) * 60_000).toISOString() : null;
/** EXAMPLE_A_WALK up to the specialist holding S05, and from S05 to the result waiting at the desk. */
const TO_SPECIALIST = EXAMPLE_A_WALK.slice(0, 6);
const FROM_SPECIALIST = EXAMPLE_A_WALK.slice(6);

type Handle = WorkflowHandle<() => Promise<DossierWorkflowSnapshot>>;

describe('dossierWorkflow — example A paths recorded for replay', () => {
  let databaseUrl: string;
  let env: TestWorkflowEnvironment;
  let db: DataSource;
  let actors: Record<string, Actor>;
  let taskQueue: string;
  let stopWorker: () => Promise<void>;
  let serial = 0;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });

  // The test server's clock only moves forward: each path gets a server of its own, starting before 6 May 2030.
  beforeEach(async () => {
    env = await startTimeSkippingServer(testDataConverter());
    const started = await createTestWorker(env.nativeConnection, databaseUrl);
    const running = started.worker.run();
    ({ taskQueue, dataSource: db } = started);
    actors = await seededActors(db);
    stopWorker = async () => {
      started.worker.shutdown();
      await running;
      await db.destroy();
    };
  });

  afterEach(async () => {
    await stopWorker();
    await env.teardown();
  });

  async function skipTo(local: string): Promise<void> {
    const ahead = at(local) - (await env.currentTimeMs());
    if (ahead > 0) {
      await env.sleep(ahead);
    }
  }

  /** Example A received by the clerk at 09:40 on 6 May 2030 and taken into processing. */
  async function receive(rules?: Partial<DossierRules>, more: Partial<DossierWorkflowInput> = {}): Promise<Handle> {
    serial += 1;
    const code = `000.00.20.H36-300506-${String(100 + serial).padStart(4, '0')}`;
    await skipTo(RECEIVED);
    const clerkId = await insertReceivedDossier(db, code, iso(RECEIVED));
    const handle: Handle = await env.client.workflow.start(DOSSIER_WORKFLOW_TYPE, {
      workflowId: code,
      taskQueue,
      args: [{ ...dossierInput(code, iso(RECEIVED), { receivedBy: clerkId, rules }), ...more }],
    });
    await until(handle, (d) => d.nationalStatus === 4, 'processing');
    return handle;
  }

  const act = (handle: Handle, who: string, request: DossierAction): Promise<DossierWorkflowSnapshot> =>
    handle.executeUpdate(actionUpdate, { args: [{ actor: actors[who], request }] });

  /** Officers' actions as EXAMPLE_A_WALK names them (assignees by username). */
  async function walk(handle: Handle, moves: typeof EXAMPLE_A_WALK): Promise<DossierWorkflowSnapshot | undefined> {
    let last: DossierWorkflowSnapshot | undefined;
    for (const [who, action, body = {}] of moves) {
      const assignee = typeof body.assignee === 'string' ? actors[body.assignee] : undefined;
      last = await act(handle, who, { action, ...body, ...(assignee ? { assignee } : {}) } as DossierAction);
    }
    return last;
  }

  const until = (
    handle: Handle,
    test: (d: DossierWorkflowSnapshot) => boolean,
    what: string,
  ): Promise<DossierWorkflowSnapshot> =>
    eventually(async () => {
      const d = await handle.query(snapshotQuery).catch(() => undefined);
      return d && test(d) ? d : undefined;
    }, what);

  /** Writes the run's history for the replay test when asked to (`RECORD_HISTORIES=1`). */
  async function record(handle: Handle, file: string): Promise<void> {
    if (process.env.RECORD_HISTORIES === '1') {
      writeFileSync(join(__dirname, 'histories', file), await readableHistoryJSON(await handle.fetchHistory()));
    }
  }

  const SUPPLEMENT: DossierAction = {
    action: 'request-supplement',
    items: ['Bản sao có chứng thực giấy tờ về địa điểm'],
    reason: 'Giấy tờ địa điểm là bản chụp',
  };

  it('pauses for a supplement under PAUSE, then finishes early against the due time moved by the wait', async () => {
    const handle = await receive();
    await walk(handle, TO_SPECIALIST);
    await skipTo('2030-05-13T09:40');
    await act(handle, 'specialist', SUPPLEMENT);
    await skipTo('2030-05-20T09:40');
    const resumed = await act(handle, 'clerk', { action: 'submit-supplement', note: 'Đã nhận đủ' });
    expect(minute(resumed.deadline.dueAt)).toBe(iso('2030-06-24T09:40'));
    await skipTo('2030-06-18T10:00');
    expect(await walk(handle, FROM_SPECIALIST)).toMatchObject({ state: 'READY_FOR_RETURN', timeliness: 'EARLY' });
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED' });
    await record(handle, 'dossier-workflow-v4-example-a-supplement-pause.json');
  });

  it('restarts the full 30 WD under RESTART when the complete dossier arrives', async () => {
    const handle = await receive({
      clockPolicy: { supplement: 'RESTART', maxSupplementRequests: 1, applicantWindow: { amount: 15, unit: 'WD' } },
    });
    await walk(handle, TO_SPECIALIST);
    await skipTo('2030-05-13T09:40');
    await act(handle, 'specialist', SUPPLEMENT);
    await skipTo('2030-05-20T09:40');
    const restarted = await act(handle, 'clerk', { action: 'submit-supplement' });
    expect(minute(restarted.deadline.dueAt)).toBe(iso('2030-07-01T09:40'));
    await skipTo('2030-06-25T10:00');
    expect(await walk(handle, FROM_SPECIALIST)).toMatchObject({ state: 'READY_FOR_RETURN', timeliness: 'EARLY' });
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'POSTAL' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED' });
    await record(handle, 'dossier-workflow-v4-example-a-supplement-restart.json');
  });

  it('extends the return time by 5 WD, so a result after the promised time is still early', async () => {
    const handle = await receive();
    await walk(handle, TO_SPECIALIST);
    await skipTo('2030-06-03T10:00');
    const extended = await act(handle, 'dept-leader', {
      action: 'request-extension',
      extraWorkingDays: 5,
      reason: 'Cần xác minh thực địa',
    });
    expect(extended.deadline).toMatchObject({ extended: true, dueAt: iso('2030-06-24T09:40') });
    await skipTo('2030-06-19T10:00');
    expect(await walk(handle, FROM_SPECIALIST)).toMatchObject({ timeliness: 'EARLY' });
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'ELECTRONIC' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED' });
    await record(handle, 'dossier-workflow-v4-example-a-extension.json');
  });

  // Before the calendar edit below, which adds a day off to the database the paths share.
  it('keeps time as the law has it: transfer by the day’s close, a window in calendar days, a new appointment at 17:00', async () => {
    const handle = await receive({
      transfer: { medium: 'ELECTRONIC', nextDayFrom: '15:00' },
      clockPolicy: { supplement: 'RESTART', maxSupplementRequests: 1, applicantWindow: { amount: 15, unit: 'CD' } },
    });
    const started = await handle.query(snapshotQuery);
    // The desk transfers an electronic dossier received before 15:00 by the close of the same day.
    expect(started.currentStep).toMatchObject({ code: 'S01', dueAt: iso('2030-05-06T17:00') });
    await walk(handle, TO_SPECIALIST);
    await skipTo('2030-05-13T09:40');
    const asked = await act(handle, 'specialist', SUPPLEMENT);
    // 15 calendar days, not 45 working days.
    expect(minute(asked.deadline.ledger.at(-1)?.at)).toBe(iso('2030-05-13T09:40'));
    expect(asked.deadline.ledger.at(-1)?.explanation).toContain('The applicant has until 09:40 28/05/2030.');
    // Brought on Saturday 25 May: 30 WD from Monday 27 May 07:00 end at the close of Friday 5 July.
    await skipTo('2030-05-25T10:00');
    const restarted = await act(handle, 'clerk', { action: 'submit-supplement' });
    expect(restarted.deadline).toMatchObject({
      promisedAt: iso('2030-07-05T17:00'),
      dueAt: iso('2030-07-05T17:00'),
      indexDueAt: expect.any(String),
    });
    await skipTo('2030-07-05T16:00');
    const finished = await walk(handle, FROM_SPECIALIST);
    // On the last day, by the new appointment; late by the first appointment plus the wait (Decision 766).
    expect(finished).toMatchObject({ timeliness: 'ON_TIME', deadline: { indexTimeliness: 'LATE' } });
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED' });
    await record(handle, 'dossier-workflow-v5-example-a-clock-as-law.json');
  });

  it('moves the due time a working day on a calendar edit, so a result the day before it is early', async () => {
    const handle = await receive();
    await walk(handle, TO_SPECIALIST);
    // Monday 10 June 2030 becomes a day off: the dossier is due a working day later.
    const year = statutoryHolidays(2030);
    await new TypeOrmCalendarStore(db).put(
      {
        scope: 'VN',
        year: 2030,
        holidays: [...year.holidays, { date: '2030-06-10', name: 'Nghỉ bù (thử nghiệm)' }],
        makeupWorkdays: year.makeupWorkdays,
        legalBasis: 'Thông báo 99/TB-BNV',
      },
      actors.admin.officerId,
    );
    await handle.signal(calendarChangedSignal, { scope: 'VN', year: 2030, changedDates: ['2030-06-10'] });
    const moved = await until(handle, (d) => d.deadline.ledger.at(-1)?.kind === 'CALENDAR_CHANGE', 're-projection');
    expect(moved.deadline.dueAt).toBe(iso('2030-06-18T09:40'));
    await skipTo('2030-06-17T12:00');
    expect(await walk(handle, FROM_SPECIALIST)).toMatchObject({ timeliness: 'EARLY' });
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED' });
    await record(handle, 'dossier-workflow-v4-example-a-calendar-change.json');
  });

  it('returns a procedure that returns at once (2.000635) in the visit: processed and returned on time, no breach', async () => {
    const code = '000.31.01.H36-300506-0001';
    await skipTo(RECEIVED);
    const clerkId = await insertReceivedDossier(db, code, iso(RECEIVED), {
      procedure: '2.000635',
      unit: '000.31.01.H36',
      clerk: 'commune-clerk',
    });
    const handle: Handle = await env.client.workflow.start(DOSSIER_WORKFLOW_TYPE, {
      workflowId: code,
      taskQueue,
      args: [
        dossierInput(code, iso(RECEIVED), {
          procedure: '2.000635',
          receivingUnitCode: '000.31.01.H36',
          receivedBy: clerkId,
        }),
      ],
    });
    const started = await until(handle, (d) => d.currentStep?.code === 'R1', 'the desk step');
    expect(started.currentStep).toMatchObject({ holderId: clerkId, unit: '000.31.01.H36' });
    await skipTo('2030-05-06T09:55');
    const returned = await act(handle, 'commune-clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    expect(returned).toMatchObject({ state: 'RESULT_RETURNED', nationalStatus: 10, timeliness: 'ON_TIME' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED', outcome: 'APPROVED' });
    const [row] = await db.query(`SELECT state, timeliness FROM dossiers WHERE code = $1`, [code]);
    expect(row).toEqual({ state: 'RESULT_RETURNED', timeliness: 'ON_TIME' });
    const breaches = await db.query(`SELECT kind FROM deadline_facts WHERE dossier_code = $1`, [code]);
    expect(breaches).toEqual([]);
    await record(handle, 'dossier-workflow-v5-immediate-return.json');
  });

  it('waits for a fee, and resumes when the payment gateway records it paid online (payment-gateway patch)', async () => {
    const handle = await receive();
    await walk(handle, TO_SPECIALIST);
    await skipTo('2030-05-13T09:40');
    await act(handle, 'specialist', { action: 'request-payment', amount: 200_000, reason: 'Phí thẩm định' });
    await skipTo('2030-05-14T10:00');
    const gateway: Actor = {
      officerId: '00000000-0000-4000-8000-000000000766',
      username: 'payment-gateway',
      fullName: 'Cổng thanh toán',
      roles: ['PAYMENT_GATEWAY'],
      unitCodes: [],
      headOfUnits: [],
    };
    const paid = await handle.executeUpdate(actionUpdate, {
      args: [
        { actor: gateway, request: { action: 'record-payment', amount: 200_000, method: 'ONLINE', reference: 'T1' } },
      ],
    });
    expect(paid).toMatchObject({ state: 'IN_PROGRESS', paid: true, nationalStatus: 4 });
    expect(await walk(handle, FROM_SPECIALIST)).toMatchObject({ state: 'READY_FOR_RETURN' });
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED' });
    await record(handle, 'dossier-workflow-v6-example-a-payment-gateway.json');
  });

  it('withdraws at the desk while the applicant is asked for documents: status 7, the workflow ends', async () => {
    const handle = await receive();
    await walk(handle, TO_SPECIALIST);
    await skipTo('2030-05-13T09:40');
    await act(handle, 'specialist', SUPPLEMENT);
    await skipTo('2030-05-15T09:40');
    await act(handle, 'clerk', { action: 'withdraw', reason: 'Công dân đề nghị rút hồ sơ' });
    await expect(handle.result()).resolves.toMatchObject({
      state: 'WITHDRAWN',
      nationalStatus: 7,
      outcome: 'WITHDRAWN',
      deadline: { pausedSince: null },
    });
    await record(handle, 'dossier-workflow-v4-example-a-withdrawal.json');
  });

  it('computes with the calendar its input carries, without loading it, and reloads it on a calendar edit', async () => {
    const calendars = new TypeOrmCalendarStore(db);
    // Monday 10 June 2030 a day off (as the calendar edit above leaves it), in the calendar handed over.
    const statutory = statutoryHolidays(2030);
    await calendars.put(
      {
        scope: 'VN',
        year: 2030,
        holidays: [...statutory.holidays, { date: '2030-06-10', name: 'Nghỉ bù (thử nghiệm)' }],
        makeupWorkdays: statutory.makeupWorkdays,
        legalBasis: 'Thông báo 99/TB-BNV',
      },
      actors.admin.officerId,
    );
    const handed = reachableCalendarData(
      await workingCalendarData(calendars, '000.00.20.H36', 'Asia/Ho_Chi_Minh'),
      iso(RECEIVED),
    );
    const handle = await receive(undefined, { calendar: handed });
    const loads = async () =>
      ((await handle.fetchHistory()).events ?? []).filter(
        (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
      ).length;
    const started = await handle.query(snapshotQuery);
    // 30 WD from 09:40 6 May, 10 June off: 18 June, as loaded from the database.
    expect(started.deadline.dueAt).toBe(iso('2030-06-18T09:40'));
    expect(await loads()).toBe(0);
    await walk(handle, TO_SPECIALIST);
    // Tuesday 11 June 2030 becomes a day off too: the workflow loads the calendar anew, one working day later.
    const year = (await calendars.find('VN', 2030))!;
    await calendars.put(
      {
        scope: 'VN',
        year: 2030,
        holidays: [...year.holidays, { date: '2030-06-11', name: 'Nghỉ bù (thử nghiệm 2)' }],
        makeupWorkdays: year.makeupWorkdays,
        legalBasis: 'Thông báo 100/TB-BNV',
      },
      actors.admin.officerId,
    );
    await handle.signal(calendarChangedSignal, { scope: 'VN', year: 2030, changedDates: ['2030-06-11'] });
    const moved = await until(handle, (d) => d.deadline.ledger.at(-1)?.kind === 'CALENDAR_CHANGE', 're-projection');
    expect(moved.deadline.dueAt).toBe(iso('2030-06-19T09:40'));
    expect(await loads()).toBe(1);
    await skipTo('2030-06-18T12:00');
    expect(await walk(handle, FROM_SPECIALIST)).toMatchObject({ timeliness: 'EARLY' });
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED' });
    await record(handle, 'dossier-workflow-v8-example-a-calendar-in-input.json');
  });

  it('starts under release 1 of the rules (in its input) with no marker and no search-attribute upsert, and walks example A', async () => {
    const handed = reachableCalendarData(
      await workingCalendarData(new TypeOrmCalendarStore(db), '000.00.20.H36', 'Asia/Ho_Chi_Minh'),
      iso(RECEIVED),
    );
    const handle = await receive(undefined, { calendar: handed, release: 1 });
    const events = (await handle.fetchHistory()).events ?? [];
    // The release in the input stands for every rule change: nothing recorded per change, no calendar loaded.
    expect(
      events.filter((e) => e.markerRecordedEventAttributes).map((e) => e.markerRecordedEventAttributes?.markerName),
    ).toEqual([]);
    expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toHaveLength(0);
    const started = await handle.query(snapshotQuery);
    // The same due time as a dossier received with it that loads the calendar itself (the database's, as it is now).
    const loading = await receive();
    expect(started.deadline.dueAt).toBe((await loading.query(snapshotQuery)).deadline.dueAt);
    await loading.terminate('compared');
    await walk(handle, TO_SPECIALIST);
    await skipTo('2030-06-14T12:00');
    expect(await walk(handle, FROM_SPECIALIST)).toMatchObject({ timeliness: 'EARLY' });
    // The actions' transitions went through the actions' queue, as under CURRENT_RULES_PATCH.
    const queues = ((await handle.fetchHistory()).events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name)
      .filter((q): q is string => Boolean(q));
    expect(queues.filter((q) => q === `${taskQueue}.actions`).length).toBeGreaterThan(0);
    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await expect(handle.result()).resolves.toMatchObject({ state: 'RESULT_RETURNED' });
    await record(handle, 'dossier-workflow-v9-example-a-release-1.json');
  });

  it('leaves a dossier started under a release this worker does not know to a newer worker: its task fails, nothing runs', async () => {
    serial += 1;
    const code = `000.00.20.H36-300506-${String(100 + serial).padStart(4, '0')}`;
    await skipTo(RECEIVED);
    await insertReceivedDossier(db, code, iso(RECEIVED));
    const handle: Handle = await env.client.workflow.start(DOSSIER_WORKFLOW_TYPE, {
      workflowId: code,
      taskQueue,
      args: [{ ...dossierInput(code, iso(RECEIVED)), release: DOSSIER_WORKFLOW_RELEASE + 1 }],
    });
    const failed = await eventually(async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      return events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes ?? undefined;
    }, 'a failed workflow task');
    expect(failed.failure?.message).toMatch(
      new RegExp(`release ${DOSSIER_WORKFLOW_RELEASE + 1} .* knows up to ${DOSSIER_WORKFLOW_RELEASE}`),
    );
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes || e.timerStartedEventAttributes)).toHaveLength(
      0,
    );
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test over');
  });
});
