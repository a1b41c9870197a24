import { type DataSource } from 'typeorm';
import { type ProgressFlows } from '../../../domain/src';

export const PROGRESS_GROUPS = ['unit', 'procedure', 'field', 'officer', 'step'] as const;
export type ProgressGroup = (typeof PROGRESS_GROUPS)[number];

export interface ProgressQuery {
  /** Start (inclusive) and end (exclusive) of the period, as instants. */
  from: Date;
  to: Date;
  /** Receiving units to count (null: all). */
  units: string[] | null;
  groupBy: ProgressGroup;
}

export interface ProgressRow {
  key: string;
  /** The group's name when the store knows it (officers, steps). */
  name?: string;
  flows: ProgressFlows;
}

const GROUP_COLUMN: Record<'unit' | 'procedure' | 'field', string> = {
  unit: 'unit_code',
  procedure: 'procedure_code',
  field: 'field',
};

/** The count columns of the national table over classified rows (dossiers, or step instances). */
const COUNTS = `
    count(*) FILTER (WHERE carried)::int AS "carriedOver",
    count(*) FILTER (WHERE NOT carried AND channel = 'ONLINE')::int AS "newOnline",
    count(*) FILTER (WHERE NOT carried AND channel = 'IN_PERSON')::int AS "newInPerson",
    count(*) FILTER (WHERE NOT carried AND channel = 'POSTAL')::int AS "newPostal",
    count(*) FILTER (WHERE bucket = 'EARLY')::int AS "early",
    count(*) FILTER (WHERE bucket = 'ON_TIME')::int AS "onTime",
    count(*) FILTER (WHERE bucket = 'LATE')::int AS "late",
    count(*) FILTER (WHERE bucket = 'WITHIN')::int AS "withinDeadline",
    count(*) FILTER (WHERE bucket = 'OVERDUE')::int AS "overdue",
    count(*) FILTER (WHERE bucket = 'PAUSED_SUPPLEMENT')::int AS "pausedSupplement",
    count(*) FILTER (WHERE bucket = 'PAUSED_PAYMENT')::int AS "pausedPayment",
    count(*) FILTER (WHERE bucket = 'WITHDRAWN')::int AS "withdrawn",
    count(*) FILTER (WHERE bucket = 'REFUSED')::int AS "refused",
    count(*) FILTER (WHERE supplement_requests > 1 AND bucket NOT IN ('LATE', 'OVERDUE'))::int AS "repeatedSupplements"`;

/**
 * The same table over step instances, for officers and steps (domain §8: handled, on time, late): a step held in
 * the period is carried over or new, finished in it (by its result, or ended by withdrawal or refusal), or still
 * held at its end (paused with its dossier, past its own due time, or within it). A step taken after hours has its
 * clock start the next working morning, possibly after it was completed: it counts from whichever came first.
 */
const CLASSIFY_STEPS = (key: string, name: string): string => `
  WITH classified AS (
    SELECT ${key} AS key, ${name} AS name, least(s.started_at, s.completed_at) < $1 AS carried, f.channel,
      f.supplement_requests,
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
      AND ($3::text[] IS NULL OR s.unit_code IN (SELECT unnest($3::text[])))
  )
  SELECT key, max(name) AS name, ${COUNTS} FROM classified GROUP BY key ORDER BY key`;

/**
 * Where each dossier of a period stands, classified once: finished in the period (by outcome and timeliness), or
 * unfinished at its end (paused, overdue, within the deadline). The period's dossiers are those whose span
 * [received, finished] meets it, found through one GiST index on that span, never by reading the whole table.
 */
const CLASSIFY = (key: string): string => `
  WITH classified AS (
    SELECT ${key} AS key, received_at < $1 AS carried, channel, supplement_requests,
      CASE
        WHEN finished_at < $2 THEN
          CASE outcome WHEN 'APPROVED' THEN timeliness WHEN 'REFUSED' THEN 'REFUSED' ELSE 'WITHDRAWN' END
        WHEN paused_from < least($2, now()) AND (paused_to IS NULL OR paused_to >= least($2, now()))
          THEN 'PAUSED_' || pause_reason
        WHEN overdue_at < least($2, now()) THEN 'OVERDUE'
        ELSE 'WITHIN'
      END AS bucket
    FROM dossier_facts
    WHERE tstzrange(received_at, finished_at, '[]') && tstzrange($1, $2, '[)')
      AND ($3::text[] IS NULL OR unit_code IN (SELECT unnest($3::text[])))
  )
  SELECT key, ${COUNTS}
  FROM classified GROUP BY key ORDER BY key`;

/** Rebuilds the dense daily rollups of some units (all when null) from their facts, up to the day $3. */
const REBUILD = `
  WITH f AS (SELECT * FROM dossier_facts WHERE $1::text[] IS NULL OR unit_code = ANY($1)),
  flows AS (
    SELECT unit_code, (received_at AT TIME ZONE $2)::date AS day,
      count(*) FILTER (WHERE channel = 'IN_PERSON') AS new_in_person,
      count(*) FILTER (WHERE channel = 'ONLINE') AS new_online,
      count(*) FILTER (WHERE channel = 'POSTAL') AS new_postal,
      0 AS early, 0 AS on_time, 0 AS late, 0 AS withdrawn, 0 AS refused
    FROM f GROUP BY 1, 2
    UNION ALL
    SELECT unit_code, (finished_at AT TIME ZONE $2)::date, 0, 0, 0,
      count(*) FILTER (WHERE outcome = 'APPROVED' AND timeliness = 'EARLY'),
      count(*) FILTER (WHERE outcome = 'APPROVED' AND timeliness = 'ON_TIME'),
      count(*) FILTER (WHERE outcome = 'APPROVED' AND timeliness = 'LATE'),
      count(*) FILTER (WHERE outcome NOT IN ('APPROVED', 'REFUSED')),
      count(*) FILTER (WHERE outcome = 'REFUSED')
    FROM f WHERE finished_at IS NOT NULL GROUP BY 1, 2
  ),
  -- Each dossier changes class (open within deadline, overdue, paused, finished) only at its own instants.
  ev AS (
    SELECT f.dossier_code, f.unit_code, e.at,
      CASE WHEN f.finished_at <= e.at OR e.at < f.received_at THEN NULL
           WHEN f.paused_from <= e.at AND (f.paused_to IS NULL OR f.paused_to > e.at) THEN 'PAUSED_' || f.pause_reason
           WHEN f.overdue_at <= e.at THEN 'OVERDUE'
           ELSE 'OPEN' END AS cls
    FROM f CROSS JOIN LATERAL (VALUES (f.received_at), (f.overdue_at), (f.paused_from), (f.paused_to), (f.finished_at)) e(at)
    WHERE e.at IS NOT NULL
  ),
  seq AS (SELECT unit_code, at, cls, lag(cls) OVER (PARTITION BY dossier_code ORDER BY at) AS prev FROM ev),
  deltas AS (
    SELECT unit_code, (at AT TIME ZONE $2)::date AS day,
      sum((cls IS NOT NULL)::int - (prev IS NOT NULL)::int) AS d_open,
      sum((cls IS NOT DISTINCT FROM 'OVERDUE')::int - (prev IS NOT DISTINCT FROM 'OVERDUE')::int) AS d_overdue,
      sum((cls IS NOT DISTINCT FROM 'PAUSED_SUPPLEMENT')::int - (prev IS NOT DISTINCT FROM 'PAUSED_SUPPLEMENT')::int) AS d_ps,
      sum((cls IS NOT DISTINCT FROM 'PAUSED_PAYMENT')::int - (prev IS NOT DISTINCT FROM 'PAUSED_PAYMENT')::int) AS d_pp
    FROM seq WHERE cls IS DISTINCT FROM prev GROUP BY 1, 2
  ),
  per_day AS (
    SELECT unit_code, day, sum(new_in_person) AS new_in_person, sum(new_online) AS new_online,
      sum(new_postal) AS new_postal, sum(early) AS early, sum(on_time) AS on_time, sum(late) AS late,
      sum(withdrawn) AS withdrawn, sum(refused) AS refused,
      sum(d_open) AS d_open, sum(d_overdue) AS d_overdue, sum(d_ps) AS d_ps, sum(d_pp) AS d_pp
    FROM (
      SELECT unit_code, day, new_in_person, new_online, new_postal, early, on_time, late, withdrawn, refused,
             0 AS d_open, 0 AS d_overdue, 0 AS d_ps, 0 AS d_pp FROM flows
      UNION ALL
      SELECT unit_code, day, 0, 0, 0, 0, 0, 0, 0, 0, d_open, d_overdue, d_ps, d_pp FROM deltas
    ) x GROUP BY unit_code, day
  ),
  dense AS (
    SELECT b.unit_code, d::date AS day
    FROM (SELECT unit_code, min(day) AS first FROM per_day GROUP BY unit_code) b
    CROSS JOIN LATERAL generate_series(b.first, greatest($3::date, b.first), interval '1 day') d
  )
  INSERT INTO report_rollups (unit_code, day, new_in_person, new_online, new_postal, early, on_time, late,
                              withdrawn, refused, open_end, overdue_end, paused_supplement_end, paused_payment_end)
  SELECT dense.unit_code, dense.day,
    sum(coalesce(p.new_in_person, 0)) OVER w, sum(coalesce(p.new_online, 0)) OVER w,
    sum(coalesce(p.new_postal, 0)) OVER w, sum(coalesce(p.early, 0)) OVER w, sum(coalesce(p.on_time, 0)) OVER w,
    sum(coalesce(p.late, 0)) OVER w, sum(coalesce(p.withdrawn, 0)) OVER w, sum(coalesce(p.refused, 0)) OVER w,
    sum(coalesce(p.d_open, 0)) OVER w, sum(coalesce(p.d_overdue, 0)) OVER w, sum(coalesce(p.d_ps, 0)) OVER w,
    sum(coalesce(p.d_pp, 0)) OVER w
  FROM dense LEFT JOIN per_day p ON p.unit_code = dense.unit_code AND p.day = dense.day
  WINDOW w AS (PARTITION BY dense.unit_code ORDER BY dense.day)
  -- stored day by day, so the rows a report reads (two days, every unit) sit on a few pages
  ORDER BY dense.day, dense.unit_code`;

/**
 * The progress counts per unit from the rollups: a period's flows are the difference of the accumulated flows at
 * its last day and the day before it; carried over and in progress are the stocks at those two days' ends. Days
 * after the last refresh read as the last refreshed day.
 */
const FROM_ROLLUPS = `
  WITH scope AS (SELECT unnest($1::text[]) AS code),
  a AS (SELECT * FROM report_rollups WHERE day = $2::date - 1 AND unit_code IN (SELECT code FROM scope)),
  b AS (SELECT * FROM report_rollups
        WHERE day = least($3::date, (SELECT max(day) FROM report_rollups)) AND unit_code IN (SELECT code FROM scope))
  SELECT b.unit_code AS key, coalesce(a.open_end, 0) AS carried,
    b.new_in_person - coalesce(a.new_in_person, 0) AS ip, b.new_online - coalesce(a.new_online, 0) AS onl,
    b.new_postal - coalesce(a.new_postal, 0) AS po, b.early - coalesce(a.early, 0) AS early,
    b.on_time - coalesce(a.on_time, 0) AS on_time, b.late - coalesce(a.late, 0) AS late,
    b.withdrawn - coalesce(a.withdrawn, 0) AS withdrawn, b.refused - coalesce(a.refused, 0) AS refused,
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
const FIGURE_FILTER: Record<ProgressFigure, string> = {
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
  inProgress: `bucket IN ('WITHIN', 'OVERDUE')`,
  withinDeadline: `bucket = 'WITHIN'`,
  overdue: `bucket = 'OVERDUE'`,
  paused: `bucket IN ('PAUSED_SUPPLEMENT', 'PAUSED_PAYMENT')`,
  pausedSupplement: `bucket = 'PAUSED_SUPPLEMENT'`,
  pausedPayment: `bucket = 'PAUSED_PAYMENT'`,
  withdrawn: `bucket = 'WITHDRAWN'`,
  refused: `bucket = 'REFUSED'`,
};

export interface ProgressDossiersQuery {
  from: Date;
  to: Date;
  units: string[];
  figure: ProgressFigure;
  limit: number;
  offset: number;
}

/** One dossier behind a figure of the progress table, classified as the table classifies it. */
export interface ProgressDossierRow {
  code: string;
  unitCode: string;
  procedureCode: string;
  procedureName: string;
  channel: string;
  receivedAt: Date;
  dueAt: Date | null;
  finishedAt: Date | null;
  /** EARLY, ON_TIME, LATE, WITHIN, OVERDUE, PAUSED_SUPPLEMENT, PAUSED_PAYMENT, WITHDRAWN or REFUSED. */
  bucket: string;
  holderName: string | null;
}

/** The classification of CLASSIFY, one row per dossier (the drill-down of a figure). */
const CLASSIFY_DOSSIERS = (figure: ProgressFigure): string => `
  WITH classified AS (
    SELECT dossier_code, unit_code, procedure_code, channel, received_at, due_at, finished_at,
      received_at < $1 AS carried,
      CASE
        WHEN finished_at < $2 THEN
          CASE outcome WHEN 'APPROVED' THEN timeliness WHEN 'REFUSED' THEN 'REFUSED' ELSE 'WITHDRAWN' END
        WHEN paused_from < least($2, now()) AND (paused_to IS NULL OR paused_to >= least($2, now()))
          THEN 'PAUSED_' || pause_reason
        WHEN overdue_at < least($2, now()) THEN 'OVERDUE'
        ELSE 'WITHIN'
      END AS bucket
    FROM dossier_facts
    WHERE tstzrange(received_at, finished_at, '[]') && tstzrange($1, $2, '[)')
      AND unit_code IN (SELECT unnest($3::text[]))
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

export interface RollupRun {
  units: number;
  facts: number;
  watermark: Date;
}

export interface ClosedPeriod {
  unitCode: string;
  from: string;
  to: string;
  closedAt: Date;
  closedBy: string;
  figures: Record<string, unknown>;
}

/** A dossier in processing now (not paused, not finished), with the step and officer holding it. */
export interface OpenDossierRow {
  code: string;
  procedureCode: string;
  procedureName: string;
  procedureVersionId: string | null;
  caseCode: string | null;
  receivingUnitCode: string;
  dueAt: Date;
  stepNo: number | null;
  stepCode: string | null;
  stepName: string | null;
  stepUnitCode: string | null;
  stepDueAt: Date | null;
  holderId: string | null;
  holderName: string | null;
}

/** A step instance that overran its budget (its due time, moved by any pause), finished or still held. */
export interface LateStepRow {
  dossierCode: string;
  unitCode: string;
  stepCode: string;
  stepName: string;
  holderId: string | null;
  holderName: string | null;
  dueAt: Date;
  completedAt: Date | null;
}

/** What the 766 indicators count beyond the progress table, over a period's events. */
export interface ServiceEventCounts {
  payments: number;
  onlinePayments: number;
  results: number;
  electronicResults: number;
}

/** A dossier resolved in a period: for the average processing time per procedure. */
export interface ResolvedSpan {
  procedureCode: string;
  receivedAt: Date;
  finishedAt: Date;
}

/** Port for the figures reports print. */
export abstract class ReportStore {
  /** Every unit with its parent (to group reports by sub-unit). */
  abstract units(): Promise<{ code: string; name: string; parentCode: string | null }[]>;
  /** Payments and returned results recorded in [from, to) for dossiers received by the units. */
  abstract serviceEvents(units: string[], from: Date, to: Date): Promise<ServiceEventCounts>;
  /** Dossiers the units received in [from, to), and how many of them had every status change accepted by the portal. */
  abstract portalSynced(units: string[], from: Date, to: Date): Promise<{ received: number; synced: number }>;
  /** Receipt and finish of the dossiers of the units resolved (approved) in [from, to). */
  abstract resolvedSpans(units: string[], from: Date, to: Date): Promise<ResolvedSpan[]>;
  /** Dossiers in processing received by, or held by, one of the units. */
  abstract openDossiers(units: string[]): Promise<OpenDossierRow[]>;
  /** Steps of the units that overran and were completed in [from, to), or are still held past their due time. */
  abstract lateSteps(units: string[], from: Date, to: Date): Promise<LateStepRow[]>;
  /** Freezes a period's figures; false when the unit already has a closed period overlapping it. */
  abstract close(period: Omit<ClosedPeriod, 'closedAt'>): Promise<ClosedPeriod | null>;
  /** The closed period of a unit with exactly these bounds, or the one ending the day before `from`. */
  abstract closed(unitCode: string, from: string, to: string): Promise<ClosedPeriod | null>;
  abstract closedBefore(unitCode: string, from: string): Promise<ClosedPeriod | null>;
  /** The progress table's counts per group, from the dossier facts. */
  abstract progress(query: ProgressQuery): Promise<ProgressRow[]>;
  /**
   * The same counts per unit from the rollups, for whole local days `from`..`to` (inclusive, YYYY-MM-DD), as of
   * their last refresh. Exact for every column but `repeatedSupplements` (0: rollups do not keep it).
   */
  abstract progressFromRollups(units: string[], from: string, to: string): Promise<ProgressRow[]>;
  /**
   * The dossiers behind one figure of the progress table (classified exactly as `progress` counts them), newest
   * first, a page of them, with how many there are in all.
   */
  abstract progressDossiers(query: ProgressDossiersQuery): Promise<{ total: number; items: ProgressDossierRow[] }>;
  /** Rebuilds the rollups of the units whose facts changed since the last run (all on the first run). */
  abstract refreshRollups(timeZone: string): Promise<RollupRun>;
  /** When the rollups were last refreshed (null: never). */
  abstract rollupWatermark(): Promise<Date | null>;
}

export class TypeOrmReportStore extends ReportStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async progress(query: ProgressQuery): Promise<ProgressRow[]> {
    const sql =
      query.groupBy === 'officer'
        ? CLASSIFY_STEPS(`coalesce(s.holder_id::text, 'UNASSIGNED')`, `coalesce(o.full_name, 'Chưa phân công')`)
        : query.groupBy === 'step'
          ? CLASSIFY_STEPS('s.code', 's.name')
          : CLASSIFY(GROUP_COLUMN[query.groupBy]);
    const rows = await this.dataSource.query<({ key: string; name?: string } & ProgressFlows)[]>(sql, [
      query.from,
      query.to,
      query.units,
    ]);
    return rows.map(({ key, name, ...flows }) => ({ key, ...(name !== undefined ? { name } : {}), flows }));
  }

  async progressDossiers(q: ProgressDossiersQuery): Promise<{ total: number; items: ProgressDossierRow[] }> {
    const rows = await this.dataSource.query<(ProgressDossierRow & { total: number })[]>(CLASSIFY_DOSSIERS(q.figure), [
      q.from,
      q.to,
      q.units,
      q.limit,
      q.offset,
    ]);
    let total = rows[0]?.total;
    if (total === undefined) {
      // an offset past the end: count on its own
      const [c] = await this.dataSource.query<{ total: number }[]>(
        CLASSIFY_DOSSIERS(q.figure).replace(
          /SELECT c\.dossier_code[\s\S]*$/,
          'SELECT count(*)::int AS total FROM chosen',
        ),
        [q.from, q.to, q.units],
      );
      total = c?.total ?? 0;
    }
    return { total, items: rows.map(({ total: _, ...r }) => r) };
  }

  async progressFromRollups(units: string[], from: string, to: string): Promise<ProgressRow[]> {
    const rows = await this.dataSource.query<
      {
        key: string;
        carried: number;
        ip: number | null;
        onl: number | null;
        po: number | null;
        early: number | null;
        on_time: number | null;
        late: number | null;
        withdrawn: number | null;
        refused: number | null;
        open_end: number | null;
        overdue_end: number | null;
        paused_supplement_end: number | null;
        paused_payment_end: number | null;
      }[]
    >(FROM_ROLLUPS, [units, from, to]);
    // Like the facts, only units that had dossiers in the period (carried over or new).
    const counted = rows.filter((r) => r.carried + (r.ip ?? 0) + (r.onl ?? 0) + (r.po ?? 0) > 0);
    return counted.map((r) => {
      const ps = r.paused_supplement_end ?? 0;
      const pp = r.paused_payment_end ?? 0;
      const overdue = r.overdue_end ?? 0;
      return {
        key: r.key,
        flows: {
          carriedOver: r.carried,
          newInPerson: r.ip ?? 0,
          newOnline: r.onl ?? 0,
          newPostal: r.po ?? 0,
          early: r.early ?? 0,
          onTime: r.on_time ?? 0,
          late: r.late ?? 0,
          withdrawn: r.withdrawn ?? 0,
          refused: r.refused ?? 0,
          overdue,
          pausedSupplement: ps,
          pausedPayment: pp,
          withinDeadline: (r.open_end ?? 0) - overdue - ps - pp,
          repeatedSupplements: 0,
        },
      };
    });
  }

  async refreshRollups(timeZone: string): Promise<RollupRun> {
    return this.dataSource.transaction(async (m) => {
      // One refresher at a time (several API or worker replicas may run the schedule's activity).
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('report_rollups'))`);
      const startedAt = new Date();
      const [last] = await m.query<{ watermark: Date }[]>(
        `SELECT watermark FROM report_rollup_runs ORDER BY id DESC LIMIT 1`,
      );
      const [{ watermark }] = await m.query<{ watermark: Date }[]>(`SELECT now() AS watermark`);
      const changed: string[] | null = last
        ? (
            await m.query<{ unit_code: string }[]>(
              // A margin for transactions that began before the last watermark and committed after it.
              `SELECT DISTINCT unit_code FROM dossier_facts WHERE recorded_at >= $1::timestamptz - interval '10 minutes'`,
              [last.watermark],
            )
          ).map((r) => r.unit_code)
        : null;
      if (changed === null) {
        await m.query(`DELETE FROM report_rollups`);
      } else if (changed.length > 0) {
        await m.query(`DELETE FROM report_rollups WHERE unit_code = ANY($1)`, [changed]);
      }
      if (changed === null || changed.length > 0) {
        await m.query(REBUILD, [changed, timeZone, localToday(timeZone)]);
      }
      // Units whose facts did not change keep their figures: their last day is carried forward to today.
      await m.query(
        `INSERT INTO report_rollups
         SELECT r.unit_code, d::date, r.new_in_person, r.new_online, r.new_postal, r.early, r.on_time, r.late,
                r.withdrawn, r.refused, r.open_end, r.overdue_end, r.paused_supplement_end, r.paused_payment_end
         FROM (SELECT DISTINCT ON (unit_code) * FROM report_rollups ORDER BY unit_code, day DESC) r
         CROSS JOIN LATERAL generate_series(r.day + 1, $1::date, interval '1 day') d`,
        [localToday(timeZone)],
      );
      const [{ units, facts }] = await m.query<{ units: number; facts: number }[]>(
        `SELECT count(DISTINCT unit_code)::int AS units, count(*)::int AS facts FROM dossier_facts
         WHERE $1::text[] IS NULL OR unit_code = ANY($1)`,
        [changed],
      );
      await m.query(
        `INSERT INTO report_rollup_runs (started_at, finished_at, watermark, units, facts) VALUES ($1, now(), $2, $3, $4)`,
        [startedAt, watermark, units, facts],
      );
      return { units, facts, watermark };
    });
  }

  async serviceEvents(units: string[], from: Date, to: Date): Promise<ServiceEventCounts> {
    const [row] = await this.dataSource.query<ServiceEventCounts[]>(
      `SELECT count(*) FILTER (WHERE e.type = 'PAYMENT_RECORDED')::int AS payments,
              count(*) FILTER (WHERE e.type = 'PAYMENT_RECORDED' AND e.payload->>'method' = 'ONLINE')::int AS "onlinePayments",
              count(*) FILTER (WHERE e.type = 'RESULT_RETURNED')::int AS results,
              count(*) FILTER (WHERE e.type = 'RESULT_RETURNED' AND e.payload->>'deliveryMethod' = 'ELECTRONIC')::int
                AS "electronicResults"
       FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code
       WHERE e.type IN ('PAYMENT_RECORDED', 'RESULT_RETURNED') AND e.occurred_at >= $2 AND e.occurred_at < $3
         AND d.receiving_unit_code IN (SELECT unnest($1::text[]))`,
      [units, from, to],
    );
    return row;
  }

  async portalSynced(units: string[], from: Date, to: Date): Promise<{ received: number; synced: number }> {
    const [row] = await this.dataSource.query<{ received: number; synced: number }[]>(
      `SELECT count(*)::int AS received,
              count(*) FILTER (
                WHERE EXISTS (SELECT 1 FROM outbox_messages o WHERE o.aggregate_key = 'portal:' || f.dossier_code)
                  AND NOT EXISTS (SELECT 1 FROM outbox_messages o
                                  WHERE o.aggregate_key = 'portal:' || f.dossier_code AND o.dispatched_at IS NULL))::int
                AS synced
       FROM dossier_facts f
       WHERE f.received_at >= $2 AND f.received_at < $3 AND f.unit_code IN (SELECT unnest($1::text[]))`,
      [units, from, to],
    );
    return row;
  }

  resolvedSpans(units: string[], from: Date, to: Date): Promise<ResolvedSpan[]> {
    return this.dataSource.query<ResolvedSpan[]>(
      `SELECT procedure_code AS "procedureCode", received_at AS "receivedAt", finished_at AS "finishedAt"
       FROM dossier_facts
       WHERE outcome = 'APPROVED' AND tstzrange(received_at, finished_at, '[]') && tstzrange($2, $3, '[)')
         AND finished_at >= $2 AND finished_at < $3 AND unit_code IN (SELECT unnest($1::text[]))`,
      [units, from, to],
    );
  }

  units(): Promise<{ code: string; name: string; parentCode: string | null }[]> {
    return this.dataSource.query(`SELECT code, name, parent_code AS "parentCode" FROM units ORDER BY code`);
  }

  async openDossiers(units: string[]): Promise<OpenDossierRow[]> {
    return this.dataSource.query<OpenDossierRow[]>(
      `SELECT d.code, d.procedure_code AS "procedureCode", coalesce(p.name, d.procedure_code) AS "procedureName",
              d.procedure_version_id AS "procedureVersionId", d.case_code AS "caseCode",
              d.receiving_unit_code AS "receivingUnitCode", d.due_at AS "dueAt",
              d.current_step_no AS "stepNo", d.current_step_code AS "stepCode", d.current_step_name AS "stepName",
              d.current_unit_code AS "stepUnitCode", s.due_at AS "stepDueAt", d.holder_id AS "holderId",
              o.full_name AS "holderName"
       FROM dossiers d
       LEFT JOIN procedures p ON p.code = d.procedure_code
       LEFT JOIN dossier_steps s ON s.dossier_code = d.code AND s.no = d.current_step_no
       LEFT JOIN officers o ON o.id = d.holder_id
       WHERE d.state = 'IN_PROGRESS' AND d.due_at IS NOT NULL
         AND (d.receiving_unit_code IN (SELECT unnest($1::text[])) OR d.current_unit_code IN (SELECT unnest($1::text[])))
       ORDER BY d.due_at, d.code`,
      [units],
    );
  }

  async lateSteps(units: string[], from: Date, to: Date): Promise<LateStepRow[]> {
    return this.dataSource.query<LateStepRow[]>(
      `SELECT s.dossier_code AS "dossierCode", s.unit_code AS "unitCode", s.code AS "stepCode", s.name AS "stepName",
              s.holder_id AS "holderId", coalesce(s.holder_name, o.full_name) AS "holderName",
              s.due_at AS "dueAt", s.completed_at AS "completedAt"
       FROM dossier_steps s LEFT JOIN officers o ON o.id = s.holder_id
       WHERE s.counted AND s.due_at IS NOT NULL AND s.unit_code IN (SELECT unnest($1::text[]))
         AND ((s.completed_at >= $2 AND s.completed_at < $3 AND s.completed_at > s.due_at)
              OR (s.completed_at IS NULL AND s.due_at < least($3, now())
                  AND EXISTS (SELECT 1 FROM dossiers d WHERE d.code = s.dossier_code AND d.state = 'IN_PROGRESS')))`,
      [units, from, to],
    );
  }

  async close(period: Omit<ClosedPeriod, 'closedAt'>): Promise<ClosedPeriod | null> {
    return this.dataSource.transaction(async (m) => {
      // Closings of one unit are serialised, so two overlapping ones cannot both pass the check.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('report_closings:' || $1))`, [period.unitCode]);
      const [overlap] = await m.query<unknown[]>(
        `SELECT 1 FROM report_closings WHERE unit_code = $1 AND period_from <= $3::date AND period_to >= $2::date`,
        [period.unitCode, period.from, period.to],
      );
      if (overlap) {
        return null;
      }
      const [row] = await m.query<{ closed_at: Date }[]>(
        `INSERT INTO report_closings (unit_code, period_from, period_to, closed_at, closed_by, figures)
         VALUES ($1, $2, $3, now(), $4, $5) RETURNING closed_at`,
        [period.unitCode, period.from, period.to, period.closedBy, JSON.stringify(period.figures)],
      );
      return { ...period, closedAt: row.closed_at };
    });
  }

  closed(unitCode: string, from: string, to: string): Promise<ClosedPeriod | null> {
    return this.oneClosing(`unit_code = $1 AND period_from = $2::date AND period_to = $3::date`, [unitCode, from, to]);
  }

  closedBefore(unitCode: string, from: string): Promise<ClosedPeriod | null> {
    return this.oneClosing(`unit_code = $1 AND period_to = $2::date - 1`, [unitCode, from]);
  }

  private async oneClosing(where: string, params: unknown[]): Promise<ClosedPeriod | null> {
    const [row] = await this.dataSource.query<
      {
        unit_code: string;
        period_from: string;
        period_to: string;
        closed_at: Date;
        closed_by: string;
        figures: Record<string, unknown>;
      }[]
    >(
      `SELECT unit_code, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to,
              closed_at, closed_by, figures
       FROM report_closings WHERE ${where}`,
      params,
    );
    return row
      ? {
          unitCode: row.unit_code,
          from: row.period_from,
          to: row.period_to,
          closedAt: row.closed_at,
          closedBy: row.closed_by,
          figures: row.figures,
        }
      : null;
  }

  async rollupWatermark(): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ watermark: Date }[]>(
      `SELECT watermark FROM report_rollup_runs ORDER BY id DESC LIMIT 1`,
    );
    return row?.watermark ?? null;
  }
}

/** Today's date (YYYY-MM-DD) in a time zone: the rollups run densely up to it. */
const localToday = (timeZone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
