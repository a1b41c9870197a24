import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { type AppConfig, childEnvironment, loadConfig } from '../libs/config/src';
import {
  dataSourceOptions,
  EXAMPLE_A_WALK,
  markEmbeddedDatabase,
  runMigrations,
  seedDemoData,
  seedReferenceData,
} from '../libs/persistence/src';
import { ensureDatabase, type PostgresHandle, startEmbeddedPostgres } from '../scripts/infra/embedded-postgres';
import { freePort, startTemporalDevServer } from '../scripts/infra/temporal-server';
import { ensureWorkflowBundle } from '../scripts/infra/workflow-bundle';
import { commandLine, descendants } from './process-cpu';

/** A numeric command-line option `--name=value`, or the fallback. */
export const arg = (name: string, fallback: number): number =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

/** Runs a benchmark's main function and exits with its outcome (servers it started must not keep the process up). */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/** A realistic dossier at the desk (as test/support/dossier-fixtures.ts and the intake e2e test send it). */
export const INTAKE = {
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: {
    type: 'INDIVIDUAL',
    idNumber: '001203004567',
    name: 'Nguyễn Văn An',
    address: '12 Phố Huế, Hai Bà Trưng, Hà Nội',
    phone: '0912345678',
    email: 'an.nguyen@example.vn',
  },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
};

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
export const ms = (n: number): string => `${n.toFixed(1)} ms`;
export const sleep = (millis: number) => new Promise((r) => setTimeout(r, millis));

/** Waits until `count()` reaches `target` (at most 5 minutes). */
export async function waitFor(what: string, count: () => Promise<number>, target: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const n = await count();
    if (n >= target) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: ${n} of ${target} after 5 minutes`);
    }
    await sleep(20);
  }
}

export async function waitForPollers(client: Client, taskQueue: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (
    (await client.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue } })).pollers
      .length === 0
  ) {
    if (Date.now() > deadline) {
      throw new Error(`no worker polls ${taskQueue} after 120 s`);
    }
    await sleep(200);
  }
}

export async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${url} did not answer within 120 s`);
    }
    await sleep(250);
  }
}

/** A JSON POST, with a bearer token and an Idempotency-Key when given. */
export const post = (
  url: string,
  token: string | undefined,
  body: unknown,
  idempotencyKey?: string,
): Promise<Response> =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
  });

/**
 * The servers a product benchmark runs on, each its own process (children of the benchmark, so their CPU and memory
 * can be read from /proc): embedded PostgreSQL with the product's database migrated and seeded as `npm start` does,
 * and the Temporal dev server. `start` runs a built script (dist/…) as a child, its output in the run's folder.
 */
export interface BenchServers {
  dir: string;
  postgres: PostgresHandle;
  temporal: TestWorkflowEnvironment;
  /** The postmaster's pid and the Temporal dev server's pids. */
  postmaster: number;
  temporalPids: number[];
  /** The product database's URL (Unix socket unless `tcp`). */
  productUrl: string;
  urlFor(database: string): string;
  start(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs?: string[]): ChildProcess;
  /**
   * SIGTERM to every child (SIGKILL after 60 s: a worker drains what it holds first, and writes its CPU profile on
   * exit), then the servers stopped and the folder removed.
   */
  stop(): Promise<void>;
}

export async function startServers(options: {
  tcp: boolean;
  mark: string;
  /** PostgreSQL with pg_stat_statements loaded (timing every statement, planning included). */
  statements?: boolean;
}): Promise<BenchServers> {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-'));
  const pgDir = join(dir, 'pg');
  const postgres = await startEmbeddedPostgres({
    dataDir: pgDir,
    port: await freePort(),
    settings: options.statements
      ? [
          'shared_preload_libraries=pg_stat_statements',
          'pg_stat_statements.track=all',
          'pg_stat_statements.track_planning=on',
        ]
      : [],
  });
  const temporal = await startTemporalDevServer({ port: await freePort() });
  const children: ChildProcess[] = [];
  const urlFor = (database: string) => (options.tcp ? postgres.urlFor(database) : postgres.socketUrlFor(database));
  await ensureDatabase(postgres.serverUrl, 'bench');
  const productUrl = urlFor('bench');
  await runMigrations(productUrl);
  const ds = new DataSource(dataSourceOptions(productUrl, 2));
  await ds.initialize();
  await seedReferenceData(ds);
  await markEmbeddedDatabase(ds, options.mark);
  await seedDemoData(ds);
  await ds.destroy();
  const temporalPids = descendants(process.pid).filter(
    (pid) => /temporal/.test(commandLine(pid)) && /start-dev/.test(commandLine(pid)),
  );
  if (temporalPids.length === 0) {
    throw new Error('the Temporal dev server process was not found under this process');
  }
  return {
    dir,
    postgres,
    temporal,
    postmaster: Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    temporalPids,
    productUrl,
    urlFor,
    start(name, script, env, nodeArgs = []) {
      const log = createWriteStream(join(dir, `${name}.log`));
      const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', script)], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
      children.push(child);
      return child;
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) {
                return done();
              }
              const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
              child.once('exit', () => {
                clearTimeout(kill);
                done();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      await temporal.teardown();
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The product as deployed on the servers: the built API and worker, each its own process, configured as `npm start`. */
export interface BenchProduct {
  api: ChildProcess;
  worker: ChildProcess;
  config: AppConfig;
  /** http://127.0.0.1:<port> */
  base: string;
  client: Client;
  /** Bearer tokens of the demo officers by username. */
  tokens: Map<string, string>;
}

export async function startProduct(
  servers: BenchServers,
  options: { logLevel: string; nodeArgs?: string[] },
): Promise<BenchProduct> {
  const apiPort = await freePort();
  const env = childEnvironment({
    DEPLOYMENT_MODE: 'embedded',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    TEMPORAL_PAYLOAD_KEYS: `bench-1:${randomBytes(32).toString('base64')}`,
    DATABASE_URL: servers.productUrl,
    TEMPORAL_ADDRESS: servers.temporal.address,
    PORT: String(apiPort),
    LOG_LEVEL: options.logLevel,
  });
  const config = loadConfig(env);
  await ensureWorkflowBundle(join(__dirname, '..'));
  const worker = servers.start('worker', 'apps/worker/src/main.js', env, options.nodeArgs);
  const api = servers.start('api', 'apps/api/src/main.js', env, options.nodeArgs);
  const base = `http://127.0.0.1:${apiPort}`;
  await waitForHttp(`${base}/api/v1/health`);
  const client = new Client({ connection: await Connection.connect({ address: servers.temporal.address }) });
  await waitForPollers(client, config.TEMPORAL_TASK_QUEUE);
  const tokens = new Map<string, string>();
  for (const username of new Set(['clerk', ...EXAMPLE_A_WALK.map(([who]) => who)])) {
    const res = await post(`${base}/api/v1/auth/token`, undefined, { username });
    tokens.set(username, ((await res.json()) as { accessToken: string }).accessToken);
  }
  return { api, worker, config, base, client, tokens };
}
