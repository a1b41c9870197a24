/**
 * The SQL of the progress reports: how dossiers and steps are classified and counted, and how rollups are rebuilt.
 * The national progress table (by unit, procedure, field, officer, step), its drill-down, its rollups and the charges
 * of lateness count the province's administrative procedures only: a petition (the engine's own procedure) is no
 * application for a service, and is reported in its own section (`SERVICE_DOSSIER`; the satisfaction report's
 * `petitions`, the 766 `petitionOnTimeShare`).
 */
import { SERVICE_DOSSIER } from './service-dossiers.sql';

export const GROUP_COLUMN: Record<'unit' | 'procedure' | 'field', string> = {
  unit: 'unit_code',
  procedure: 'procedure_code',
  field: 'field',
};

/** A classified row refused after its due time: 766 counts it late. */
const REFUSED_LATE = `bucket = 'REFUSED' AND timeliness IS NOT DISTINCT FROM 'LATE'`;

/**
 * The rows Decision 766 counts within the deadline, but for their supplement requests (see `index766`): neither late,
 * overdue, withdrawn (or closed) nor refused after the due time.
 */
const WITHIN_766 = `bucket NOT IN ('LATE', 'OVERDUE', 'WITHDRAWN') AND NOT (${REFUSED_LATE})`;

/**
 * The count columns of the national table over classified rows (dossiers, or step instances): each row has a bucket,
 * its channel, whether it was carried over, its timeliness, whether it was extended and its supplement requests.
 */
export const COUNTS = `
    count(*) FILTER (WHERE carried)::int AS "carriedOver",
    count(*) FILTER (WHERE NOT carried AND channel = 'ONLINE')::int AS "newOnline",
    count(*) FILTER (WHERE NOT carried AND channel = 'IN_PERSON')::int AS "newInPerson",
    count(*) FILTER (WHERE NOT carried AND channel = 'POSTAL')::int AS "newPostal",
    count(*) FILTER (WHERE bucket = 'EARLY')::int AS "early",
    count(*) FILTER (WHERE bucket = 'ON_TIME')::int AS "onTime",
    count(*) FILTER (WHERE bucket = 'LATE')::int AS "late",
    count(*) FILTER (WHERE bucket = 'LATE' AND extended)::int AS "lateWithApology",
    count(*) FILTER (WHERE bucket = 'WITHIN')::int AS "withinDeadline",
    count(*) FILTER (WHERE bucket = 'OVERDUE')::int AS "overdue",
    count(*) FILTER (WHERE bucket = 'PAUSED_SUPPLEMENT')::int AS "pausedSupplement",
    count(*) FILTER (WHERE bucket = 'PAUSED_PAYMENT')::int AS "pausedPayment",
    count(*) FILTER (WHERE bucket = 'WITHDRAWN')::int AS "withdrawn",
    count(*) FILTER (WHERE bucket = 'REFUSED')::int AS "refused",
    count(*) FILTER (WHERE ${REFUSED_LATE})::int AS "refusedLate",
    count(*) FILTER (WHERE supplement_requests > 1 AND ${WITHIN_766})::int AS "repeatedSupplements",
    count(*) FILTER (WHERE late_766 AND supplement_requests <= 1
                     AND (bucket IN ('EARLY', 'ON_TIME', 'WITHIN') OR (bucket = 'REFUSED' AND NOT (${REFUSED_LATE}))))::int
      AS "lateFor766"`;

/**
 * The same table over step instances, for officers and steps (domain §8: handled, on time, late): a step held in
 * the period is carried over or new, finished in it (by its result, or ended by withdrawal or refusal), or still
 * held at its end (paused with its dossier, past its own due time, or within it). A step taken after hours has its
 * clock start the next working morning, possibly after it was completed: it counts from whichever came first.
 * A step's timeliness is its own result; no step is "late with apology" (an extension is the dossier's).
 */
export const CLASSIFY_STEPS = (key: string, name: string): string => `
  WITH classified AS (
    SELECT ${key} AS key, ${name} AS name, least(s.started_at, s.completed_at) < $1 AS carried, f.channel,
      f.supplement_requests, s.result AS timeliness, false AS extended, false AS late_766,
      CASE
        WHEN s.completed_at < $2 THEN
          CASE WHEN s.exit IN ('WITHDRAWN', 'CLOSED') THEN 'WITHDRAWN' WHEN s.exit = 'REFUSED' THEN 'REFUSED'
               ELSE coalesce(s.result, 'ON_TIME') END
        WHEN f.paused_from < least($2, now()) AND (f.paused_to IS NULL OR f.paused_to >= least($2, now()))
          AND (f.finished_at IS NULL OR f.finished_at >= least($2, now()))
          THEN 'PAUSED_' || f.pause_reason
        WHEN s.due_at < least($2, now()) THEN 'OVERDUE'
        ELSE 'WITHIN'
      END AS bucket
    FROM dossier_steps s
    JOIN dossier_facts f ON f.dossier_code = s.dossier_code
    LEFT JOIN officers o ON o.id = s.holder_id
    WHERE s.counted AND least(s.started_at, s.completed_at) < $2 AND (s.completed_at IS NULL OR s.completed_at >= $1)
      AND ($3::text[] IS NULL OR s.unit_code IN (SELECT unnest($3::text[]))) AND ${SERVICE_DOSSIER('f')}
  )
  SELECT key, max(name) AS name, ${COUNTS} FROM classified GROUP BY key ORDER BY key`;

/**
 * Where a dossier stands at the end of the period [$1, $2): finished in it (by outcome and timeliness), or unfinished
 * (paused, overdue, within the deadline). One expression for the table and for the dossiers behind its figures.
 * Timeliness is judged against the promised return time (the transition writers store it so): an extended dossier
 * finished after its original due time is late, with apology.
 */
export const DOSSIER_BUCKET = `
      CASE
        WHEN finished_at < $2 THEN
          CASE outcome WHEN 'APPROVED' THEN timeliness WHEN 'REFUSED' THEN 'REFUSED' ELSE 'WITHDRAWN' END
        WHEN paused_from < least($2, now()) AND (paused_to IS NULL OR paused_to >= least($2, now()))
          THEN 'PAUSED_' || pause_reason
        WHEN overdue_at < least($2, now()) OR overdue_spans @> least($2, now()) THEN 'OVERDUE'
        ELSE 'WITHIN'
      END`;

/**
 * After a restart, past the due time Decision 766 judges by (the first appointment plus the waits) when finished, or
 * at the end of the period [$1, $2) when not: 766 counts it late even when the new appointment was kept.
 */
export const LATE_766 = `coalesce(index_due_at < least(finished_at, $2, now()), false)`;

/**
 * The dossier facts received in the period [$1, $2): by unit and receipt for a province (the B-tree on
 * `(unit_code, received_at)`), by receipt alone for the whole country (the B-tree on `received_at`), so that a
 * quarter reads the quarter's rows, never the whole table.
 */
const RECEIVED_IN_PERIOD = `received_at >= $1 AND received_at < $2`;

/**
 * The dossier facts received before the period [$1, $2) and still open at its start: the GiST index on the span,
 * asked for the one instant. A span holding $1 was received at or before it, so "received before" is "not received
 * at $1": written so, it is no range on `received_at` for the planner to AND with the span index (which read the
 * whole history before the period through the B-tree on `received_at`).
 */
const OPEN_AT_START = `tstzrange(received_at, finished_at, '[]') @> $1::timestamptz AND received_at <> $1`;

/** Above this many units asked for, CLASSIFY checks the units of the dossiers open at the period's start row by row. */
export const MANY_UNITS = 2000;

/**
 * The dossier facts whose span [received, finished] meets the period [$1, $2), as two disjoint parts each with its
 * own index: those received in the period, and those received before it and still open at its start. One GiST
 * search for spans overlapping the whole period read every dossier of the quarter in the country before the unit
 * filter, and cost more than the counting itself at 10M dossiers.
 */
export const IN_PERIOD = `((${RECEIVED_IN_PERIOD}) OR (${OPEN_AT_START}))`;

/**
 * Where each dossier of a period stands, classified once: finished in the period (by outcome and timeliness), or
 * unfinished at its end (paused, overdue, within the deadline). The period's dossiers are those whose span
 * [received, finished] meets it, found through indexes, never by reading the whole table.
 *
 * The two parts of IN_PERIOD are a UNION ALL, not an OR: each part is scanned through its own index (a parallel
 * index scan of the quarter's receipts for the country), and the classification (`bucket`, `carried`, `late_766`) is
 * computed once per row in the scan of its part, the counts' FILTERs reading the columns. Over one scan (the CTE
 * inlined), every FILTER evaluated the whole classification again (about 12 times a row), and an OFFSET 0 barrier
 * computed it once but kept the counting out of the parallel workers; an append of the two parts does both.
 * `unitCount`: how many units $3 names (null: all), see MANY_UNITS.
 */
export const CLASSIFY = (key: string, unitCount: number | null): string => {
  const part = (where: string, unit: string): string => `
    SELECT ${key} AS key, received_at < $1 AS carried, channel, supplement_requests, timeliness, extended,
      ${DOSSIER_BUCKET} AS bucket, ${LATE_766} AS late_766
    FROM dossier_facts
    WHERE ${where}
      AND ($3::text[] IS NULL OR ${unit} = ANY($3::text[])) AND ${SERVICE_DOSSIER('dossier_facts')}`;
  // Asked for thousands of units (the whole country), the dossiers open at the period's start are found through the
  // span index alone, their units checked row by row (`unit_code || ''` is no condition on the B-tree of
  // `(unit_code, received_at)`): the planner ANDed the span's bitmap with that index searched for every unit, which
  // read all its 10M entries (2.3 s at 10M). For a province that AND is what keeps its rows few, so it stays.
  const carriedUnit = (unitCount ?? 0) > MANY_UNITS ? `(unit_code || '')` : 'unit_code';
  return `
  WITH classified AS (${part(RECEIVED_IN_PERIOD, 'unit_code')}
    UNION ALL${part(OPEN_AT_START, carriedUnit)}
  )
  SELECT key, ${COUNTS}
  FROM classified GROUP BY key ORDER BY key`;
};

/** The columns of a rollup row, in the order REBUILD and the carrying forward of unchanged units write them. */
export const ROLLUP_COLUMNS = `unit_code, day, new_in_person, new_online, new_postal, early, on_time, late, withdrawn, refused,
  open_end, overdue_end, paused_supplement_end, paused_payment_end, late_with_apology, refused_late, repeated_done,
  repeated_open_end`;

/**
 * Rebuilds the dense daily rollups of some units (all when null) from their facts, up to the day $3: per day the flows
 * accumulated since the unit's first dossier, and the stocks of unfinished dossiers at the day's end. Beside the
 * table's columns they keep what the 766 index needs: refusals after the due time, and the dossiers supplemented more
 * than once that 766 would otherwise count within the deadline (finished so, accumulated; open and not overdue, a stock).
 */
export const REBUILD = `
  WITH f AS (SELECT * FROM dossier_facts
             WHERE ($1::text[] IS NULL OR unit_code = ANY($1)) AND ${SERVICE_DOSSIER('dossier_facts')}),
  flows AS (
    SELECT unit_code, (received_at AT TIME ZONE $2)::date AS day,
      count(*) FILTER (WHERE channel = 'IN_PERSON') AS new_in_person,
      count(*) FILTER (WHERE channel = 'ONLINE') AS new_online,
      count(*) FILTER (WHERE channel = 'POSTAL') AS new_postal,
      0 AS early, 0 AS on_time, 0 AS late, 0 AS late_with_apology, 0 AS withdrawn, 0 AS refused, 0 AS refused_late,
      0 AS repeated_done
    FROM f GROUP BY 1, 2
    UNION ALL
    SELECT unit_code, (finished_at AT TIME ZONE $2)::date, 0, 0, 0,
      count(*) FILTER (WHERE outcome = 'APPROVED' AND timeliness = 'EARLY'),
      count(*) FILTER (WHERE outcome = 'APPROVED' AND timeliness = 'ON_TIME'),
      count(*) FILTER (WHERE outcome = 'APPROVED' AND timeliness = 'LATE'),
      count(*) FILTER (WHERE outcome = 'APPROVED' AND timeliness = 'LATE' AND extended),
      count(*) FILTER (WHERE outcome NOT IN ('APPROVED', 'REFUSED')),
      count(*) FILTER (WHERE outcome = 'REFUSED'),
      count(*) FILTER (WHERE outcome = 'REFUSED' AND timeliness IS NOT DISTINCT FROM 'LATE'),
      count(*) FILTER (WHERE supplement_requests > 1 AND (
        (outcome = 'APPROVED' AND timeliness IN ('EARLY', 'ON_TIME'))
        OR (outcome = 'REFUSED' AND timeliness IS DISTINCT FROM 'LATE')))
    FROM f WHERE finished_at IS NOT NULL GROUP BY 1, 2
  ),
  -- Each dossier changes class (open within deadline, overdue, paused, finished) only at its own instants.
  ev AS (
    SELECT f.dossier_code, f.unit_code, e.at, f.supplement_requests > 1 AS repeated,
      CASE WHEN f.finished_at <= e.at OR e.at < f.received_at THEN NULL
           WHEN f.paused_from <= e.at AND (f.paused_to IS NULL OR f.paused_to > e.at) THEN 'PAUSED_' || f.pause_reason
           WHEN f.overdue_at <= e.at OR f.overdue_spans @> e.at THEN 'OVERDUE'
           ELSE 'OPEN' END AS cls
    FROM f CROSS JOIN LATERAL (
      SELECT v FROM (VALUES (f.received_at), (f.overdue_at), (f.paused_from), (f.paused_to), (f.finished_at)) x(v)
      UNION ALL SELECT lower(s) FROM unnest(f.overdue_spans) s
      UNION ALL SELECT upper(s) FROM unnest(f.overdue_spans) s) e(at)
    WHERE e.at IS NOT NULL
  ),
  seq AS (
    SELECT unit_code, at, cls, repeated, lag(cls) OVER (PARTITION BY dossier_code ORDER BY at) AS prev FROM ev
  ),
  deltas AS (
    SELECT unit_code, (at AT TIME ZONE $2)::date AS day,
      sum((cls IS NOT NULL)::int - (prev IS NOT NULL)::int) AS d_open,
      sum((cls IS NOT DISTINCT FROM 'OVERDUE')::int - (prev IS NOT DISTINCT FROM 'OVERDUE')::int) AS d_overdue,
      sum((cls IS NOT DISTINCT FROM 'PAUSED_SUPPLEMENT')::int - (prev IS NOT DISTINCT FROM 'PAUSED_SUPPLEMENT')::int) AS d_ps,
      sum((cls IS NOT DISTINCT FROM 'PAUSED_PAYMENT')::int - (prev IS NOT DISTINCT FROM 'PAUSED_PAYMENT')::int) AS d_pp,
      sum(repeated::int * ((cls IS NOT NULL AND cls <> 'OVERDUE')::int - (prev IS NOT NULL AND prev <> 'OVERDUE')::int))
        AS d_rep
    FROM seq WHERE cls IS DISTINCT FROM prev GROUP BY 1, 2
  ),
  per_day AS (
    SELECT unit_code, day, sum(new_in_person) AS new_in_person, sum(new_online) AS new_online,
      sum(new_postal) AS new_postal, sum(early) AS early, sum(on_time) AS on_time, sum(late) AS late,
      sum(late_with_apology) AS late_with_apology, sum(withdrawn) AS withdrawn, sum(refused) AS refused,
      sum(refused_late) AS refused_late, sum(repeated_done) AS repeated_done,
      sum(d_open) AS d_open, sum(d_overdue) AS d_overdue, sum(d_ps) AS d_ps, sum(d_pp) AS d_pp, sum(d_rep) AS d_rep
    FROM (
      SELECT unit_code, day, new_in_person, new_online, new_postal, early, on_time, late, late_with_apology, withdrawn,
             refused, refused_late, repeated_done, 0 AS d_open, 0 AS d_overdue, 0 AS d_ps, 0 AS d_pp, 0 AS d_rep
      FROM flows
      UNION ALL
      SELECT unit_code, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, d_open, d_overdue, d_ps, d_pp, d_rep FROM deltas
    ) x GROUP BY unit_code, day
  ),
  dense AS (
    SELECT b.unit_code, d::date AS day
    FROM (SELECT unit_code, min(day) AS first FROM per_day GROUP BY unit_code) b
    CROSS JOIN LATERAL generate_series(b.first, greatest($3::date, b.first), interval '1 day') d
  )
  INSERT INTO report_rollups (${ROLLUP_COLUMNS})
  SELECT dense.unit_code, dense.day,
    sum(coalesce(p.new_in_person, 0)) OVER w, sum(coalesce(p.new_online, 0)) OVER w,
    sum(coalesce(p.new_postal, 0)) OVER w, sum(coalesce(p.early, 0)) OVER w, sum(coalesce(p.on_time, 0)) OVER w,
    sum(coalesce(p.late, 0)) OVER w, sum(coalesce(p.withdrawn, 0)) OVER w, sum(coalesce(p.refused, 0)) OVER w,
    sum(coalesce(p.d_open, 0)) OVER w, sum(coalesce(p.d_overdue, 0)) OVER w, sum(coalesce(p.d_ps, 0)) OVER w,
    sum(coalesce(p.d_pp, 0)) OVER w, sum(coalesce(p.late_with_apology, 0)) OVER w,
    sum(coalesce(p.refused_late, 0)) OVER w, sum(coalesce(p.repeated_done, 0)) OVER w,
    sum(coalesce(p.d_rep, 0)) OVER w
  FROM dense LEFT JOIN per_day p ON p.unit_code = dense.unit_code AND p.day = dense.day
  WINDOW w AS (PARTITION BY dense.unit_code ORDER BY dense.day)
  -- stored day by day, so the rows a report reads (two days, every unit) sit on a few pages
  ORDER BY dense.day, dense.unit_code`;

/**
 * The subtree rollups of the units with sub-units among $1 and their ancestors (all of them when $1 is null): per day,
 * the sums of the rollups of every unit of the subtree (the unit included), over the tree as it is now.
 */
export const REBUILD_SUBTREES = `
  WITH RECURSIVE closure AS (
    SELECT p.code AS ancestor, p.code AS unit FROM units p WHERE EXISTS (SELECT 1 FROM units c WHERE c.parent_code = p.code)
    UNION ALL
    SELECT c.ancestor, u.code FROM closure c JOIN units u ON u.parent_code = c.unit
  ),
  targets AS (SELECT DISTINCT ancestor FROM closure WHERE $1::text[] IS NULL OR unit = ANY($1))
  INSERT INTO report_subtree_rollups (${ROLLUP_COLUMNS})
  SELECT c.ancestor, r.day, sum(r.new_in_person), sum(r.new_online), sum(r.new_postal), sum(r.early), sum(r.on_time),
    sum(r.late), sum(r.withdrawn), sum(r.refused), sum(r.open_end), sum(r.overdue_end), sum(r.paused_supplement_end),
    sum(r.paused_payment_end), sum(r.late_with_apology), sum(r.refused_late), sum(r.repeated_done),
    sum(r.repeated_open_end)
  FROM closure c JOIN report_rollups r ON r.unit_code = c.unit
  WHERE c.ancestor IN (SELECT ancestor FROM targets)
  GROUP BY r.day, c.ancestor
  ORDER BY r.day, c.ancestor`;

/** The units whose subtree rollups REBUILD_SUBTREES rewrites for the changed units $1. */
export const SUBTREE_TARGETS = `
  WITH RECURSIVE up AS (
    SELECT code FROM units WHERE code = ANY($1)
    UNION
    SELECT u.parent_code FROM units u JOIN up ON u.code = up.code WHERE u.parent_code IS NOT NULL
  )
  SELECT code FROM up`;

/** A digest of the units' tree: the subtree rollups summed over another tree are rebuilt. */
export const TREE_DIGEST = `SELECT md5(string_agg(code || '>' || coalesce(parent_code, ''), ',' ORDER BY code)) AS tree
  FROM units`;

/**
 * The progress counts from the rollups: the own rows of the units $1 and the subtree rows of the units $4 (each the
 * sum over its whole subtree). A period's flows are the difference of the accumulated flows at its last day and the
 * day before it; carried over and in progress are the stocks at those two days' ends. Days after the last refresh
 * read as the last refreshed day. The repeated supplements are those finished within the deadline in the period (a
 * flow) and those open and not overdue at its end (a stock). Two rows per unit asked for, by primary key.
 */
export const FROM_ROLLUPS = `
  WITH days AS (SELECT $2::date - 1 AS a, least($3::date, (SELECT max(day) FROM report_rollups)) AS b),
  a AS (
    SELECT * FROM report_rollups WHERE day = (SELECT a FROM days) AND unit_code IN (SELECT unnest($1::text[]))
    UNION ALL
    SELECT * FROM report_subtree_rollups WHERE day = (SELECT a FROM days) AND unit_code IN (SELECT unnest($4::text[]))
  ),
  b AS (
    SELECT * FROM report_rollups WHERE day = (SELECT b FROM days) AND unit_code IN (SELECT unnest($1::text[]))
    UNION ALL
    SELECT * FROM report_subtree_rollups WHERE day = (SELECT b FROM days) AND unit_code IN (SELECT unnest($4::text[]))
  )
  SELECT b.unit_code AS key, coalesce(a.open_end, 0) AS carried,
    b.new_in_person - coalesce(a.new_in_person, 0) AS ip, b.new_online - coalesce(a.new_online, 0) AS onl,
    b.new_postal - coalesce(a.new_postal, 0) AS po, b.early - coalesce(a.early, 0) AS early,
    b.on_time - coalesce(a.on_time, 0) AS on_time, b.late - coalesce(a.late, 0) AS late,
    b.withdrawn - coalesce(a.withdrawn, 0) AS withdrawn, b.refused - coalesce(a.refused, 0) AS refused,
    b.late_with_apology - coalesce(a.late_with_apology, 0) AS late_with_apology,
    b.refused_late - coalesce(a.refused_late, 0) AS refused_late,
    b.repeated_done - coalesce(a.repeated_done, 0) + b.repeated_open_end AS repeated,
    b.open_end, b.overdue_end, b.paused_supplement_end, b.paused_payment_end
  FROM b LEFT JOIN a ON a.unit_code = b.unit_code`;

/** The figures of the progress table a dossier list can be drawn behind (the count columns, and their sums). */
export const PROGRESS_FIGURES = [
  'total',
  'carriedOver',
  'new',
  'newOnline',
  'newInPerson',
  'newPostal',
  'resolved',
  'early',
  'onTime',
  'late',
  'lateWithApology',
  'inProgress',
  'withinDeadline',
  'overdue',
  'paused',
  'pausedSupplement',
  'pausedPayment',
  'withdrawn',
  'refused',
] as const;
export type ProgressFigure = (typeof PROGRESS_FIGURES)[number];

/** Which classified rows (see CLASSIFY) a figure counts. */
export const FIGURE_FILTER: Record<ProgressFigure, string> = {
  total: 'true',
  carriedOver: 'carried',
  new: 'NOT carried',
  newOnline: `NOT carried AND channel = 'ONLINE'`,
  newInPerson: `NOT carried AND channel = 'IN_PERSON'`,
  newPostal: `NOT carried AND channel = 'POSTAL'`,
  resolved: `bucket IN ('EARLY', 'ON_TIME', 'LATE')`,
  early: `bucket = 'EARLY'`,
  onTime: `bucket = 'ON_TIME'`,
  late: `bucket = 'LATE'`,
  lateWithApology: `bucket = 'LATE' AND extended`,
  inProgress: `bucket IN ('WITHIN', 'OVERDUE')`,
  withinDeadline: `bucket = 'WITHIN'`,
  overdue: `bucket = 'OVERDUE'`,
  paused: `bucket IN ('PAUSED_SUPPLEMENT', 'PAUSED_PAYMENT')`,
  pausedSupplement: `bucket = 'PAUSED_SUPPLEMENT'`,
  pausedPayment: `bucket = 'PAUSED_PAYMENT'`,
  withdrawn: `bucket = 'WITHDRAWN'`,
  refused: `bucket = 'REFUSED'`,
};

/** The classification of CLASSIFY, one row per dossier (the drill-down of a figure). */
export const CLASSIFY_DOSSIERS = (figure: ProgressFigure): string => `
  WITH classified AS (
    SELECT dossier_code, unit_code, procedure_code, channel, received_at, due_at, finished_at, extended,
      received_at < $1 AS carried, ${DOSSIER_BUCKET} AS bucket
    FROM dossier_facts
    WHERE ${IN_PERIOD}
      AND unit_code = ANY($3::text[]) AND ${SERVICE_DOSSIER('dossier_facts')}
  ),
  chosen AS (SELECT * FROM classified WHERE ${FIGURE_FILTER[figure]})
  SELECT c.dossier_code AS code, c.unit_code AS "unitCode", c.procedure_code AS "procedureCode",
    coalesce(p.name, c.procedure_code) AS "procedureName", c.channel, c.received_at AS "receivedAt",
    c.due_at AS "dueAt", c.finished_at AS "finishedAt", c.bucket, o.full_name AS "holderName",
    (SELECT count(*) FROM chosen)::int AS total
  FROM (SELECT * FROM chosen ORDER BY received_at DESC, dossier_code LIMIT $4 OFFSET $5) c
  LEFT JOIN procedures p ON p.code = c.procedure_code
  LEFT JOIN dossiers d ON d.code = c.dossier_code
  LEFT JOIN officers o ON o.id = d.holder_id
  ORDER BY c.received_at DESC, c.dossier_code`;

/**
 * The charges of lateness to the steps of units $1 over [$2, $3) (domain §8). A step that overran its budget: completed
 * after its due time in the period, or still held past it in a dossier in processing. A late dossier none of whose
 * counted steps overran (a step sent back starts a fresh budget): charged to the step that held it at its due time —
 * the promised one for an extended dossier (what it was judged late against), or the instant it became overdue for
 * one still in processing — with the dossier's due time and finish.
 */
export const LATE_STEPS = `
  WITH late_dossiers AS (
    SELECT dossier_code, coalesce(original_due_at, due_at) AS due_at, finished_at
    FROM dossier_facts
    WHERE tstzrange(received_at, finished_at, '[]') && tstzrange($2, $3, '[)')
      AND finished_at >= $2 AND finished_at < $3 AND timeliness = 'LATE' AND outcome IN ('APPROVED', 'REFUSED')
      AND ${SERVICE_DOSSIER('dossier_facts')}
    UNION ALL
    SELECT f.dossier_code, f.overdue_at, NULL
    FROM dossier_facts f JOIN dossiers d ON d.code = f.dossier_code
    WHERE tstzrange(f.received_at, f.finished_at, '[]') && tstzrange($2, $3, '[)')
      AND f.finished_at IS NULL AND f.overdue_at < least($3, now()) AND d.state = 'IN_PROGRESS'
      AND ${SERVICE_DOSSIER('f')}
  )
  SELECT 'OVERRAN' AS kind, s.dossier_code AS "dossierCode", s.unit_code AS "unitCode", s.code AS "stepCode",
         s.name AS "stepName", s.holder_id AS "holderId", coalesce(s.holder_name, o.full_name) AS "holderName",
         s.due_at AS "dueAt", s.completed_at AS "completedAt"
  FROM dossier_steps s LEFT JOIN officers o ON o.id = s.holder_id
  WHERE s.counted AND s.due_at IS NOT NULL AND s.unit_code IN (SELECT unnest($1::text[]))
    AND EXISTS (SELECT 1 FROM dossiers d WHERE d.code = s.dossier_code AND ${SERVICE_DOSSIER('d')})
    AND ((s.completed_at >= $2 AND s.completed_at < $3 AND s.completed_at > s.due_at)
         OR (s.completed_at IS NULL AND s.due_at < least($3, now())
             AND EXISTS (SELECT 1 FROM dossiers d WHERE d.code = s.dossier_code AND d.state = 'IN_PROGRESS')))
  UNION ALL
  SELECT 'HELD_AT_DUE', l.dossier_code, s.unit_code, s.code, s.name, s.holder_id, coalesce(s.holder_name, o.full_name),
         l.due_at, l.finished_at
  FROM late_dossiers l
  CROSS JOIN LATERAL (
    SELECT * FROM dossier_steps s
    WHERE s.dossier_code = l.dossier_code AND s.started_at <= l.due_at
      AND (s.completed_at IS NULL OR s.completed_at > l.due_at)
    ORDER BY s.no DESC LIMIT 1
  ) s
  LEFT JOIN officers o ON o.id = s.holder_id
  WHERE s.unit_code IN (SELECT unnest($1::text[]))
    AND NOT EXISTS (
      SELECT 1 FROM dossier_steps x
      WHERE x.dossier_code = l.dossier_code AND x.counted AND x.due_at IS NOT NULL
        AND (x.completed_at > x.due_at OR (x.completed_at IS NULL AND x.due_at < least($3, now()))))`;
