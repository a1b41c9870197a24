import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import {
  childEnvironment,
  type DeploymentMode,
  embeddedExposureWarning,
  listenHost,
  loadConfig,
  servesApiDocs,
  toolingVariable,
} from '../libs/config/src';
import { DEMO_OFFICERS } from '../libs/persistence/src';
import { ensureDatabase, type PostgresHandle, startEmbeddedPostgres } from './infra/embedded-postgres';
import { prepareLauncherDatabase } from './infra/launcher-database';
import { startTemporalDevServer } from './infra/temporal-server';
import { ensureWorkflowBundle } from './infra/workflow-bundle';

/**
 * `npm start`: the whole product on one machine. Embedded PostgreSQL and a Temporal dev server unless
 * DATABASE_URL / TEMPORAL_ADDRESS point elsewhere; migrations and demo data; then the worker and the API as
 * child processes. Ctrl-C stops everything it started; data stays in .data/ for the next start.
 * Embedded mode stays on 127.0.0.1 unless HOST says otherwise (then it warns), runs only on a database it created,
 * and seeds demo officers nowhere else (see prepareLauncherDatabase).
 */
const root = resolve(__dirname, '..', '..');
const dist = resolve(__dirname, '..');
const dataDir = resolve(toolingVariable('DOSSIER_DATA_DIR') ?? join(root, '.data'));
const logsDir = join(dataDir, 'logs');
const port = Number(toolingVariable('PORT') ?? 3000);
const temporalPort = Number(toolingVariable('TEMPORAL_PORT') ?? 7233);
const temporalUiPort = Number(toolingVariable('TEMPORAL_UI_PORT') ?? 8233);
const postgresPort = Number(toolingVariable('EMBEDDED_POSTGRES_PORT') ?? 54329);

const children: ChildProcess[] = [];
let postgres: PostgresHandle | undefined;
let temporal: TestWorkflowEnvironment | undefined;
let stopping = false;

/** The launcher's own secrets, made once and kept in the data folder (a payload key is added to older ones). */
function secrets(): { jwtSecret: string; temporalPayloadKeys: string } {
  const file = join(dataDir, 'secrets.json');
  const kept = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret: string; temporalPayloadKeys?: string })
    : { jwtSecret: randomBytes(48).toString('base64url') };
  if (existsSync(file) && kept.temporalPayloadKeys) {
    return { ...kept, temporalPayloadKeys: kept.temporalPayloadKeys };
  }
  const value = { ...kept, temporalPayloadKeys: `local-1:${randomBytes(32).toString('base64')}` };
  writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
  return value;
}

function startChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const log = createWriteStream(join(logsDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['--enable-source-maps', join(dist, script)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`\n${name} exited (${signal ?? code}); see ${join(logsDir, `${name}.log`)}. Stopping.`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      last = await res.text();
      if (res.ok) {
        return;
      }
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the API did not report healthy within ${timeoutMs / 1000}s: ${last}`);
}

/** Waits for a teardown step, but never forever: the launcher must exit. */
async function bounded(what: string, step: Promise<void> | undefined, ms = 20_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`${what} did not stop within ${ms / 1000}s; moving on.`);
      resolve();
    }, ms);
  });
  await Promise.race([
    step?.catch((e: unknown) => console.error(`${what}:`, e instanceof Error ? e.message : e)),
    timeout,
  ]);
  clearTimeout(timer);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) {
    return;
  }
  stopping = true;
  console.log('\nStopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            return done();
          }
          const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
          child.once('exit', () => {
            clearTimeout(kill);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await bounded('Temporal dev server', temporal?.teardown());
  await bounded('PostgreSQL', postgres?.stop());
  console.log('Stopped. Data kept in', dataDir);
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(logsDir, { recursive: true });
  // embedded-postgres installs exit hooks that stop PostgreSQL and exit at once; this launcher stops things in order.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const mode = (toolingVariable('DEPLOYMENT_MODE') ?? 'embedded') as DeploymentMode;
  let databaseUrl = toolingVariable('DATABASE_URL');
  const ownServer = !databaseUrl;
  if (!databaseUrl) {
    process.stdout.write(`PostgreSQL (embedded, port ${postgresPort}) … `);
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      port: postgresPort,
      logFile: join(logsDir, 'postgres.log'),
    });
    await ensureDatabase(postgres.serverUrl, 'dossiers');
    // The API and the worker run on this machine: over the server's Unix socket, not TCP on loopback.
    databaseUrl = postgres.socketUrlFor('dossiers');
    console.log('up');
  }

  let temporalAddress = toolingVariable('TEMPORAL_ADDRESS');
  if (!temporalAddress) {
    process.stdout.write(`Temporal dev server (port ${temporalPort}) … `);
    temporal = await startTemporalDevServer({
      port: temporalPort,
      uiPort: temporalUiPort,
      dbFilename: join(dataDir, 'temporal.db'),
    });
    temporalAddress = `127.0.0.1:${temporalPort}`;
    console.log('up');
  }

  process.stdout.write('Migrations and demo data … ');
  const { applied, demo } = await prepareLauncherDatabase({
    url: databaseUrl,
    ownServer,
    mode,
    createdBy: `npm start (${dataDir})`,
  });
  console.log(
    `${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}${demo ? '' : '; no demo data (not its database)'}`,
  );

  process.stdout.write('Workflow bundle … ');
  await ensureWorkflowBundle(dist);
  console.log('ready');

  const env = childEnvironment({
    DEPLOYMENT_MODE: mode,
    JWT_SECRET: toolingVariable('JWT_SECRET') ?? secrets().jwtSecret,
    // Temporal keeps only ciphertext of the dossiers' payloads here too (its UI shows them encrypted).
    TEMPORAL_PAYLOAD_KEYS: toolingVariable('TEMPORAL_PAYLOAD_KEYS') ?? secrets().temporalPayloadKeys,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    PORT: String(port),
  });
  const config = loadConfig(env);
  // The API prints the same warning in its log; the launcher's terminal is where someone is looking.
  const exposure = embeddedExposureWarning(config);
  startChild('worker', 'apps/worker/src/main.js', env);
  startChild('api', 'apps/api/src/main.js', env);
  const base = `http://localhost:${port}`;
  const host = listenHost(config);
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  process.stdout.write('API and worker … ');
  await waitForHealth(`http://${reachable}:${port}/api/v1/health`, 120_000);
  console.log('healthy');

  console.log(`
  Dossier engine is running.

    Console        ${base}/            (citizens' lookup: ${base}/tra-cuu)
    API            ${base}/api/v1
    OpenAPI UI     ${servesApiDocs(config) ? `${base}/api/docs   (document: ${base}/api/docs-json)` : 'off (OPENAPI_DOCS)'}
    Health         ${base}/api/v1/health
    Temporal UI    ${temporal ? `http://localhost:${temporalUiPort}` : `(your cluster at ${temporalAddress})`}
    Logs           ${logsDir}

  Log in: open the console and pick a demo officer on its sign-in page (clerk receives dossiers at the desk).
  For the API, ask for a demo token, then send it as "Authorization: Bearer <token>":
    curl -s -X POST ${base}/api/v1/auth/token -H 'content-type: application/json' -d '{"username":"clerk"}'
  Demo officers: ${DEMO_OFFICERS.map((o) => `${o.username} (${o.roles.join(', ')})`).join(', ')}

  Press Ctrl-C to stop; data is kept in ${dataDir}.
`);
  if (exposure) {
    console.error(`${exposure}\n`);
  }
}

main().catch(async (e: unknown) => {
  console.error(`\nStart failed: ${e instanceof Error ? e.message : String(e)}`);
  await shutdown(1);
});
