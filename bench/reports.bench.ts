import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  runMigrations,
  markEmbeddedDatabase,
  seedDemoData,
  seedReferenceData,
  TypeOrmReportStore,
} from '../libs/persistence/src';
import { CLASSIFY, FROM_ROLLUPS } from '../libs/persistence/src/stores/report.sql';
import { ensureDatabase, startEmbeddedPostgres } from '../scripts/infra/embedded-postgres';
import { freePort } from '../scripts/infra/temporal-server';
import { COUNTRY, generateCountry, PROVINCES } from './country';
import { local, QUARTER } from './province';
import { arg, runBenchmark } from './support';

/**
 * The unit progress report for one quarter over a country of generated dossiers (default 1,000,000 over two years at
 * 1,000 communes under 63 provinces; a country's year: --dossiers=10000000 --units=10000), for ONE PROVINCE's subtree
 * and for the WHOLE COUNTRY: from the dossier facts (target p50 ≤ 1.5 s) and from the rollups (target p90 ≤ 20 ms),
 * beside a naive GROUP BY over the dossier table measured in the same run, on embedded PostgreSQL. Above 1M dossiers
 * the same country is generated at 1M first (its own database, same server, same run) and its figures printed beside,
 * so the growth is visible. Rerun: npm run bench:reports -- --dossiers=10000000 --units=10000
 * (options: --runs=15; --compare=1000000, 0 for none; --explain prints the plans of the facts and rollups queries)
 */
const DOSSIERS = arg('dossiers', 1_000_000);
const UNITS = arg('units', 1_000);
const RUNS = arg('runs', 15);
const COMPARE = arg('compare', 1_000_000);
const EXPLAIN = process.argv.includes('--explain');
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

interface Timing {
  p50: number;
  p90: number;
}

async function time(runs: number, call: () => Promise<unknown>): Promise<Timing> {
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

interface Scope {
  name: string;
  units: string[];
  population: number;
  facts: Timing;
  /** Every unit's own rollup rows, as the reports read them before issue 17. */
  unitRollups: Timing;
  /** The root's own rows and one pre-aggregated subtree row per direct sub-unit, as the reports read them now. */
  rollups: Timing;
}

/** The lines of a unit's report: its own row and one per direct sub-unit (leaves own rows, others subtrees). */
interface Lines {
  own: string[];
  subtrees: string[];
  /** The line each unit of the subtree counts in. */
  owner: Map<string, string>;
}

async function linesOf(ds: DataSource, root: string): Promise<Lines> {
  const rows = await ds.query<{ code: string; line: string; parent: boolean }[]>(
    `WITH RECURSIVE t AS (
       SELECT code, code AS line FROM units WHERE parent_code = $1
       UNION ALL SELECT u.code, t.line FROM units u JOIN t ON u.parent_code = t.code)
     SELECT code, line, EXISTS (SELECT 1 FROM units c WHERE c.parent_code = t.code) AS parent FROM t`,
    [root],
  );
  const owner = new Map<string, string>([[root, root], ...rows.map((r) => [r.code, r.line] as [string, string])]);
  const lines = rows.filter((r) => r.code === r.line);
  return {
    own: [root, ...lines.filter((l) => !l.parent).map((l) => l.code)],
    subtrees: lines.filter((l) => l.parent).map((l) => l.code),
    owner,
  };
}

interface SizeFigures {
  dossiers: number;
  generated: { rows: number; indexes: number };
  rolledUp: number;
  naive: Timing;
  scopes: Scope[];
}

/** The facts and the rollups must give the same figures for a scope before their speeds mean anything. */
async function agree(store: TypeOrmReportStore, units: string[], lines: Lines, from: Date, to: Date): Promise<number> {
  const facts = await store.progress({ from, to, units, groupBy: 'unit' });
  // the subtree rows: each the sum of its units' facts
  const sums = new Map<string, Record<string, number>>();
  for (const r of facts) {
    const line = lines.owner.get(r.key) as string;
    const sum = sums.get(line) ?? {};
    Object.entries(r.flows).forEach(([k, v]) => (sum[k] = (sum[k] ?? 0) + v));
    sums.set(line, sum);
  }
  const subtrees = await store.progressFromRollups(lines.own, QUARTER.from, QUARTER.to, lines.subtrees);
  const wrong = subtrees.filter((r) =>
    Object.entries(r.flows).some(([k, v]) => k !== 'lateFor766' && (sums.get(r.key)?.[k] ?? 0) !== v),
  );
  if (wrong.length > 0 || subtrees.length !== sums.size) {
    console.error(
      JSON.stringify(wrong.slice(0, 2).map((r) => ({ key: r.key, rollups: r.flows, facts: sums.get(r.key) }))),
    );
    throw new Error(`the subtree rollups and the facts disagree on the quarter (${wrong.length} lines)`);
  }
  const rollups = await store.progressFromRollups(units, QUARTER.from, QUARTER.to);
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
  return facts.reduce(
    (n, r) => n + r.flows.carriedOver + r.flows.newInPerson + r.flows.newOnline + r.flows.newPostal,
    0,
  );
}

async function explain(ds: DataSource, label: string, sql: string, params: unknown[]): Promise<void> {
  const plan = await ds.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  console.log(`\n--- ${label}\n${plan.map((l) => l['QUERY PLAN'].slice(0, 240)).join('\n')}`);
}

/** Generates a country of `dossiers` in a database of its own and measures the quarter's report over it. */
async function measure(serverUrl: string, urlFor: (db: string) => string, dossiers: number): Promise<SizeFigures> {
  const name = `bench_${dossiers}`;
  await ensureDatabase(serverUrl, name);
  const url = urlFor(name);
  await runMigrations(url);
  const ds = new DataSource(dataSourceOptions(url, 4));
  await ds.initialize();
  try {
    await seedReferenceData(ds);
    await markEmbeddedDatabase(ds, 'benchmark reports.bench');
    await seedDemoData(ds);

    const started = performance.now();
    const country = await generateCountry(ds, dossiers, UNITS, (done) =>
      process.stdout.write(
        `\r  ${dossiers.toLocaleString('en')}: ${done.toLocaleString('en')} dossiers generated ` +
          `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
      ),
    );
    console.log(`; indexes rebuilt in ${country.seconds.indexes.toFixed(0)} s`);

    const store = new TypeOrmReportStore(ds);
    const t = performance.now();
    await store.refreshRollups(TZ);
    await ds.query('VACUUM ANALYZE report_rollups');
    const rolledUp = (performance.now() - t) / 1000;
    console.log(`  ${dossiers.toLocaleString('en')}: rollups built in ${rolledUp.toFixed(1)} s`);

    const from = local(QUARTER.from);
    const to = new Date(local(QUARTER.to).getTime() + 86_400_000);
    const province = country.provinces[Math.floor(PROVINCES / 2)];
    const scopes: Scope[] = [];
    for (const [label, root, units] of [
      [`one province (${province})`, province, await country.subtreeOf(province)],
      ['whole country', COUNTRY, country.all],
    ] as const) {
      const lines = await linesOf(ds, root);
      const population = await agree(store, units, lines, from, to);
      if (EXPLAIN) {
        await explain(ds, `${dossiers}: facts, ${label}`, CLASSIFY('unit_code', units.length), [from, to, units]);
        await explain(ds, `${dossiers}: rollups by subtree, ${label}`, FROM_ROLLUPS, [
          lines.own,
          QUARTER.from,
          QUARTER.to,
          lines.subtrees,
        ]);
      }
      const facts = await time(RUNS, () => store.progress({ from, to, units, groupBy: 'unit' }));
      const unitRollups = await time(RUNS, () => store.progressFromRollups(units, QUARTER.from, QUARTER.to));
      const rollups = await time(RUNS, () =>
        store.progressFromRollups(lines.own, QUARTER.from, QUARTER.to, lines.subtrees),
      );
      scopes.push({ name: label, units, population, facts, unitRollups, rollups });
    }
    const naive = await time(RUNS, () => ds.query(NAIVE, [from, to]));
    return { dossiers, generated: country.seconds, rolledUp, naive, scopes };
  } finally {
    await ds.destroy();
  }
}

function print(sizes: SizeFigures[]): void {
  const ms = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`);
  const cell = (s: string): string => s.padStart(26);
  const line = (label: string, value: (f: SizeFigures) => string, growth?: (f: SizeFigures) => number): void => {
    const g =
      growth && sizes.length > 1
        ? `  ×${(growth(sizes[sizes.length - 1]) / growth(sizes[0])).toFixed(1)}`.padStart(9)
        : '';
    console.log(`  ${label.padEnd(40)}${sizes.map((f) => cell(value(f))).join('')}${g}`);
  };
  const [first] = sizes;
  console.log(
    `\nProgress report by unit, one quarter (${QUARTER.from}..${QUARTER.to}), dossiers over 2 years; ` +
      `${UNITS.toLocaleString('en')} communes under ${PROVINCES} provinces (10 districts each); ${RUNS} runs each`,
  );
  line('dossiers', (f) => f.dossiers.toLocaleString('en'));
  line(
    'generated: rows / indexes + analyse',
    (f) => `${f.generated.rows.toFixed(0)} s / ${f.generated.indexes.toFixed(0)} s`,
  );
  line(
    'rollups built',
    (f) => `${f.rolledUp.toFixed(1)} s`,
    (f) => f.rolledUp,
  );
  first.scopes.forEach((scope, i) => {
    console.log(`  ${scope.name}: ${scope.units.length.toLocaleString('en')} units`);
    line(
      '  dossiers in the quarter',
      (f) => f.scopes[i].population.toLocaleString('en'),
      (f) => f.scopes[i].population,
    );
    line(
      '  facts p50 / p90 (target p50 ≤ 1.5 s)',
      (f) => `${ms(f.scopes[i].facts.p50)} / ${ms(f.scopes[i].facts.p90)}`,
      (f) => f.scopes[i].facts.p50,
    );
    line(
      '  rollups, every unit p50 / p90 (before)',
      (f) => `${ms(f.scopes[i].unitRollups.p50)} / ${ms(f.scopes[i].unitRollups.p90)}`,
      (f) => f.scopes[i].unitRollups.p90,
    );
    line(
      '  rollups, by subtree p50 / p90 (≤ 20 ms)',
      (f) => `${ms(f.scopes[i].rollups.p50)} / ${ms(f.scopes[i].rollups.p90)}`,
      (f) => f.scopes[i].rollups.p90,
    );
  });
  line(
    'naive GROUP BY, country (baseline) p50',
    (f) => ms(f.naive.p50),
    (f) => f.naive.p50,
  );
  line('  facts, country: × faster than naive', (f) => `${(f.naive.p50 / f.scopes[1].facts.p50).toFixed(1)}×`);
  const misses = sizes.flatMap((f) =>
    f.scopes.flatMap((s) => [
      ...(s.facts.p50 > 1500 ? [`${f.dossiers}: facts, ${s.name} p50 ${ms(s.facts.p50)} > 1.5 s`] : []),
      ...(s.rollups.p90 > 20 ? [`${f.dossiers}: rollups, ${s.name} p90 ${ms(s.rollups.p90)} > 20 ms`] : []),
    ]),
  );
  console.log(misses.length === 0 ? '  every target met' : `  MISSED: ${misses.join('; ')}`);
  console.log(
    `  rerun: npm run bench:reports -- --dossiers=${DOSSIERS} --units=${UNITS} --runs=${RUNS}` +
      `${sizes.length > 1 ? '' : ' --compare=0'}\n`,
  );
}

async function onServer(serverUrl: string, statements: string[]): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const sql of statements) {
      await client.query(sql);
    }
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reports-bench-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  try {
    // Tuned for a bulk load as a production server would be: checkpoints far apart, memory for index builds. The
    // queries keep the defaults (work_mem 4 MB).
    await onServer(postgres.serverUrl, [
      `ALTER SYSTEM SET max_wal_size = '16GB'`,
      `ALTER SYSTEM SET checkpoint_timeout = '30min'`,
      `ALTER SYSTEM SET maintenance_work_mem = '1GB'`,
      `SELECT pg_reload_conf()`,
    ]);
    const sizes: SizeFigures[] = [];
    for (const dossiers of COMPARE > 0 && COMPARE < DOSSIERS ? [COMPARE, DOSSIERS] : [DOSSIERS]) {
      sizes.push(await measure(postgres.serverUrl, (db) => postgres.urlFor(db), dossiers));
      if (dossiers !== DOSSIERS) {
        await onServer(postgres.serverUrl, [`DROP DATABASE bench_${dossiers}`]); // its disk for the next size
      }
    }
    print(sizes);
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBenchmark(main);
