import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication } from '@nestjs/common';
import { Connection, Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '../libs/config/src';
import {
  dataSourceOptions,
  markEmbeddedDatabase,
  runMigrations,
  seedDemoData,
  seedReferenceData,
} from '../libs/persistence/src';
import { ensureDatabase, startEmbeddedPostgres } from '../scripts/infra/embedded-postgres';
import { freePort, startTemporalDevServer } from '../scripts/infra/temporal-server';
import { ensureWorkflowBundle } from '../scripts/infra/workflow-bundle';
import { arg, runBenchmark } from './support';

/**
 * The dossier lifecycle through the real product (API + worker in this process, embedded PostgreSQL, Temporal dev
 * server): intake requests/s and latency until every workflow has started, beside the raw rate of starting an empty
 * workflow on the same server in the same run; then an officer action's round trip (HTTP → Update → persisted).
 * Rerun: npm run bench:lifecycle   (options: --intakes=400 --concurrency=16 --actions=200 --warmup=50)
 */
const INTAKES = arg('intakes', 400);
const CONCURRENCY = arg('concurrency', 16);
const ACTIONS = arg('actions', 200);
/** Calls made before each measured phase and not counted (JIT, connection pools, caches). */
const WARMUP = arg('warmup', 50);

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const ms = (n: number): string => `${n.toFixed(1)} ms`;

/** Runs `count` calls, `concurrency` at a time; returns each call's latency (ms) and the wall time (s). */
async function load(count: number, concurrency: number, call: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

/** Waits until a worker polls the task queue (the worker process has started). */
async function waitForWorker(client: Client, namespace: string, taskQueue: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue }, // type unspecified = the workflow task queue
    });
    if (pollers.length > 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`no worker polls ${taskQueue} after 60 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  // The SDK's default logger prints every activity at INFO to the console: that would be the bench's hottest path.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  const temporal = await startTemporalDevServer({ port: await freePort() });
  let api: INestApplication | undefined;
  let worker: ChildProcess | undefined;
  try {
    await ensureDatabase(postgres.serverUrl, 'bench');
    const databaseUrl = postgres.urlFor('bench');
    await runMigrations(databaseUrl);
    const ds = new DataSource(dataSourceOptions(databaseUrl, 4));
    await ds.initialize();
    await seedReferenceData(ds);
    await markEmbeddedDatabase(ds, 'benchmark lifecycle.bench');
    await seedDemoData(ds);
    const env = {
      DEPLOYMENT_MODE: 'embedded',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      LOG_LEVEL: 'error',
      OUTBOX_POLL_INTERVAL_MS: '50',
    };
    const config = loadConfig(env);
    // As in production, the worker is its own process (apps/worker), on the prebuilt workflow bundle.
    await ensureWorkflowBundle(join(__dirname, '..'));
    worker = spawn(process.execPath, [join(__dirname, '..', 'apps', 'worker', 'src', 'main.js')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    api = await createApiApp(config);
    await api.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${((api.getHttpServer() as Server).address() as AddressInfo).port}`;
    const post = async (
      path: string,
      token: string,
      body: unknown,
    ): Promise<{ status: number; json: { code?: string } }> => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as { code?: string } };
    };
    const token = async (username: string): Promise<string> =>
      (
        (await (
          await fetch(`${base}/api/v1/auth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username }),
          })
        ).json()) as { accessToken: string }
      ).accessToken;
    const clerk = await token('clerk');

    // Baseline: the raw rate of starting an empty workflow (no worker needed to start one) on the same server.
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    await waitForWorker(client, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE);
    const startEmpty = (id: string) =>
      client.workflow.start('emptyBenchWorkflow', { taskQueue: 'bench-empty', workflowId: id, args: [] });
    await load(WARMUP, CONCURRENCY, async (i) => void (await startEmpty(`warmup-${i}`)));
    const empty = await load(INTAKES, CONCURRENCY, async (i) => void (await startEmpty(`empty-${i}`)));
    const emptyRate = INTAKES / empty.seconds;

    // Intake over HTTP, measured twice: until every dossier's workflow has started (the relay's start accepted by
    // Temporal, the same event the baseline counts), and until every workflow has taken its dossier into
    // processing (its first transition persisted by an activity: worker throughput as well).
    const body = {
      procedureCode: '2.000908',
      receivingUnitCode: '000.00.20.H36',
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
      documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
    };
    const intakeOne = async (): Promise<string> => {
      const res = await post('/api/v1/dossiers', clerk, body);
      if (res.status !== 201) {
        throw new Error(`intake answered ${res.status}`);
      }
      return res.json.code as string;
    };
    const codes: string[] = [];
    let started = performance.now();
    const IN_PROCESSING = `SELECT count(*)::int AS n FROM dossiers WHERE state <> 'RECEIVED'`;
    const waitUntil = async (what: string, sql: string, count: number): Promise<number> => {
      const deadline = Date.now() + 300_000;
      for (;;) {
        const [{ n }] = await ds.query<{ n: number }[]>(sql);
        if (n >= count) {
          return (performance.now() - started) / 1000;
        }
        if (Date.now() > deadline) {
          throw new Error(`${what}: only ${n} of ${count} within 5 minutes`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await load(WARMUP, CONCURRENCY, async () => void (await intakeOne()));
    await waitUntil('warm-up dossiers taken into processing', IN_PROCESSING, WARMUP);
    started = performance.now();
    const intake = await load(INTAKES, CONCURRENCY, async () => void codes.push(await intakeOne()));
    const withStarts = await waitUntil(
      'workflows started',
      `SELECT count(*)::int AS n FROM outbox_messages WHERE kind = 'START_DOSSIER_WORKFLOW' AND dispatched_at IS NOT NULL`,
      WARMUP + INTAKES,
    );
    const inProcessing = await waitUntil('dossiers taken into processing', IN_PROCESSING, WARMUP + INTAKES);
    const intakeRate = INTAKES / withStarts;

    // An officer action: the clerk completes S01 of a dossier (HTTP → Update with validator → activity → answer).
    const actions = await load(Math.min(ACTIONS, codes.length), 1, async (i) => {
      const res = await post(`/api/v1/dossiers/${codes[i]}/actions/complete`, clerk, {});
      if (res.status !== 200) {
        throw new Error(`complete answered ${res.status}`);
      }
    });
    await ds.destroy();

    console.log(
      `\nDossier lifecycle benchmark (${INTAKES} intakes, ${CONCURRENCY} concurrent; ${actions.latencies.length} actions)`,
    );
    console.log(
      `  empty workflow starts (baseline)   ${emptyRate.toFixed(1).padStart(8)} /s   p50 ${ms(percentile(empty.latencies, 0.5))}  p99 ${ms(percentile(empty.latencies, 0.99))}`,
    );
    console.log(
      `  intake HTTP answered               ${(INTAKES / intake.seconds).toFixed(1).padStart(8)} /s   p50 ${ms(percentile(intake.latencies, 0.5))}  p99 ${ms(percentile(intake.latencies, 0.99))}`,
    );
    console.log(
      `  intake with workflows started      ${intakeRate.toFixed(1).padStart(8)} /s   ratio to baseline ${(intakeRate / emptyRate).toFixed(2)} (target ≥ 0.5)`,
    );
    console.log(
      `  … and taken into processing        ${(INTAKES / inProcessing).toFixed(1).padStart(8)} /s   (first transition persisted by the worker)`,
    );
    console.log(
      `  action round trip (complete S01)   p50 ${ms(percentile(actions.latencies, 0.5))}  p99 ${ms(percentile(actions.latencies, 0.99))}  (target p99 ≤ 250 ms)`,
    );
    console.log('  rerun: npm run bench:lifecycle -- --intakes=400 --concurrency=16 --actions=200 --warmup=50\n');
  } finally {
    await api?.close();
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker?.once('exit', r));
    }
    await temporal.teardown();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
