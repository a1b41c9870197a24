import { type DataSource } from 'typeorm';
import { local } from './province';

/** The root of the generated country (kind COUNTRY), above its 63 provinces. */
export const COUNTRY = 'VN';
export const PROVINCES = 63;
/** Districts per province; the communes (where dossiers are received) are spread over them. */
const DISTRICTS = 10;

const pad = (n: number | string, width: number): string => String(n).padStart(width, '0');
export const provinceCode = (p: number): string => `000.00.00.P${pad(p + 1, 2)}`;

export interface Country {
  /** The 63 province codes. */
  provinces: string[];
  /** Every unit of one province's subtree (the province, its districts, its communes), the province first. */
  subtreeOf(province: string): Promise<string[]>;
  /** Every unit of the country, the country first. */
  all: string[];
  /** Seconds: creating the tree and the rows, then rebuilding the indexes and analysing. */
  seconds: { rows: number; indexes: number };
}

/**
 * A country of generated dossiers for the report benchmarks, built in PostgreSQL (generate_series, no row crosses the
 * wire): the country (VN) → 63 provinces (000.00.00.Pnn) → 10 districts each (000.00.dd.Pnn) → `unitCount` communes
 * spread round-robin over them (ccc.dd.00.Pnn), where `dossiers` dossiers are received over two years
 * (2024-07-01 – 2026-07-01), in the order they arrive (as a live database stores them), with their report facts.
 * Each dossier's fate follows `loadRows` / `materialise` of the dossier-history generator (finished within 30 days,
 * mostly early; the last month's still open: within the deadline, overdue or paused), drawn from a hash of its number
 * so the same size always gives the same rows. Needs the reference and demo data (procedures, the clerk).
 */
export async function generateCountry(
  ds: DataSource,
  dossiers: number,
  unitCount: number,
  progress: (done: number) => void = () => undefined,
): Promise<Country> {
  const t0 = performance.now();
  await ds.query(`INSERT INTO units (code, name, parent_code, kind) VALUES ($1, 'Cả nước', NULL, 'COUNTRY')`, [
    COUNTRY,
  ]);
  await ds.query(
    `INSERT INTO units (code, name, parent_code, kind)
     SELECT format('000.00.00.P%s', lpad(p::text, 2, '0')), 'Tỉnh ' || p, $1, 'PROVINCE' FROM generate_series(1, $2) p`,
    [COUNTRY, PROVINCES],
  );
  await ds.query(
    `INSERT INTO units (code, name, parent_code, kind)
     SELECT format('000.00.%s.P%s', lpad(d::text, 2, '0'), lpad(p::text, 2, '0')), 'Huyện ' || d || ', tỉnh ' || p,
            format('000.00.00.P%s', lpad(p::text, 2, '0')), 'DISTRICT'
     FROM generate_series(1, $1) p CROSS JOIN generate_series(1, $2) d`,
    [PROVINCES, DISTRICTS],
  );
  // Commune i: province i mod 63, then round-robin over the province's districts.
  const COMMUNE = (i: string): string =>
    `format('%s.%s.00.P%s', lpad((${i} / ${PROVINCES * DISTRICTS} + 1)::text, 3, '0'),
            lpad(((${i} / ${PROVINCES}) % ${DISTRICTS} + 1)::text, 2, '0'), lpad((${i} % ${PROVINCES} + 1)::text, 2, '0'))`;
  await ds.query(
    `INSERT INTO units (code, name, parent_code, kind)
     SELECT ${COMMUNE('i')}, 'Xã ' || i,
            format('000.00.%s.P%s', lpad(((i / ${PROVINCES}) % ${DISTRICTS} + 1)::text, 2, '0'),
                   lpad((i % ${PROVINCES} + 1)::text, 2, '0')), 'COMMUNE'
     FROM generate_series(0, $1 - 1) i`,
    [unitCount],
  );
  const [{ id: clerk }] = await ds.query<{ id: string }[]>(`SELECT id FROM officers WHERE username = 'clerk'`);

  // Loading into tables without their secondary indexes and building those once is the usual bulk load: keep each
  // index's definition, drop it, load, recreate. Foreign keys are valid by construction (replica role skips them).
  const indexes = await ds.query<{ name: string; def: string }[]>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename IN ('dossiers', 'dossier_facts')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const { name } of indexes) {
    await ds.query(`DROP INDEX ${name}`);
  }

  const from = local('2024-07-01').getTime() / 1000;
  const to = local('2026-07-01').getTime() / 1000;
  /** A uniform draw in [0, 1) from the dossier's number and a salt. */
  const r = (salt: number): string => `((hashint8extended(id, ${salt}) & 2147483647)::float8 / 2147483648)`;
  // One row per dossier, everything as epoch seconds; the same ids give the same rows in both statements.
  const ROWS = `
    WITH procs AS (SELECT code, field, (row_number() OVER (ORDER BY code) - 1)::int AS n,
                          count(*) OVER ()::int AS total FROM procedures),
    g AS (
      SELECT id, $3::float8 + (id - 1 + ${r(0)}) * ($4::float8 - $3::float8) / $5::float8 AS received,
             ${r(1)} AS ru, ${r(2)} AS rp, ${r(3)} AS rf, ${r(4)} AS ro, ${r(5)} AS rc, ${r(6)} AS rd, ${r(7)} AS ri
      FROM generate_series($1::bigint, $2::bigint) id
    ),
    o AS (SELECT *, $4::float8 - received < 30 * 86400 AND ro < 1 - ($4::float8 - received) / (30 * 86400) AS open
          FROM g),
    f AS (
      SELECT *,
        CASE WHEN open THEN CASE WHEN rf < 0.8 THEN 'WITHIN' WHEN rf < 0.9 THEN 'OVERDUE'
                                 WHEN rf < 0.97 THEN 'PAUSED_SUPPLEMENT' ELSE 'PAUSED_PAYMENT' END
             ELSE CASE WHEN rf < 0.85 THEN 'EARLY' WHEN rf < 0.965 THEN 'ON_TIME' WHEN rf < 0.985 THEN 'LATE'
                       WHEN rf < 0.995 THEN 'WITHDRAWN' ELSE 'REFUSED' END END AS fate,
        CASE WHEN rc < 0.55 THEN 'ONLINE' WHEN rc < 0.98 THEN 'IN_PERSON' ELSE 'POSTAL' END AS channel,
        CASE WHEN open THEN $4::float8 ELSE least($4::float8, received + greatest(1, ceil(rd * 30)) * 86400) END AS end_
      FROM o
    ),
    m AS (
      SELECT f.id, ${COMMUNE(`floor(f.ru * $6::int)::int`)} AS unit, p.code AS procedure, p.field, f.channel, f.fate,
             f.received, f.end_, f.received + floor(f.ri * greatest(1, f.end_ - f.received - 1)) AS inp
      FROM f JOIN procs p ON p.n = floor(f.rp * p.total)::int
    ),
    d AS (
      SELECT m.*,
        CASE WHEN fate IN ('EARLY', 'ON_TIME', 'LATE', 'WITHDRAWN', 'REFUSED') THEN inp END AS finished,
        CASE fate WHEN 'EARLY' THEN inp + 3 * 86400 WHEN 'ON_TIME' THEN inp
                  WHEN 'LATE' THEN inp - least(2 * 86400, floor((inp - received) / 2))
                  WHEN 'WITHDRAWN' THEN inp + 5 * 86400 WHEN 'REFUSED' THEN inp + 5 * 86400
                  WHEN 'OVERDUE' THEN inp WHEN 'WITHIN' THEN end_ + 5 * 86400 ELSE end_ + 10 * 86400 END AS due,
        CASE WHEN fate IN ('EARLY', 'ON_TIME', 'LATE') THEN 'APPROVED'
             WHEN fate IN ('WITHDRAWN', 'REFUSED') THEN fate END AS outcome,
        CASE WHEN fate IN ('EARLY', 'ON_TIME', 'LATE') THEN fate WHEN fate IN ('WITHDRAWN', 'REFUSED') THEN 'EARLY'
             END AS timeliness,
        CASE WHEN fate LIKE 'PAUSED_%' THEN inp END AS paused,
        CASE fate WHEN 'PAUSED_SUPPLEMENT' THEN 'SUPPLEMENT' WHEN 'PAUSED_PAYMENT' THEN 'PAYMENT' END AS pause_reason,
        CASE WHEN fate IN ('EARLY', 'ON_TIME', 'LATE') THEN 'RESULT_RETURNED' WHEN fate = 'WITHDRAWN' THEN 'WITHDRAWN'
             WHEN fate = 'REFUSED' THEN 'CLOSED' WHEN fate = 'PAUSED_SUPPLEMENT' THEN 'AWAITING_SUPPLEMENT'
             WHEN fate = 'PAUSED_PAYMENT' THEN 'AWAITING_PAYMENT' ELSE 'IN_PROGRESS' END AS state,
        CASE WHEN fate IN ('EARLY', 'ON_TIME', 'LATE') THEN 10 WHEN fate = 'WITHDRAWN' THEN 7 WHEN fate = 'REFUSED' THEN 8
             WHEN fate = 'PAUSED_SUPPLEMENT' THEN 5 WHEN fate = 'PAUSED_PAYMENT' THEN 6 ELSE 4 END AS status
      FROM m
    ),
    x AS (
      SELECT d.*, unit || '-' || to_char(to_timestamp(received) AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-' || id
               AS code,
             to_timestamp(received) AS received_at, to_timestamp(due) AS due_at, to_timestamp(finished) AS finished_at,
             to_timestamp(paused) AS paused_from,
             CASE WHEN fate IN ('LATE', 'OVERDUE') THEN to_timestamp(due) END AS overdue_at
      FROM d
    )`;
  const chunk = 1_000_000;
  await ds.transaction(async (m) => {
    await m.query(`SET LOCAL session_replication_role = replica`);
    await m.query(`SET LOCAL synchronous_commit = off`);
    for (let first = 1; first <= dossiers; first += chunk) {
      const last = Math.min(dossiers, first + chunk - 1);
      const params = [first, last, from, to, dossiers, unitCount];
      await m.query(
        `${ROWS}
         INSERT INTO dossiers (code, receiving_unit_code, procedure_code, channel, applicant_type, applicant_id_number,
                               applicant_name, national_status, received_at, received_by, updated_at, state, outcome,
                               promised_at, due_at, finished_at, timeliness, paused_since, pause_reason,
                               result_returned_at, last_event_seq)
         SELECT code, unit, procedure, channel, 'INDIVIDUAL', '000000000000', 'Hồ sơ sinh thử', status, received_at,
                '${clerk}', coalesce(finished_at, received_at), state, outcome, due_at, due_at, finished_at, timeliness,
                paused_from, pause_reason, CASE WHEN state = 'RESULT_RETURNED' THEN finished_at END, 1
         FROM x`,
        params,
      );
      await m.query(
        `${ROWS}
         INSERT INTO dossier_facts (dossier_code, unit_code, procedure_code, field, channel, received_at, due_at,
                                    overdue_at, finished_at, outcome, timeliness, paused_from, pause_reason,
                                    supplement_requests, recorded_at)
         SELECT code, unit, procedure, field, channel, received_at, due_at, overdue_at, finished_at, outcome,
                timeliness, paused_from, pause_reason, CASE WHEN pause_reason = 'SUPPLEMENT' THEN 1 ELSE 0 END, now()
         FROM x`,
        params,
      );
      progress(last);
    }
  });
  const rows = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for (const { def } of indexes) {
    await ds.query(def);
  }
  await ds.query('VACUUM ANALYZE dossiers');
  await ds.query('VACUUM ANALYZE dossier_facts');
  await ds.query('ANALYZE units');
  const indexed = (performance.now() - t1) / 1000;

  const provinces = Array.from({ length: PROVINCES }, (_, p) => provinceCode(p));
  const subtreeOf = async (province: string): Promise<string[]> =>
    (
      await ds.query<{ code: string }[]>(
        `WITH RECURSIVE t AS (SELECT code, 0 AS depth FROM units WHERE code = $1
                              UNION ALL SELECT u.code, t.depth + 1 FROM units u JOIN t ON u.parent_code = t.code)
         SELECT code FROM t ORDER BY depth, code`,
        [province],
      )
    ).map((u) => u.code);
  return { provinces, subtreeOf, all: await subtreeOf(COUNTRY), seconds: { rows, indexes: indexed } };
}
