import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  runMigrations,
  markEmbeddedDatabase,
  seedDemoData,
  seedReferenceData,
  TypeOrmReportStore,
} from '../libs/persistence/src';
import { ensureDatabase, startEmbeddedPostgres } from '../scripts/infra/embedded-postgres';
import { freePort } from '../scripts/infra/temporal-server';
import { generateProvince, local, QUARTER } from './province';
import { arg, runBenchmark } from './support';

/**
 * The unit progress report for one quarter over a province of generated dossiers (default 1,000,000 over two years
 * at 1,000 units): from the dossier facts (target ≤ 300 ms) and from the rollups (target ≤ 20 ms), beside a naive
 * GROUP BY over the dossier table measured in the same run, on embedded PostgreSQL.
 * Rerun: npm run bench:reports   (options: --dossiers=1000000 --units=1000 --runs=15; --dossiers=10000000 for 10M)
 */
const DOSSIERS = arg('dossiers', 1_000_000);
const UNITS = arg('units', 1_000);
const RUNS = arg('runs', 15);
const TZ = 'Asia/Ho_Chi_Minh';

/** The report as anyone would first write it: one GROUP BY over the dossier table, breaches joined in. */
const NAIVE = `
  SELECT d.receiving_unit_code AS key,
    count(*) FILTER (WHERE d.received_at < $1)::int AS carried,
    count(*) FILTER (WHERE d.received_at >= $1 AND d.channel = 'ONLINE')::int AS online,
    count(*) FILTER (WHERE d.received_at >= $1 AND d.channel = 'IN_PERSON')::int AS in_person,
    count(*) FILTER (WHERE d.received_at >= $1 AND d.channel = 'POSTAL')::int AS postal,
    count(*) FILTER (WHERE d.finished_at < $2 AND d.outcome = 'APPROVED' AND d.timeliness = 'EARLY')::int AS early,
    count(*) FILTER (WHERE d.finished_at < $2 AND d.outcome = 'APPROVED' AND d.timeliness = 'ON_TIME')::int AS on_time,
    count(*) FILTER (WHERE d.finished_at < $2 AND d.outcome = 'APPROVED' AND d.timeliness = 'LATE')::int AS late,
    count(*) FILTER (WHERE d.finished_at < $2 AND d.outcome NOT IN ('APPROVED', 'REFUSED'))::int AS withdrawn,
    count(*) FILTER (WHERE d.finished_at < $2 AND d.outcome = 'REFUSED')::int AS refused,
    count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= $2) AND d.paused_since < $2)::int AS paused,
    count(*) FILTER (WHERE (d.finished_at IS NULL OR d.finished_at >= $2) AND d.paused_since IS NULL
                     AND EXISTS (SELECT 1 FROM deadline_facts f WHERE f.dossier_code = d.code
                                 AND f.kind = 'DOSSIER_BREACH' AND f.occurred_at < $2))::int AS overdue
  FROM dossiers d
  WHERE d.received_at < $2 AND (d.finished_at IS NULL OR d.finished_at >= $1)
  GROUP BY d.receiving_unit_code`;

async function time(runs: number, call: () => Promise<unknown>): Promise<{ p50: number; p90: number }> {
  await call(); // warm the cache and the plan
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs / 2)], p90: times[Math.min(runs - 1, Math.floor(runs * 0.9))] };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reports-bench-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  try {
    await ensureDatabase(postgres.serverUrl, 'bench');
    const url = postgres.urlFor('bench');
    await runMigrations(url);
    const ds = new DataSource(dataSourceOptions(url, 4));
    await ds.initialize();
    await seedReferenceData(ds);
    await markEmbeddedDatabase(ds, 'benchmark reports.bench');
    await seedDemoData(ds);

    const { agencies, units, seconds: generated } = await generateProvince(ds, DOSSIERS, UNITS);

    const store = new TypeOrmReportStore(ds);
    const t = performance.now();
    await store.refreshRollups(TZ);
    await ds.query('VACUUM ANALYZE report_rollups');
    const rolledUp = (performance.now() - t) / 1000;

    const from = local(QUARTER.from);
    const to = new Date(local(QUARTER.to).getTime() + 86_400_000);
    const all = ['000.00.00.H36', ...agencies, ...units];
    const facts = await store.progress({ from, to, units: all, groupBy: 'unit' });
    const rollups = await store.progressFromRollups(all, QUARTER.from, QUARTER.to);
    // The two sources must agree before their speeds mean anything.
    const byKey = new Map(rollups.map((r) => [r.key, r.flows]));
    const disagreements = facts.flatMap((r) => {
      const other = byKey.get(r.key);
      const diff = Object.entries(r.flows).filter(
        ([k, v]) => k !== 'lateFor766' && other?.[k as keyof typeof r.flows] !== v,
      );
      return diff.length > 0 || !other ? [{ key: r.key, facts: r.flows, rollups: other }] : [];
    });
    if (disagreements.length > 0 || facts.length !== rollups.length) {
      console.error(JSON.stringify(disagreements.slice(0, 3), null, 1));
      throw new Error(`the rollups and the facts disagree on the quarter (${disagreements.length} units)`);
    }
    const population = facts.reduce(
      (n, r) => n + r.flows.carriedOver + r.flows.newInPerson + r.flows.newOnline + r.flows.newPostal,
      0,
    );

    const naive = await time(RUNS, () => ds.query(NAIVE, [from, to]));
    const fromFacts = await time(RUNS, () => store.progress({ from, to, units: all, groupBy: 'unit' }));
    const fromRollups = await time(RUNS, () => store.progressFromRollups(all, QUARTER.from, QUARTER.to));
    await ds.destroy();

    const ms = (n: number): string => `${n.toFixed(1)} ms`.padStart(10);
    console.log(
      `\nProgress report by unit, one quarter (${QUARTER.from}..${QUARTER.to}: ${population.toLocaleString('en')} dossiers in it), ` +
        `${DOSSIERS.toLocaleString('en')} dossiers over 2 years at ${UNITS} units; ${RUNS} runs each`,
    );
    console.log(
      `  generated in ${generated.toFixed(0)} s; rollups built in ${rolledUp.toFixed(1)} s; facts and rollups agree`,
    );
    console.log(`  naive GROUP BY over dossiers (baseline) p50 ${ms(naive.p50)}  p90 ${ms(naive.p90)}`);
    console.log(
      `  from the dossier facts                 p50 ${ms(fromFacts.p50)}  p90 ${ms(fromFacts.p90)}  ` +
        `${(naive.p50 / fromFacts.p50).toFixed(1)}× faster (target ≤ 300 ms)`,
    );
    console.log(
      `  from the rollups                       p50 ${ms(fromRollups.p50)}  p90 ${ms(fromRollups.p90)}  ` +
        `${(naive.p50 / fromRollups.p50).toFixed(1)}× faster (target ≤ 20 ms)`,
    );
    console.log('  rerun: npm run bench:reports -- --dossiers=1000000 --units=1000 --runs=15\n');
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
