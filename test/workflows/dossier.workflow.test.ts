import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type Worker } from '@temporalio/worker';
import { type DataSource } from 'typeorm';
import { returnResultUpdate, snapshotQuery } from '../../workflows/dossier.messages';
import { DOSSIER_WORKFLOW_TYPE, type DossierWorkflowInput } from '../../workflows/dossier.types';
import { startTemporalDevServer, freePort, startTimeSkippingServer } from '../../scripts/infra/temporal-server';
import { createTestDatabase, eventually } from '../support/infrastructure';
import { createTestWorker, insertReceivedDossier } from '../support/workflow-worker';

const input = (code: string): DossierWorkflowInput => ({
  dossierCode: code,
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  receivedAt: '2026-03-16T02:40:00.000Z',
});

/** Starts the workflow of a received dossier and waits until it has taken the dossier into processing. */
async function startProcessing(env: TestWorkflowEnvironment, taskQueue: string, code: string) {
  const handle = await env.client.workflow.start(DOSSIER_WORKFLOW_TYPE, {
    workflowId: code,
    taskQueue,
    args: [input(code)],
  });
  await eventually(
    async () => ((await handle.query(snapshotQuery)).nationalStatus === 4 ? true : undefined),
    'processing',
  );
  return handle;
}

describe('dossierWorkflow', () => {
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });

  describe('on the dev server (updates)', () => {
    let env: TestWorkflowEnvironment;
    let worker: Worker;
    let taskQueue: string;
    let db: DataSource;
    let running: Promise<void>;

    beforeAll(async () => {
      env = await startTemporalDevServer({ port: await freePort() });
      ({ worker, taskQueue, dataSource: db } = await createTestWorker(env.nativeConnection, databaseUrl));
      running = worker.run();
    });

    afterAll(async () => {
      worker?.shutdown();
      await running;
      await db?.destroy();
      await env?.teardown();
    });

    it('takes the dossier into processing, returns the result once and persists each step once', async () => {
      const code = '000.00.20.H36-260316-0001';
      await insertReceivedDossier(db, code);
      const handle = await startProcessing(env, taskQueue, code);
      const [row] = await db.query(`SELECT national_status, workflow_started_at FROM dossiers WHERE code = $1`, [code]);
      expect(row.national_status).toBe(4);
      expect(row.workflow_started_at).toBeInstanceOf(Date);

      const officerId = '00000000-0000-4000-8000-000000000001';
      const result = await handle.executeUpdate(returnResultUpdate, {
        args: [{ actorId: officerId, deliveryMethod: 'ELECTRONIC' }],
        updateId: 'return-once',
      });
      expect(result).toMatchObject({ state: 'RESULT_RETURNED', nationalStatus: 10, lastEventSeq: 2 });

      // The same update ID again is deduplicated by Temporal: same outcome, nothing recorded twice.
      const again = await handle.executeUpdate(returnResultUpdate, {
        args: [{ actorId: officerId, deliveryMethod: 'ELECTRONIC' }],
        updateId: 'return-once',
      });
      expect(again).toEqual(result);

      expect(await handle.result()).toMatchObject({ state: 'RESULT_RETURNED', nationalStatus: 10 });
      const events = await db.query(
        `SELECT seq, type, national_status, actor_id, payload FROM dossier_events WHERE dossier_code = $1 ORDER BY seq`,
        [code],
      );
      expect(events).toEqual([
        expect.objectContaining({ seq: 1, type: 'PROCESSING_STARTED', national_status: 4 }),
        expect.objectContaining({
          seq: 2,
          type: 'RESULT_RETURNED',
          national_status: 10,
          actor_id: officerId,
          payload: { deliveryMethod: 'ELECTRONIC', note: null },
        }),
      ]);

      if (process.env.RECORD_HISTORIES === '1') {
        const history = await handle.fetchHistory();
        writeFileSync(join(__dirname, 'histories', 'dossier-workflow-v1.json'), historyToJSON(history));
      }
    });

    it('rejects returning a result twice with a reason, and changes nothing', async () => {
      const code = '000.00.20.H36-260316-0002';
      await insertReceivedDossier(db, code);
      const handle = await startProcessing(env, taskQueue, code);
      await handle.executeUpdate(returnResultUpdate, {
        args: [{ actorId: '00000000-0000-4000-8000-000000000001', deliveryMethod: 'IN_PERSON' }],
      });
      // Completed workflows reject updates; a second request while running is rejected by the validator.
      await expect(
        handle.executeUpdate(returnResultUpdate, {
          args: [{ actorId: '00000000-0000-4000-8000-000000000001', deliveryMethod: 'POSTAL' }],
        }),
      ).rejects.toBeInstanceOf(Error);
      const events = await db.query(`SELECT type FROM dossier_events WHERE dossier_code = $1 ORDER BY seq`, [code]);
      expect(events.map((e: { type: string }) => e.type)).toEqual(['PROCESSING_STARTED', 'RESULT_RETURNED']);
    });

    it('answers a concurrent second return with the validator reason while the first is still being recorded', async () => {
      const code = '000.00.20.H36-260316-0003';
      await insertReceivedDossier(db, code);
      const handle = await startProcessing(env, taskQueue, code);
      const command = { actorId: '00000000-0000-4000-8000-000000000001', deliveryMethod: 'IN_PERSON' as const };
      const outcomes = await Promise.allSettled([
        handle.executeUpdate(returnResultUpdate, { args: [command], updateId: 'a' }),
        handle.executeUpdate(returnResultUpdate, { args: [command], updateId: 'b' }),
      ]);
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      const reason = rejected[0].reason as WorkflowUpdateFailedError;
      expect(reason).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(reason.cause?.message).toBe(`Dossier ${code} has already had its result returned.`);
    });
  });

  describe('on the time-skipping server', () => {
    let env: TestWorkflowEnvironment;
    let worker: Worker;
    let taskQueue: string;
    let db: DataSource;

    beforeAll(async () => {
      env = await startTimeSkippingServer();
      ({ worker, taskQueue, dataSource: db } = await createTestWorker(env.nativeConnection, databaseUrl));
    });

    afterAll(async () => {
      await db?.destroy();
      await env?.teardown();
    });

    it('waits for the desk across months of skipped time without losing its state', async () => {
      const code = '000.00.20.H36-260316-0004';
      await insertReceivedDossier(db, code);
      await worker.runUntil(async () => {
        const handle = await startProcessing(env, taskQueue, code);
        const before = Date.now();
        await env.sleep('90 days');
        const snapshot = await handle.query(snapshotQuery);
        expect(snapshot).toEqual({ dossierCode: code, state: 'PROCESSING', nationalStatus: 4, lastEventSeq: 1 });
        // Ninety days passed on the server's clock in moments of real time.
        expect(Date.now() - before).toBeLessThan(60_000);
        const described = await handle.describe();
        expect(described.status.name).toBe('RUNNING');
        await handle.terminate('test over');
      });
    });
  });
});
