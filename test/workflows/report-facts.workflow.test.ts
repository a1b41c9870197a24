import { type WorkflowHandle } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type DataSource } from 'typeorm';
import { TypeOrmReportStore } from '../../libs/persistence/src';
import { startTimeSkippingServer } from '../../scripts/infra/temporal-server';
import { actionUpdate, snapshotQuery } from '../../workflows/dossier.messages';
import {
  type Actor,
  type DossierAction,
  DOSSIER_WORKFLOW_TYPE,
  type DossierWorkflowSnapshot,
} from '../../workflows/dossier.types';
import { CENTRE, dossierInput, EXAMPLE_A_WALK, seededActors } from '../support/dossier-fixtures';
import { createTestDatabase, eventually } from '../support/infrastructure';
import { testDataConverter } from '../support/payload-keys';
import { createTestWorker, insertReceivedDossier } from '../support/workflow-worker';

/**
 * What the real activities leave in the report's facts as example A runs on the time-skipping server: the dossier is
 * judged there as the reports count it (domain §3, §6).
 */
const RECEIVED = '2030-05-06T09:40';
const at = (local: string): number => Date.parse(`${local}:00+07:00`);
const iso = (local: string): string => new Date(at(local)).toISOString();
const TO_SPECIALIST = EXAMPLE_A_WALK.slice(0, 6);
const FROM_SPECIALIST = EXAMPLE_A_WALK.slice(6);

type Handle = WorkflowHandle<() => Promise<DossierWorkflowSnapshot>>;

describe('dossierWorkflow — the report facts its transitions write', () => {
  let env: TestWorkflowEnvironment;
  let db: DataSource;
  let actors: Record<string, Actor>;
  let taskQueue: string;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    env = await startTimeSkippingServer(testDataConverter());
    const started = await createTestWorker(env.nativeConnection, await createTestDatabase());
    const running = started.worker.run();
    ({ taskQueue, dataSource: db } = started);
    actors = await seededActors(db);
    stopWorker = async () => {
      started.worker.shutdown();
      await running;
      await db.destroy();
    };
  });

  afterAll(async () => {
    await stopWorker?.();
    await env?.teardown();
  });

  async function skipTo(local: string): Promise<void> {
    const ahead = at(local) - (await env.currentTimeMs());
    if (ahead > 0) {
      await env.sleep(ahead);
    }
  }

  const act = (handle: Handle, who: string, request: DossierAction): Promise<DossierWorkflowSnapshot> =>
    handle.executeUpdate(actionUpdate, { args: [{ actor: actors[who], request }] });

  async function walk(handle: Handle, moves: typeof EXAMPLE_A_WALK): Promise<DossierWorkflowSnapshot | undefined> {
    let last: DossierWorkflowSnapshot | undefined;
    for (const [who, action, body = {}] of moves) {
      const assignee = typeof body.assignee === 'string' ? actors[body.assignee] : undefined;
      last = await act(handle, who, { action, ...body, ...(assignee ? { assignee } : {}) } as DossierAction);
    }
    return last;
  }

  const facts = async (code: string) => {
    const [row] = await db.query<
      { timeliness: string | null; extended: boolean; original_due_at: Date | null; due_at: Date | null }[]
    >(`SELECT timeliness, extended, original_due_at, due_at FROM dossier_facts WHERE dossier_code = $1`, [code]);
    return row;
  };

  it('3. An extended dossier is not "on time": resolved after its promised time, the facts say late, with apology', async () => {
    const code = '000.00.20.H36-300506-0301';
    await skipTo(RECEIVED);
    const clerkId = await insertReceivedDossier(db, code, iso(RECEIVED));
    // The report's row, as intake writes it with the dossier.
    await db.query(
      `INSERT INTO dossier_facts (dossier_code, unit_code, procedure_code, field, channel, received_at, due_at,
                                  recorded_at)
       VALUES ($1, $2, '2.000908', '', 'IN_PERSON', $3, $4, now())`,
      [code, CENTRE, iso(RECEIVED), iso('2030-06-17T09:40')],
    );
    const handle: Handle = await env.client.workflow.start(DOSSIER_WORKFLOW_TYPE, {
      workflowId: code,
      taskQueue,
      args: [dossierInput(code, iso(RECEIVED), { receivedBy: clerkId })],
    });
    await eventually(
      async () => ((await handle.query(snapshotQuery)).nationalStatus === 4 ? true : undefined),
      'processing',
    );
    await walk(handle, TO_SPECIALIST);

    // Promised for 17 June; the department's leader signs an apology letter moving it to 24 June.
    await skipTo('2030-06-03T10:00');
    await act(handle, 'dept-leader', {
      action: 'request-extension',
      extraWorkingDays: 5,
      reason: 'Cần xác minh thực địa',
    });
    await skipTo('2030-06-19T10:00');
    const processed = await walk(handle, FROM_SPECIALIST);
    expect(processed).toMatchObject({ state: 'READY_FOR_RETURN', deadline: { dueAt: iso('2030-06-24T09:40') } });
    expect(await facts(code)).toEqual({
      timeliness: 'LATE',
      extended: true,
      original_due_at: new Date(iso('2030-06-17T09:40')),
      due_at: new Date(iso('2030-06-24T09:40')),
    });

    await act(handle, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' });
    await handle.result();
    expect(await facts(code)).toMatchObject({ timeliness: 'LATE', extended: true });
    const [june] = await new TypeOrmReportStore(db).progress({
      from: new Date(iso('2030-06-01T00:00')),
      to: new Date(iso('2030-07-01T00:00')),
      units: [CENTRE],
      groupBy: 'unit',
    });
    expect(june.flows).toMatchObject({ early: 0, onTime: 0, late: 1, lateWithApology: 1 });
  });
});
