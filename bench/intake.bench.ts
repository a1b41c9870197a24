import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { EXAMPLE_A_WALK } from '../libs/persistence/src';
import { ensureDatabase } from '../scripts/infra/embedded-postgres';
import { freePort } from '../scripts/infra/temporal-server';
import { cpuSeconds } from './process-cpu';
import { createReferenceSchema, REFERENCE_TASK_QUEUE } from './reference/schema';
import {
  arg,
  INTAKE,
  ms,
  percentile,
  post,
  runBenchmark,
  sleep,
  startProduct,
  startServers,
  waitFor,
  waitForHttp,
  waitForPollers,
} from './support';

/**
 * Intake, measured against the baseline a user would build by hand (bench/reference: node:http + pg, an outbox relay
 * polling with FOR UPDATE SKIP LOCKED, a workflow whose first task writes one row through an activity), on the same
 * PostgreSQL and Temporal dev server in the same run. Every server is its own process, the product as deployed
 * (dist/apps/api, dist/apps/worker), so CPU is read per process from /proc.
 * Rerun: npm run bench:intake   (options: --intakes=400 --concurrency=16 --officers=2 --warmup=100; QUICK=1 for a
 * smoke run; --log-level=info sets the product's LOG_LEVEL)
 */
const QUICK = process.env.QUICK === '1';
/** Intakes per measured phase (a count, not a duration: each phase waits for its workflows to catch up). */
const INTAKES = arg('intakes', QUICK ? 80 : 400);
const CONCURRENCY = arg('concurrency', 16);
const OFFICERS = arg('officers', 2);
const WARMUP = arg('warmup', QUICK ? 20 : 100);
const LOG_LEVEL = process.argv.find((a) => a.startsWith('--log-level='))?.split('=')[1] ?? 'info';
/** `--profile`: the API and the worker write V8 CPU profiles (--cpu-prof) to a folder kept after the run. */
const PROFILE = process.argv.includes('--profile');
/**
 * `--tcp`: both implementations reach PostgreSQL over TCP on loopback instead of its Unix socket (as `npm start`
 * runs the product since issue 17), to see what the socket saves.
 */
const TCP = process.argv.includes('--tcp');
/**
 * `--statements`: PostgreSQL with pg_stat_statements; after the product's phase, the statements that took its
 * time (planning and execution, per intake), so the database's share is read statement by statement.
 */
const STATEMENTS = process.argv.includes('--statements');
/** `--waits`: samples what the product's database sessions wait on while intakes run (pg_stat_activity). */
const WAITS = process.argv.includes('--waits');
/** Dossiers each officer may walk while intakes run (each walk is 15 actions). */
const WALKS_PER_OFFICER = arg('walks', QUICK ? 3 : 20);

/** `clients` loops calling `call` until `count` calls were made; returns the successes, their latencies, the time. */
async function load(count: number, clients: number, call: () => Promise<boolean>) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        next += 1;
        const t = performance.now();
        if (await call()) {
          latencies.push(performance.now() - t);
        } else {
          failures += 1;
        }
      }
    }),
  );
  return { ok: latencies.length, failures, seconds: (performance.now() - started) / 1000, latencies };
}

/** What the sessions of a database are doing, sampled every 20 ms while `running()`: a histogram, most seen first. */
async function sampleWaits(db: Pool, running: () => boolean): Promise<string> {
  const seen = new Map<string, number>();
  let samples = 0;
  while (running()) {
    const { rows } = await db.query<{ what: string; n: number }>(
      `SELECT concat_ws(' ', state, wait_event_type || ':' || wait_event, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 70)) AS what,
              count(*)::int AS n
       FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
       GROUP BY 1`,
    );
    for (const r of rows) {
      seen.set(r.what, (seen.get(r.what) ?? 0) + r.n);
    }
    samples += 1;
    await sleep(20);
  }
  return [...seen]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([what, n]) => `    ${(n / samples).toFixed(2).padStart(6)} sessions  ${what}`)
    .join('\n');
}

interface PhaseResult {
  name: string;
  intakes: number;
  failures: number;
  /** 201s per second over the load window. */
  rate: number;
  /** Intakes per second until the last one's workflow wrote its first row. */
  rateThroughWorker: number;
  latencies: number[];
  /** CPU seconds per process group over the phase, until the last workflow's first row. */
  cpu: Record<string, number>;
}

/** The product database's statements by time taken (planning + execution) since the reset, per intake. */
async function statementsPerIntake(db: Pool, intakes: number): Promise<string> {
  const { rows } = await db.query<{ calls: string; ms: number; rows: string; query: string }>(
    `SELECT s.calls, s.total_plan_time + s.total_exec_time AS ms, s.rows, s.query
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database() AND s.query NOT LIKE '%pg_stat_statements%'
      ORDER BY ms DESC LIMIT 15`,
  );
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  const lines = rows.map(
    (r) =>
      `    ${(r.ms / intakes).toFixed(3).padStart(7)} ms/intake  ${String(Number(r.calls) / intakes)
        .slice(0, 5)
        .padStart(5)} calls/intake  ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`,
  );
  return `\n  product: statements by time (planning + execution), top 15 = ${(total / intakes).toFixed(2)} ms/intake\n${lines.join('\n')}`;
}

async function main(): Promise<void> {
  const servers = await startServers({ tcp: TCP, mark: 'benchmark intake.bench', statements: STATEMENTS });
  const profiles = mkdtempSync(join(tmpdir(), 'dossier-intake-profiles-'));
  const pools: Pool[] = [];
  try {
    // The product's database, migrated and seeded as `npm start` does; the reference's apart, on the same server.
    await ensureDatabase(servers.postgres.serverUrl, 'reference');
    const productUrl = servers.productUrl;
    const referenceUrl = servers.urlFor('reference');
    await createReferenceSchema(referenceUrl);
    const productDb = new Pool({ connectionString: productUrl, max: 1 });
    const referenceDb = new Pool({ connectionString: referenceUrl, max: 1 });
    pools.push(productDb, referenceDb);
    const count = async (db: Pool, sql: string): Promise<number> => (await db.query<{ n: number }>(sql)).rows[0].n;

    // The product as deployed: the built API and worker, each its own process, configured as the launcher does.
    const { api, worker, config, base, client, tokens } = await startProduct(servers, {
      logLevel: LOG_LEVEL,
      nodeArgs: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : [],
    });
    // The reference: its server, relay and worker, each its own process, with the product's pool size.
    const referencePort = await freePort();
    const referenceEnv = {
      ...process.env,
      REFERENCE_DATABASE_URL: referenceUrl,
      TEMPORAL_ADDRESS: servers.temporal.address,
      DATABASE_POOL_SIZE: String(config.DATABASE_POOL_SIZE),
      RELAY_POLL_INTERVAL_MS: String(config.OUTBOX_POLL_INTERVAL_MS),
      RELAY_BATCH_SIZE: String(config.OUTBOX_BATCH_SIZE),
    };
    const refServer = servers.start('reference-server', 'bench/reference/server.js', {
      ...referenceEnv,
      PORT: String(referencePort),
    });
    const refRelay = servers.start('reference-relay', 'bench/reference/relay.js', referenceEnv);
    const refWorker = servers.start('reference-worker', 'bench/reference/worker.js', referenceEnv);

    const referenceBase = `http://127.0.0.1:${referencePort}`;
    await waitForHttp(`${referenceBase}/`);
    await waitForPollers(client, REFERENCE_TASK_QUEUE);

    const productCodes: string[] = [];
    const productIntake = async (): Promise<boolean> => {
      const res = await post(`${base}/api/v1/dossiers`, tokens.get('clerk'), INTAKE);
      const json = (await res.json()) as { code?: string };
      if (res.status === 201 && json.code) {
        productCodes.push(json.code);
      }
      return res.status === 201;
    };
    const referenceIntake = async (): Promise<boolean> => {
      const res = await post(`${referenceBase}/dossiers`, undefined, INTAKE);
      await res.arrayBuffer();
      return res.status === 201;
    };
    const productReceived = () => count(productDb, `SELECT count(*)::int AS n FROM dossiers`);
    const productTaken = () => count(productDb, `SELECT count(*)::int AS n FROM dossiers WHERE state <> 'RECEIVED'`);
    const referenceReceived = () => count(referenceDb, `SELECT count(*)::int AS n FROM dossiers`);
    const referenceTaken = () => count(referenceDb, `SELECT count(*)::int AS n FROM dossier_events`);

    // Process groups whose CPU is read: each implementation's own processes, and the two shared servers.
    const pid = (child: ChildProcess): number[] => [child.pid as number];
    const groups = {
      api: pid(api),
      worker: pid(worker),
      'reference server': pid(refServer),
      'reference relay': pid(refRelay),
      'reference worker': pid(refWorker),
      temporal: servers.temporalPids,
      postgresql: [servers.postmaster],
    };

    /**
     * One phase: INTAKES intakes from CONCURRENCY clients (and `alongside`, told when they are done), then a wait
     * until every intake's workflow has written its first row; CPU is read before and after.
     */
    const phase = async (
      name: string,
      intake: () => Promise<boolean>,
      received: () => Promise<number>,
      taken: () => Promise<number>,
      alongside?: (loading: () => boolean) => Promise<void>,
    ): Promise<PhaseResult> => {
      const before = cpuSeconds(groups);
      const startedAt = performance.now();
      let loading = true;
      const run = load(INTAKES, CONCURRENCY, intake).finally(() => void (loading = false));
      const side = alongside?.(() => loading);
      const waits = WAITS && name.startsWith('product') ? sampleWaits(productDb, () => loading) : undefined;
      const result = await run;
      if (waits) {
        console.log(`\n  ${name}: database sessions seen (every 20 ms) while intakes ran\n${await waits}`);
      }
      await side;
      const total = await received();
      await waitFor(`${name}: taken into processing`, taken, total);
      const throughWorker = (performance.now() - startedAt) / 1000;
      const after = cpuSeconds(groups);
      return {
        name,
        intakes: result.ok,
        failures: result.failures,
        rate: result.ok / result.seconds,
        rateThroughWorker: result.ok / throughWorker,
        latencies: result.latencies.sort((a, b) => a - b),
        cpu: Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]])),
      };
    };

    // Warm-up (JIT, pools, caches) on both, not measured; then the dossiers the officers will walk.
    process.stdout.write(`warm-up (${WARMUP} intakes each) … `);
    for (let i = 0; i < WARMUP; i += CONCURRENCY) {
      await Promise.all(Array.from({ length: CONCURRENCY }, () => Promise.all([productIntake(), referenceIntake()])));
    }
    const walkable = productCodes.splice(0, Math.min(productCodes.length, OFFICERS * WALKS_PER_OFFICER));
    for (let i = walkable.length; i < OFFICERS * WALKS_PER_OFFICER; i++) {
      await productIntake();
      walkable.push(productCodes.pop() as string);
    }
    await waitFor('warm-up (product)', productTaken, await productReceived());
    await waitFor('warm-up (reference)', referenceTaken, await referenceReceived());
    console.log('done');

    process.stdout.write(`reference intake (${INTAKES} intakes, ${CONCURRENCY} clients) … `);
    const reference = await phase('reference', referenceIntake, referenceReceived, referenceTaken);
    console.log(`${reference.intakes} intakes`);
    process.stdout.write(`product intake (${INTAKES} intakes, ${CONCURRENCY} clients) … `);
    if (STATEMENTS) {
      await productDb.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await productDb.query('SELECT pg_stat_statements_reset()');
    }
    const product = await phase('product', productIntake, productReceived, productTaken);
    console.log(`${product.intakes} intakes`);
    if (STATEMENTS) {
      console.log(await statementsPerIntake(productDb, product.intakes));
    }

    // Officers advance already-received dossiers over HTTP while the same intake load runs.
    const actions: number[] = [];
    const actionFailures = new Map<string, number>();
    const officer = async (walks: string[], loading: () => boolean): Promise<void> => {
      for (const code of walks) {
        for (const [who, action, body] of EXAMPLE_A_WALK) {
          if (!loading()) {
            return;
          }
          const t = performance.now();
          const res = await post(`${base}/api/v1/dossiers/${code}/actions/${action}`, tokens.get(who), body ?? {});
          await res.arrayBuffer();
          if (res.status === 200) {
            actions.push(performance.now() - t);
          } else {
            const what = `${action} ${res.status}`;
            actionFailures.set(what, (actionFailures.get(what) ?? 0) + 1);
          }
        }
      }
    };
    process.stdout.write(`product intake with ${OFFICERS} officers acting (${INTAKES} intakes) … `);
    const withOfficers = await phase(
      'product + officers',
      productIntake,
      productReceived,
      productTaken,
      async (loading) => {
        const walks = Array.from({ length: OFFICERS }, (_, o) =>
          walkable.slice(o * WALKS_PER_OFFICER, (o + 1) * WALKS_PER_OFFICER),
        );
        await Promise.all(walks.map((w) => officer(w, loading)));
      },
    );
    console.log(`${withOfficers.intakes} intakes, ${actions.length} actions`);
    actions.sort((a, b) => a - b);

    report(reference, product, withOfficers, actions, actionFailures);
    await client.connection.close();
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await servers.stop();
    if (PROFILE) {
      console.log(`CPU profiles of the API and the worker: ${profiles} (open in Chrome DevTools)`);
    } else {
      rmSync(profiles, { recursive: true, force: true });
    }
  }
}

const SERVERS: Record<string, string[]> = {
  product: ['api', 'worker', 'temporal', 'postgresql'],
  reference: ['reference server', 'reference relay', 'reference worker', 'temporal', 'postgresql'],
};

function cpuLine(result: PhaseResult, own: string[]): { perIntake: number; line: string } {
  const total = own.reduce((sum, k) => sum + result.cpu[k], 0);
  const perIntake = (total * 1000) / result.intakes;
  const shares = own
    .map(
      (k) =>
        `${k} ${((result.cpu[k] * 1000) / result.intakes).toFixed(2)} ms (${((100 * result.cpu[k]) / total).toFixed(0)}%)`,
    )
    .join(', ');
  return { perIntake, line: `${perIntake.toFixed(2).padStart(7)} ms CPU/intake = ${shares}` };
}

function report(
  reference: PhaseResult,
  product: PhaseResult,
  withOfficers: PhaseResult,
  actions: number[],
  actionFailures: Map<string, number>,
): void {
  const row = (r: PhaseResult) =>
    `${r.rate.toFixed(1).padStart(7)} /s (${r.intakes} 201s in ${(r.intakes / r.rate).toFixed(1)} s${r.failures ? `, ${r.failures} failed` : ''})  p50 ${ms(percentile(r.latencies, 0.5))}  p99 ${ms(percentile(r.latencies, 0.99))};  through the first workflow task ${r.rateThroughWorker.toFixed(1)} /s`;
  const refCpu = cpuLine(reference, SERVERS.reference);
  const productCpu = cpuLine(product, SERVERS.product);
  const officersCpu = cpuLine(withOfficers, SERVERS.product);
  const ratio = product.rate / reference.rate;
  const cpuRatio = productCpu.perIntake / refCpu.perIntake;
  const p99 = percentile(actions, 0.99);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  console.log(
    `\nIntake benchmark (${CONCURRENCY} concurrent clients, ${INTAKES} intakes per phase, product LOG_LEVEL=${LOG_LEVEL}, PostgreSQL over ${TCP ? 'TCP on loopback' : 'its Unix socket'})`,
  );
  console.log(`  intake throughput`);
  console.log(`    reference (node:http + pg + relay)   ${row(reference)}`);
  console.log(`    product                              ${row(product)}`);
  console.log(`    product, officers acting             ${row(withOfficers)}`);
  console.log(
    `    ratio product / reference            ${ratio.toFixed(2)}   (target ≥ 0.7: ${verdict(ratio >= 0.7)}; 201s answered)`,
  );
  // What each sustains: a 201 the workers have not taken up yet is a backlog, not work done.
  const sustained = product.rateThroughWorker / reference.rateThroughWorker;
  console.log(
    `    ratio through the first workflow task ${sustained.toFixed(2)}   (target ≥ 0.7: ${verdict(sustained >= 0.7)}; taken into processing)`,
  );
  console.log(`  CPU per intake (all processes, /proc utime+stime, until every workflow's first row)`);
  console.log(`    reference  ${refCpu.line}`);
  console.log(`    product    ${productCpu.line}`);
  console.log(`    product, officers acting ${officersCpu.line}`);
  console.log(
    `    ratio product / reference            ${cpuRatio.toFixed(2)}   (target ≤ 1.5: ${verdict(cpuRatio <= 1.5)})`,
  );
  console.log(
    `  officer action round trip while intakes run (${OFFICERS} officers walking example A, ${actions.length} actions${actionFailures.size ? `; failed: ${[...actionFailures].map(([w, n]) => `${n} × ${w}`).join(', ')}` : ''})`,
  );
  console.log(
    `    p50 ${ms(percentile(actions, 0.5))}  p99 ${ms(p99)}   (target p99 ≤ 250 ms: ${verdict(p99 <= 250)})`,
  );
  console.log(
    `  rerun: npm run bench:intake -- --intakes=${INTAKES} --concurrency=${CONCURRENCY} --officers=${OFFICERS} --warmup=${WARMUP}   (QUICK=1 for a smoke run)`,
  );
  console.log(`  the empty-workflow-start figure of issue 4: npm run bench:lifecycle\n`);
}

runBenchmark(main);
