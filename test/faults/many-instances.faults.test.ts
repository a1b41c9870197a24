import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client } from 'pg';
import { agencyTaskQueue } from '../../libs/config/src';
import { REPORT_MONTH_CLOSE_SCHEDULE_ID, REPORT_ROLLUP_SCHEDULE_ID } from '../../workflows/report-rollup.types';
import { REPORT_ROLLUP_WORKFLOW_TYPE } from '../../workflows/report-rollup.types';
import { PERSONAL_DATA_RETENTION_SCHEDULE_ID } from '../../workflows/retention.types';
import { DEADLINE_WATCHDOG_SCHEDULE_ID, DEADLINE_WATCHDOG_WORKFLOW_TYPE } from '../../workflows/watchdog.types';
import { connectedIntake, connectedProcedureAt, NEW_AGENCY } from '../support/dossier-fixtures';
import { testDataConverter } from '../support/payload-keys';
import { type Count, formatCounts, reconciler } from './support/counters';
import { Driver, intakeBody } from './support/driver';
import { type NodeService } from './support/supervisor';
import { startTopology, TASK_QUEUE, type Topology } from './support/topology';

/** At least this many dossiers received (alternating between the APIs) and walked; more while the restart runs. */
const DOSSIERS = Number(process.env.TOPOLOGY_DOSSIERS ?? 100);
const LANES = 6;
/** The settings under test, the same for every instance. */
const OFFICER_CACHE_TTL_MS = 5_000;
const WRONG_PINS_BEFORE_LOCK = 5;
const LOOKUPS_PER_CLIENT_PER_MINUTE = 20;
/** A procedure published while the topology runs, its first segment at an agency no worker polled at start. */
const NEW_PROCEDURE = '1.999390';

jest.setTimeout(480_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const count = (label: string, actual: number, expected: number, examples: string[] = []): Count => ({
  label,
  actual,
  expected,
  examples: examples.slice(0, 5),
});

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the wire has no static type
  body: any;
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Reply> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function token(baseUrl: string, username: string): Promise<string> {
  const res = await call(baseUrl, 'POST', '/api/v1/auth/token', { body: { username } });
  return res.body.accessToken as string;
}

/**
 * Two API processes and two worker processes (the built dist/, as deployed) against one Temporal dev server and one
 * PostgreSQL, on loopback: what must hold across instances is checked through both APIs, each count printed with its
 * expectation. The first check also restarts each API in turn (SIGTERM, then started again) under load.
 */
describe('faults: two APIs and two workers side by side', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'dossier-topology-'));
  const log = (line: string): void => void process.stdout.write(`[topology] ${line}\n`);
  let topology: Topology;
  let db: Client;
  let temporal: TemporalClient;
  let failed = false;

  /** Prints the counts as a table and fails on any that differs from its expectation. */
  function judge(title: string, counts: Count[]): void {
    log(`${title}\n${formatCounts(counts)}`);
    const wrong = counts.filter((c) => c.actual !== c.expected);
    failed ||= wrong.length > 0;
    expect(wrong).toEqual([]);
  }

  beforeAll(async () => {
    const started = Date.now();
    topology = await startTopology(workDir, {
      apis: 2,
      workers: 2,
      env: {
        OFFICER_CACHE_TTL_MS: String(OFFICER_CACHE_TTL_MS),
        PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK: String(WRONG_PINS_BEFORE_LOCK),
        PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE: String(LOOKUPS_PER_CLIENT_PER_MINUTE),
        // Every minute, so that a few periods pass within the run.
        REPORT_ROLLUP_INTERVAL_MINUTES: '1',
        WATCHDOG_INTERVAL_MINUTES: '1',
      },
    });
    log(`2 APIs (${topology.baseUrls.join(', ')}) and 2 workers up in ${Date.now() - started} ms (logs in ${workDir})`);
    db = new Client({ connectionString: topology.databaseUrl });
    await db.connect();
    const connection = await Connection.connect({ address: topology.temporal.address });
    temporal = new TemporalClient({ connection, namespace: 'default', dataConverter: testDataConverter() });
  });

  afterAll(async () => {
    await db?.end();
    await temporal?.connection.close();
    await topology?.stop();
    if (!failed) {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('intakes and actions through both APIs, each restarted in turn under load: codes, answers and the portal relay all hold', async () => {
    const driver = new Driver(topology.baseUrls, DOSSIERS * 3, LANES);
    const driven = driver.run();
    // Rolling restart: each API in turn gets SIGTERM (it drains, exits 0) and is started again, while the driver's
    // client sends on to the other API what a stopping one refuses, as a load balancer does.
    const restarts: Count[] = [];
    for (const api of topology.apis) {
      await sleep(6_000);
      const stoppedAt = Date.now();
      await api.stop();
      const exit = api.lastExit;
      await sleep(1_000);
      await api.start();
      log(
        `${api.name}: SIGTERM → exit ${exit?.code ?? exit?.signal}; serving again after ${Date.now() - stoppedAt} ms`,
      );
      restarts.push(count(`${api.name}: exit code after SIGTERM (drained, then exited)`, exit?.code ?? -1, 0));
    }
    while (driver.started < DOSSIERS) {
      await sleep(500);
    }
    driver.stopStarting();
    const result = await driven;
    log(`driver done: ${result.started} dossiers; retries: ${JSON.stringify(Object.fromEntries(result.retries))}`);

    const check = await reconciler({
      databaseUrl: topology.databaseUrl,
      temporalAddress: topology.temporal.address,
      driver: result,
      deliveries: topology.portal.deliveries,
    });
    let counts: Count[];
    try {
      log(`${(await check.quiesce(120_000)) ? 'quiescent' : 'NOT quiescent'}`);
      counts = await check.counts();
    } finally {
      await check.close();
    }

    // Answers: nothing but 503 (an instance stopping, retried by the client) may be a 5xx.
    const other5xx = [...result.retries.entries()].filter(
      ([reason]) => /: 5\d\d$/.test(reason) && !/: 503$/.test(reason),
    );
    counts.push(
      count(
        'answers 5xx other than 503',
        other5xx.reduce((sum, [, n]) => sum + n, 0),
        0,
        other5xx.map(([reason, n]) => `${reason} × ${n}`),
      ),
    );
    // The relay runs in both APIs: each message is leased by one of them, so none reaches the portal twice.
    const seen = new Map<string, number>();
    for (const d of topology.portal.deliveries) {
      seen.set(d.key, (seen.get(d.key) ?? 0) + 1);
    }
    const twice = [...seen.entries()].filter(([, n]) => n > 1);
    counts.push(
      count(
        'portal messages delivered more than once (by Idempotency-Key)',
        twice.length,
        0,
        twice.map(([k, n]) => `${k} × ${n}`),
      ),
    );
    counts.push(...(await codeSequences()), ...restarts);
    judge('two APIs, two workers, a rolling restart of the APIs:', counts);
  });

  /** The dossier codes of each desk and day: numbered 1…n with no gap and no repeat, n being the desk's counter. */
  async function codeSequences(): Promise<Count[]> {
    const { rows } = await db.query<{ code: string }>(`SELECT code FROM dossiers`);
    const byDesk = new Map<string, number[]>();
    for (const { code } of rows) {
      const [, prefix, number] = /^(.*\D)(\d+)$/.exec(code)!;
      byDesk.set(prefix, [...(byDesk.get(prefix) ?? []), Number(number)]);
    }
    const gaps: string[] = [];
    const repeats: string[] = [];
    for (const [prefix, numbers] of byDesk) {
      const distinct = new Set(numbers);
      if (distinct.size !== numbers.length) {
        repeats.push(`${prefix}: ${numbers.length - distinct.size} repeated`);
      }
      const missing = Array.from({ length: Math.max(...numbers) }, (_, n) => n + 1).filter((n) => !distinct.has(n));
      if (missing.length > 0) {
        gaps.push(`${prefix}: missing ${missing.slice(0, 10).join(', ')}`);
      }
    }
    const [{ issued }] = (
      await db.query<{ issued: number }>(
        `SELECT coalesce(sum(last_value), 0)::int AS issued FROM dossier_code_sequences`,
      )
    ).rows;
    return [
      count('desks whose code numbers have a gap', gaps.length, 0, gaps),
      count('desks whose code numbers repeat', repeats.length, 0, repeats),
      count('code numbers issued by the desks’ counters vs dossiers stored', issued, rows.length),
    ];
  }

  it('counts the lookup’s wrong PINs and its per-client limit across both APIs, not per instance', async () => {
    const [one, two] = topology.baseUrls;
    const clerk = await token(one, 'clerk');
    const received = await call(one, 'POST', '/api/v1/dossiers', { token: clerk, body: intakeBody(900_001) });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    const pin: string = received.body.lookupPin;
    const wrong = String((Number(pin) + 1) % 1_000_000).padStart(6, '0');
    const lookup = (baseUrl: string, p: string, dossier = code) =>
      call(baseUrl, 'POST', `/public/v1/dossiers/${dossier}/lookup`, { body: { pin: p } }).then((r) => r.status);

    const statuses = [await lookup(two, pin)];
    for (let n = 0; n < WRONG_PINS_BEFORE_LOCK; n++) {
      statuses.push(await lookup(topology.baseUrls[n % 2], wrong));
    }
    statuses.push(await lookup(topology.baseUrls[WRONG_PINS_BEFORE_LOCK % 2], pin));
    const expected = [200, ...Array<number>(WRONG_PINS_BEFORE_LOCK).fill(404), 409];
    // Then other lookups from the same address, alternating, until the per-client limit answers 429.
    let sent = statuses.length;
    let firstRefused = 0;
    while (!firstRefused && sent < LOOKUPS_PER_CLIENT_PER_MINUTE + 5) {
      sent += 1;
      if ((await lookup(topology.baseUrls[sent % 2], '000000', `${code.slice(0, -4)}9999`)) === 429) {
        firstRefused = sent;
      }
    }
    judge('the public lookup’s limits, shared by both APIs:', [
      count(
        `lookups answered as expected (right PIN 200, ${WRONG_PINS_BEFORE_LOCK} wrong ones alternated 404, then locked 409): ${statuses.join(' ')}`,
        statuses.filter((s, n) => s === expected[n]).length,
        expected.length,
      ),
      count(
        'lookups from one address before the first 429 (the per-client limit + 1)',
        firstRefused,
        LOOKUPS_PER_CLIENT_PER_MINUTE + 1,
      ),
    ]);
  });

  it('sees a change to an officer, and a calendar edit made through API 1, on both APIs within their bounds', async () => {
    const [one, two] = topology.baseUrls;
    // An officer the driver does not use, signed in and cached by both APIs.
    const officer = await token(one, 'clerk2');
    for (const baseUrl of topology.baseUrls) {
      expect((await call(baseUrl, 'GET', '/api/v1/auth/me', { token: officer })).status).toBe(200);
    }
    // No route changes an officer: the change is made in PostgreSQL, as `officers:bind` or an administrator does.
    await db.query(`UPDATE officers SET active = false WHERE username = 'clerk2'`);
    const changedAt = Date.now();
    const refusedAfter = await Promise.all(
      topology.baseUrls.map(async (baseUrl) => {
        while (Date.now() - changedAt < 3 * OFFICER_CACHE_TTL_MS) {
          if ((await call(baseUrl, 'GET', '/api/v1/auth/me', { token: officer })).status === 401) {
            return Date.now() - changedAt;
          }
          await sleep(50);
        }
        return Number.POSITIVE_INFINITY;
      }),
    );
    await db.query(`UPDATE officers SET active = true WHERE username = 'clerk2'`);

    // A year's holidays edited through API 1: API 2 computes due times from the new calendar too.
    const admin = await token(one, 'admin');
    const clerk = await token(two, 'clerk');
    const due = async (baseUrl: string): Promise<string> =>
      (
        await call(baseUrl, 'GET', '/api/v1/calendar/due?from=2031-03-03T09:00:00%2B07:00&amount=1&unit=WD&scope=VN', {
          token: clerk,
        })
      ).body.due as string;
    const before = await due(two);
    const holiday = before.slice(0, 10);
    const edit = await call(one, 'PUT', '/api/v1/calendars/VN/2031', {
      token: admin,
      body: { holidays: [{ date: holiday, name: 'Ngày nghỉ thử' }], makeupWorkdays: [] },
    });
    expect(edit.status).toBe(200);
    const editedAt = Date.now();
    const afterOne = await due(one);
    let afterTwo = await due(two);
    while (afterTwo !== afterOne && Date.now() - editedAt < 3 * OFFICER_CACHE_TTL_MS) {
      await sleep(50);
      afterTwo = await due(two);
    }
    const calendarSeenAfter = Date.now() - editedAt;
    log(
      `officer disabled → refused by API 1 after ${refusedAfter[0]} ms, by API 2 after ${refusedAfter[1]} ms; ` +
        `calendar edit: due ${before} → ${afterOne} on API 1, ${afterTwo} on API 2 after ${calendarSeenAfter} ms`,
    );
    judge(`the caches of both APIs (bound: OFFICER_CACHE_TTL_MS = ${OFFICER_CACHE_TTL_MS} ms):`, [
      count(
        `APIs refusing the disabled officer within the bound (after ${refusedAfter.join(' and ')} ms)`,
        refusedAfter.filter((ms) => ms <= OFFICER_CACHE_TTL_MS).length,
        2,
      ),
      count('the edited day moved the due time (API 1)', afterOne !== before ? 1 : 0, 1),
      count(
        `API 2 computing the due time from the edited calendar within the bound (after ${calendarSeenAfter} ms)`,
        afterTwo === afterOne && calendarSeenAfter <= OFFICER_CACHE_TTL_MS ? 1 : 0,
        1,
      ),
    ]);
  });

  it('polls a new agency’s queue on both running workers once a procedure naming it is published, and runs its segment', async () => {
    const [one, two] = topology.baseUrls;
    const queue = agencyTaskQueue({ TEMPORAL_TASK_QUEUE: TASK_QUEUE }, NEW_AGENCY);
    const pollers = async (): Promise<NodeService[]> => {
      const { pollers: list } = await temporal.connection.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: queue },
      });
      return topology.workers.filter((w) => (list ?? []).some((p) => p.identity?.startsWith(`${w.pid}@`)));
    };
    const before = (await pollers()).length;
    const published = await call(one, 'POST', '/api/v1/procedures', {
      token: await token(one, 'admin'),
      body: connectedProcedureAt(NEW_PROCEDURE),
    });
    expect(published.status).toBe(201);
    const publishedAt = Date.now();
    let polling = 0;
    while (polling < 2 && Date.now() - publishedAt < 30_000) {
      await sleep(200);
      polling = (await pollers()).length;
    }
    const pollingAfter = Date.now() - publishedAt;
    const clerk = await token(two, 'clerk');
    const received = await call(two, 'POST', '/api/v1/dossiers', {
      token: clerk,
      body: connectedIntake(NEW_PROCEDURE, 1),
    });
    expect(received.status).toBe(201);
    let step: { code?: string; unitCode?: string } | undefined;
    const deadline = Date.now() + 30_000;
    while (step?.code !== 'C1' && Date.now() < deadline) {
      await sleep(200);
      step = (await call(two, 'GET', `/api/v1/dossiers/${received.body.code}`, { token: clerk })).body.currentStep;
    }
    judge(`a new agency, ${NEW_AGENCY}, published while the workers run (no restart):`, [
      count('workers polling its queue before the publication', before, 0),
      count(`workers polling its queue after it (within ${pollingAfter} ms)`, polling, 2),
      count(
        `its segment taking a dossier (step ${step?.code} at ${step?.unitCode})`,
        step?.code === 'C1' && step.unitCode === NEW_AGENCY ? 1 : 0,
        1,
      ),
    ]);
  });

  it('keeps each Schedule once, run once per period, with two APIs keeping them and two workers running them', async () => {
    const ids: string[] = [];
    for await (const schedule of temporal.schedule.list()) {
      ids.push(schedule.scheduleId);
    }
    const expectedIds = [
      DEADLINE_WATCHDOG_SCHEDULE_ID,
      PERSONAL_DATA_RETENTION_SCHEDULE_ID,
      REPORT_MONTH_CLOSE_SCHEDULE_ID,
      REPORT_ROLLUP_SCHEDULE_ID,
    ];
    const counts = [
      count(`Schedules in the namespace (${[...ids].sort().join(', ')})`, ids.length, expectedIds.length),
      count('expected Schedules present', expectedIds.filter((id) => ids.includes(id)).length, expectedIds.length),
    ];
    // Judged away from a minute's boundary, so that no run is just being started.
    while (new Date().getSeconds() < 10 || new Date().getSeconds() > 45) {
      await sleep(500);
    }
    for (const [id, type] of [
      [REPORT_ROLLUP_SCHEDULE_ID, REPORT_ROLLUP_WORKFLOW_TYPE],
      [DEADLINE_WATCHDOG_SCHEDULE_ID, DEADLINE_WATCHDOG_WORKFLOW_TYPE],
    ]) {
      const { info } = await temporal.schedule.getHandle(id).describe();
      const periods = Math.floor(Date.now() / 60_000) - Math.floor(info.createdAt.getTime() / 60_000);
      const runs = new Set<string>();
      for await (const execution of temporal.workflow.list({ query: `WorkflowType = '${type}'` })) {
        runs.add(execution.workflowId);
      }
      const times = info.recentActions.map((a) => a.scheduledAt.getTime());
      counts.push(
        count(
          `${id}: periods since it was created (each minute) run or skipped`,
          info.numActionsTaken + info.numActionsSkippedOverlap,
          periods,
        ),
        count(`${id}: ran at least once`, info.numActionsTaken > 0 ? 1 : 0, 1),
        count(`${id}: workflows started vs actions taken`, runs.size, info.numActionsTaken),
        count(`${id}: periods run twice`, times.length - new Set(times).size, 0),
      );
    }
    judge('the Schedules (kept by both APIs at boot and at each restart):', counts);
  });
});
