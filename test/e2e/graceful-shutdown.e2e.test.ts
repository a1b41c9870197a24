import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { createTestDatabase, eventually, freePort, infrastructure, testConfig } from '../support/infrastructure';
import { TEST_PAYLOAD_KEYS } from '../support/payload-keys';

const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');
const WORKER_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A GET on a connection of its own (no pool): refused once the listener is closed. */
const freshGet = (
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end();
  });

/**
 * SIGTERM on the built API (`node dist/apps/api/src/main.js`, as `npm start` runs it): readiness turns not-ready at
 * once, the listener closes after the readiness delay (a new connection is refused), the intake whose body was still
 * being uploaded is answered 201 and its dossier kept, and the process exits 0.
 */
describe('graceful shutdown of the API (e2e)', () => {
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
  });

  it('drains the request in flight, refuses new connections, and exits 0', async () => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} is missing: build first (npm run build; npm test does)`);
    }
    const databaseUrl = await createTestDatabase();
    const port = await freePort();
    const env = {
      DEPLOYMENT_MODE: 'embedded',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: infrastructure().temporalAddress,
      TEMPORAL_TASK_QUEUE: `shutdown-${port}`,
      TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      TEMPORAL_TLS: 'false',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      SHUTDOWN_READINESS_DELAY_MS: '1000',
      SHUTDOWN_GRACE_MS: '20000',
    };
    testConfig(env); // the settings are valid as the product reads them
    let output = '';
    child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await eventually(
      async () => ((await fetch(`${base}/api/v1/health/live`)).status === 200 ? true : undefined),
      'the API to listen',
    );
    const token = (
      (await (
        await fetch(`${base}/api/v1/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'clerk' }),
        })
      ).json()) as { accessToken: string }
    ).accessToken;

    // An officer sees readiness with its components (the worker of this test is not running: 503 either way).
    const auth = { authorization: `Bearer ${token}` };
    const before = await freshGet(port, '/api/v1/health', auth);
    expect(JSON.parse(before.body)).toHaveProperty('components');

    // An intake whose body the desk's slow line uploads in ten pieces, 300 ms apart.
    const body = Buffer.from(
      JSON.stringify({
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '079301012345', name: 'Trần Thị Bích Ngọc', phone: '0987654321' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      }),
    );
    let answer: IncomingMessage | undefined;
    let answerBody = '';
    const answered = new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/dossiers',
          method: 'POST',
          agent: false,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': body.length,
            'idempotency-key': `shutdown-${port}`,
          },
        },
        (res) => {
          answer = res;
          res.on('data', (chunk: Buffer) => (answerBody += chunk.toString()));
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      void (async () => {
        const pieces = 10;
        for (let i = 0; i < pieces; i += 1) {
          req.write(
            body.subarray(Math.floor((i * body.length) / pieces), Math.floor(((i + 1) * body.length) / pieces)),
          );
          if (i === 2) {
            child!.kill('SIGTERM'); // a third of the body is in; the rest is still on its way
          }
          await pause(300);
        }
        req.end();
      })();
    });

    // Not ready at once, without checking anything (still listening for the readiness delay); then a new connection
    // is refused.
    const draining = await eventually(async () => {
      const reply = await freshGet(port, '/api/v1/health', auth);
      return 'components' in JSON.parse(reply.body) ? undefined : reply;
    }, 'readiness to turn not-ready');
    expect(draining.status).toBe(503);
    expect(JSON.parse(draining.body)).toEqual({ status: 'down', checkedAt: expect.any(String) });
    const refused = await eventually(
      () =>
        freshGet(port, '/api/v1/health/live').then(
          () => undefined,
          (e: NodeJS.ErrnoException) => e.code,
        ),
      'the listener to close',
    );
    expect(refused).toBe('ECONNREFUSED');
    expect(child.exitCode).toBeNull(); // still answering the upload

    await answered;
    expect({ status: answer?.statusCode, output }).toEqual({ status: 201, output });
    const code = (JSON.parse(answerBody) as { code: string }).code;
    expect(await exited).toBe(0);

    const pg = new PgClient({ connectionString: databaseUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query(`SELECT code FROM dossiers WHERE code = $1`, [code]);
      expect(rows).toEqual([{ code }]);
    } finally {
      await pg.end();
    }
  });

  it('stops the worker on SIGTERM: it stops polling, closes, and exits 0 (a supervisor reads any other code as a crash)', async () => {
    const env = {
      DEPLOYMENT_MODE: 'embedded',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      DATABASE_URL: await createTestDatabase(),
      TEMPORAL_ADDRESS: infrastructure().temporalAddress,
      TEMPORAL_TASK_QUEUE: `shutdown-worker-${process.pid}`,
      TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      TEMPORAL_TLS: 'false',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: '20000',
    };
    testConfig(env);
    let output = '';
    const worker = spawn(process.execPath, [WORKER_MAIN], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      await eventually(
        () => Promise.resolve(output.includes('polling task queues') ? true : undefined),
        'the worker to poll',
      );
      worker.kill('SIGTERM');
      expect({ code: await exited, output }).toEqual({ code: 0, output });
    } finally {
      if (worker.exitCode === null) {
        worker.kill('SIGKILL');
      }
    }
  }, 60_000);
});
