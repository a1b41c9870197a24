import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Count, formatCounts, reconciler } from './support/counters';
import { Driver } from './support/driver';
import { type Fault, runFaults, seededRandom } from './support/supervisor';
import { FAST_PROCEDURE, startTopology, type Topology } from './support/topology';

/**
 * At most FAULTS_DOSSIERS dossiers received and walked, in FAULTS_LANES concurrent lanes, new ones started for
 * FAULTS_SECONDS: on a busy two-core machine the time bound decides how many (printed), keeping the tier's budget.
 */
const DOSSIERS = Number(process.env.FAULTS_DOSSIERS ?? 300);
const LANES = Number(process.env.FAULTS_LANES ?? 6);
const SECONDS = Number(process.env.FAULTS_SECONDS ?? 150);
/** The fault schedule's seed (printed; FAULTS_SEED replays a run's schedule). */
const SEED = Number(process.env.FAULTS_SEED ?? Date.now() % 1_000_000);

jest.setTimeout(420_000);

/**
 * While a driver receives and walks dossiers, the worker, the API, the Temporal dev server and PostgreSQL are each
 * killed with SIGKILL at random moments and restarted a few seconds later. Then nothing may be lost, duplicated
 * or missed: every count is printed beside its expectation.
 */
describe('faults: processes killed under load', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'dossier-faults-'));
  let topology: Topology | undefined;
  let counts: Count[] = [];
  let faults: Fault[] = [];

  beforeAll(async () => {
    const log = (line: string): void => void process.stdout.write(`[faults] ${line}\n`);
    const started = Date.now();
    topology = await startTopology(workDir);
    log(
      `topology up in ${Date.now() - started} ms (logs in ${workDir}); seed ${SEED}, up to ${DOSSIERS} dossiers for ${SECONDS} s`,
    );

    // Dossiers with deadlines in seconds for the first third of the stream: their every timer falls due in the run.
    const driver = new Driver(topology.baseUrl, DOSSIERS, LANES, Date.now() + SECONDS * 1000, {
      procedure: FAST_PROCEDURE,
      until: Date.now() + (SECONDS * 1000) / 3,
    });
    let driving = true;
    const driven = driver.run().finally(() => {
      driving = false;
    });
    faults = await runFaults(topology.victims, {
      random: seededRandom(SEED),
      cycles: 1,
      stopWhen: () => !driving || !driver.starting,
      log,
    });
    const result = await driven;
    log(
      `driver done after ${Date.now() - started} ms: ${result.started} dossiers received and walked; retries: ` +
        JSON.stringify(Object.fromEntries(result.retries)),
    );

    const check = await reconciler({
      databaseUrl: topology.databaseUrl,
      temporalAddress: topology.temporal.address,
      driver: result,
      deliveries: topology.portal.deliveries,
    });
    try {
      const quiet = await check.quiesce(150_000);
      log(`${quiet ? 'quiescent' : 'NOT quiescent'} after ${Date.now() - started} ms`);
      counts = await check.counts();
    } finally {
      await check.close();
    }
    const redelivered = topology.portal.deliveries.length - new Set(topology.portal.deliveries.map((d) => d.key)).size;
    log(
      `\n${formatCounts(counts)}\n  (portal redeliveries of an already accepted key, harmless under its Idempotency-Key: ${redelivered};` +
        ` intakes answered as replays: ${result.replays})`,
    );
  });

  afterAll(async () => {
    await topology?.stop();
    if (counts.length > 0 && counts.every((c) => c.actual === c.expected)) {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('killed each of the worker, the API, Temporal and PostgreSQL at least once', () => {
    expect(new Set(faults.map((f) => f.victim))).toEqual(new Set(['worker', 'api', 'temporal', 'postgres']));
  });

  it('lost, duplicated and missed nothing: every count equals its expectation', () => {
    expect(counts.length).toBeGreaterThan(0);
    const wrong = counts.filter((c) => c.actual !== c.expected);
    expect(wrong).toEqual([]);
  });
});
