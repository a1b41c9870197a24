import { randomBytes } from 'node:crypto';
import {
  type NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
  bundleWorkflowCode,
} from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { createDossierActivities } from '../../activities';
import { dataSourceOptions, TypeOrmCalendarStore, TypeOrmDossierStore } from '../../libs/persistence/src';
import { WORKFLOW_PRELOAD_MODULES } from '../../apps/worker/src/workflows-source';
import { actionsTaskQueue } from '../../workflows/dossier.types';
import { testDataConverter } from './payload-keys';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow bundle, built once per test file (webpack is the slow part of creating a worker). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    logger: quietLogger,
  });
  return bundle;
}

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

/** The workers of one dossier task queue: the workflows and activities, and the officers' actions' activities. */
export interface TestWorker {
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * A worker running the real workflows and the real activities against a test database, payloads encrypted, with the
 * activity worker of the queue's actions (actionsTaskQueue), as the product's worker runs them.
 */
export async function createTestWorker(
  connection: NativeConnection,
  databaseUrl: string,
  namespace = 'default',
  taskQueue = `wf-${randomBytes(4).toString('hex')}`,
): Promise<{ worker: TestWorker; taskQueue: string; dataSource: DataSource }> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, 4));
  await dataSource.initialize();
  const activities = createDossierActivities({
    dossiers: new TypeOrmDossierStore(dataSource),
    calendars: new TypeOrmCalendarStore(dataSource),
    timeZone: 'Asia/Ho_Chi_Minh',
  });
  const workers = [
    await Worker.create({
      connection,
      namespace,
      taskQueue,
      workflowBundle: await workflowBundle(),
      dataConverter: testDataConverter(),
      activities,
    }),
    await Worker.create({
      connection,
      namespace,
      taskQueue: actionsTaskQueue(taskQueue),
      dataConverter: testDataConverter(),
      activities,
    }),
  ];
  const worker: TestWorker = {
    run: () => Promise.all(workers.map((w) => w.run())).then(() => undefined),
    shutdown: () => {
      for (const w of workers) {
        if (w.getState() === 'RUNNING') {
          w.shutdown();
        }
      }
    },
  };
  return { worker, taskQueue, dataSource };
}

/** Inserts a received dossier the way intake does, so activities have a row to project onto. */
export async function insertReceivedDossier(
  dataSource: DataSource,
  code: string,
  receivedAt: string = new Date().toISOString(),
  { procedure = '2.000908', unit = '000.00.20.H36', clerk = 'clerk' } = {},
): Promise<string> {
  const [officer] = await dataSource.query(`SELECT id FROM officers WHERE username = $1`, [clerk]);
  await dataSource.query(
    `INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                           applicant_name, national_status, received_at, received_by)
     VALUES ($1, $4, $5, 'IN_PERSON', 'INDIVIDUAL', '001203004567', 'Nguyễn Văn An', 2, $3, $2)`,
    [code, officer.id, receivedAt, unit, procedure],
  );
  return officer.id as string;
}
