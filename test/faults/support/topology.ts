import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { type OfficeHours } from '../../../libs/calendar/src';
import { type ProcedureDefinition } from '../../../libs/domain/src';
import {
  dataSourceOptions,
  loadSeedCatalog,
  markEmbeddedDatabase,
  runMigrations,
  seedDemoData,
  seedReferenceData,
  TypeOrmProcedureStore,
} from '../../../libs/persistence/src';
import { ensureDatabase } from '../../../scripts/infra/databases';
import { ensureTemporalCli } from '../../../scripts/infra/tools';
import { ensureWorkflowBundle } from '../../../scripts/infra/workflow-bundle';
import { TEST_PAYLOAD_KEYS } from '../../support/payload-keys';
import { NodeService, PostgresService, type Supervised, TemporalService } from './supervisor';

export const TASK_QUEUE = 'dossiers-faults';
const DATABASE = 'dossiers';

/**
 * Example A with deadlines in seconds (each step 18 s, the dossier 72 s of working time), so that ladder rungs,
 * breaches and the due-soon warning fall due while processes are being killed. Published straight into the tier's
 * own database: the catalog's validation rightly refuses budgets below a quarter hour.
 */
export const FAST_PROCEDURE = '2.999908';

function fastProcedure(): ProcedureDefinition {
  const base = loadSeedCatalog().find((p) => p.code === '2.000908');
  if (!base) {
    throw new Error('the seed catalog has no procedure 2.000908');
  }
  const [kase] = base.version.cases;
  return {
    ...base,
    code: FAST_PROCEDURE,
    localCode: undefined,
    name: `${base.name} (fault tier: deadlines in seconds)`,
    version: {
      ...base.version,
      cases: [
        {
          ...kase,
          processingTime: { amount: 0.02, unit: 'WH' },
          cutoff: undefined,
          steps: kase.steps.map((s) => ({ ...s, budget: { amount: s.budget.amount > 0 ? 0.005 : 0, unit: 'WH' } })),
        },
      ],
    },
  };
}

/** Every day worked around the clock, no holiday: working time is real time, whenever the tier runs. */
async function aroundTheClock(ds: DataSource): Promise<void> {
  const day = [{ start: '00:00', end: '24:00' }];
  const hours: OfficeHours = {
    weekly: { 1: day, 2: day, 3: day, 4: day, 5: day, 6: day, 7: day },
    makeupDay: day,
  };
  await ds.query(`UPDATE calendar_scopes SET office_hours = $1`, [JSON.stringify(hours)]);
  await ds.query(`UPDATE calendar_years SET holidays = '[]'`);
  await new TypeOrmProcedureStore(ds).publish(fastProcedure(), null);
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One message the portal received: every delivery is kept, redeliveries of a key included. */
export interface PortalDelivery {
  key: string;
  body: { syncId: string; dossierCode: string; seq: number; event: string; statusCode: number };
  raw: string;
}

/** A national portal that records every delivery (the product's at-least-once relay may repeat a key). */
export async function recordingPortal(): Promise<{ url: string; deliveries: PortalDelivery[]; server: Server }> {
  const deliveries: PortalDelivery[] = [];
  const server = createHttpServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      deliveries.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(raw), raw });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/api/sync/dossiers`, deliveries, server };
}

export interface Topology {
  postgres: PostgresService;
  temporal: TemporalService;
  /** The first worker and the first API (the fault runner's victims). */
  worker: NodeService;
  api: NodeService;
  /** Every worker and API process, when the topology runs several of each. */
  workers: NodeService[];
  apis: NodeService[];
  databaseUrl: string;
  /** The first API's address, and every API's in the order of `apis`. */
  baseUrl: string;
  baseUrls: string[];
  portal: Awaited<ReturnType<typeof recordingPortal>>;
  /** In the order the fault runner kills them. */
  victims: Supervised[];
  stop(): Promise<void>;
}

/** How many API and worker processes to run, and settings for all of them. */
export interface TopologyOptions {
  apis?: number;
  workers?: number;
  env?: Record<string, string>;
}

/**
 * The product as it runs in production, on loopback: its own PostgreSQL and Temporal dev server (state on disk, so
 * they survive a kill), the built worker and API as separate processes, and a national portal that records.
 */
export async function startTopology(workDir: string, options: TopologyOptions = {}): Promise<Topology> {
  const dist = join(__dirname, '..', '..', '..', 'dist');
  const temporalCli = ensureTemporalCli();
  if (!temporalCli) {
    throw new Error('the Temporal CLI is not in the tools cache: run `node dist/scripts/provision-tools.js`');
  }
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const apiPorts: number[] = [];
  for (let n = 0; n < (options.apis ?? 1); n++) {
    apiPorts.push(await freePort());
  }
  const postgres = new PostgresService(join(workDir, 'pg', 'data'), pgPort);
  const temporal = new TemporalService(temporalCli, join(workDir, 'temporal.sqlite'), temporalPort);
  const portal = await recordingPortal();
  const baseUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  const started: Supervised[] = [];
  const stop = async (): Promise<void> => {
    for (const service of [...started].reverse()) {
      await service.stop();
    }
    await new Promise((resolve) => portal.server.close(resolve));
  };
  try {
    postgres.initialise();
    started.push(postgres, temporal);
    await Promise.all([postgres.start(), temporal.start(), ensureWorkflowBundle(dist)]);
    return await startProduct();
  } catch (e) {
    await stop();
    throw e;
  }

  async function startProduct(): Promise<Topology> {
    const databaseUrl = postgres.urlFor(DATABASE);
    await ensureDatabase(postgres.urlFor('postgres'), DATABASE);
    await runMigrations(databaseUrl);
    const ds = new DataSource(dataSourceOptions(databaseUrl, 1));
    await ds.initialize();
    await seedReferenceData(ds);
    await markEmbeddedDatabase(ds, 'the fault tier');
    await seedDemoData(ds);
    await aroundTheClock(ds);
    await ds.destroy();

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DEPLOYMENT_MODE: 'embedded',
      JWT_SECRET: 'faults-secret-faults-secret-faults-0123',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      TEMPORAL_TLS: 'false',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OUTBOX_POLL_INTERVAL_MS: '100',
      PORTAL_SYNC_URL: portal.url,
      PORTAL_SYNC_TOKEN: 'portal-secret',
      ...options.env,
    };
    // As a deployment runs them, not as Jest's test environment.
    delete env.NODE_ENV;
    const workers = Array.from(
      { length: options.workers ?? 1 },
      (_, n) =>
        new NodeService(
          n === 0 ? 'worker' : `worker${n + 1}`,
          join(dist, 'apps', 'worker', 'src', 'main.js'),
          env,
          workDir,
          async (pid) => {
            // Ready once this process polls its task queue (the SDK's identity is `<pid>@<host>`).
            const connection = await Connection.connect({ address: temporal.address, connectTimeout: 1000 });
            try {
              const { pollers } = await connection.workflowService.describeTaskQueue({
                namespace: 'default',
                taskQueue: { name: TASK_QUEUE },
              });
              return (pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`));
            } finally {
              await connection.close();
            }
          },
        ),
    );
    const apis = baseUrls.map(
      (baseUrl, n) =>
        new NodeService(
          n === 0 ? 'api' : `api${n + 1}`,
          join(dist, 'apps', 'api', 'src', 'main.js'),
          { ...env, PORT: String(apiPorts[n]) },
          workDir,
          async () => {
            const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
            await res.arrayBuffer();
            return true;
          },
        ),
    );
    for (const worker of workers) {
      started.push(worker);
      await worker.start();
    }
    for (const api of apis) {
      started.push(api);
      await api.start();
    }
    const [worker] = workers;
    const [api] = apis;

    return {
      postgres,
      temporal,
      worker,
      api,
      workers,
      apis,
      databaseUrl,
      baseUrl: baseUrls[0],
      baseUrls,
      portal,
      victims: [worker, api, temporal, postgres],
      stop,
    };
  }
}
