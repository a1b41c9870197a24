import { type DataSource, type EntityManager } from 'typeorm';
import { type ProgressFlows } from '../../../domain/src';
import {
  CLASSIFY,
  CLASSIFY_DOSSIERS,
  CLASSIFY_STEPS,
  FROM_ROLLUPS,
  GROUP_COLUMN,
  LATE_STEPS,
  type ProgressFigure,
  REBUILD,
  REBUILD_SUBTREES,
  ROLLUP_COLUMNS,
  SUBTREE_TARGETS,
  TREE_DIGEST,
} from './report.sql';
import { SERVICE_DOSSIER } from './service-dossiers.sql';

export { PROGRESS_FIGURES, type ProgressFigure } from './report.sql';

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

/**
 * A charge of lateness to a step instance (domain §8): the step overran its budget (its due time, moved by any pause),
 * finished or still held; or, for a late dossier none of whose steps overran (a step sent back starts a fresh budget),
 * the step that held the dossier at the dossier's due time — then `dueAt` and `completedAt` are the dossier's.
 */
export interface LateStepRow {
  kind: 'OVERRAN' | 'HELD_AT_DUE';
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
  /**
   * Steps of the units that overran and were completed in [from, to), or are still held past their due time; and the
   * steps of the units that held a late dossier at its due time when none of its steps overran (a dossier finished
   * late in [from, to), or still in processing past its due time).
   */
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
   * their last refresh; the same figures as the facts give for those days, but for `lateFor766` (0: the rollups do
   * not keep it). The rows of `units` count each unit's own dossiers; those of `subtrees` each unit's whole subtree
   * (itself and every unit under it, as the tree was at the last refresh), read from its pre-aggregated rows.
   */
  abstract progressFromRollups(units: string[], from: string, to: string, subtrees?: string[]): Promise<ProgressRow[]>;
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
          : CLASSIFY(GROUP_COLUMN[query.groupBy], query.units?.length ?? null);
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

  async progressFromRollups(
    units: string[],
    from: string,
    to: string,
    subtrees: string[] = [],
  ): Promise<ProgressRow[]> {
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
        late_with_apology: number | null;
        withdrawn: number | null;
        refused: number | null;
        refused_late: number | null;
        repeated: number | null;
        open_end: number | null;
        overdue_end: number | null;
        paused_supplement_end: number | null;
        paused_payment_end: number | null;
      }[]
    >(FROM_ROLLUPS, [units, from, to, subtrees]);
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
          lateWithApology: r.late_with_apology ?? 0,
          withdrawn: r.withdrawn ?? 0,
          refused: r.refused ?? 0,
          refusedLate: r.refused_late ?? 0,
          overdue,
          pausedSupplement: ps,
          pausedPayment: pp,
          withinDeadline: (r.open_end ?? 0) - overdue - ps - pp,
          repeatedSupplements: r.repeated ?? 0,
          lateFor766: 0,
        },
      };
    });
  }

  async refreshRollups(timeZone: string): Promise<RollupRun> {
    return this.dataSource.transaction(async (m) => {
      // One refresher at a time (several API or worker replicas may run the schedule's activity).
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('report_rollups'))`);
      // Sorts and aggregates over every fact of the changed units: in memory rather than in temporary files.
      await m.query(`SET LOCAL work_mem = '64MB'`);
      const startedAt = new Date();
      const [last] = await m.query<{ watermark: Date; tree: string | null }[]>(
        `SELECT watermark, tree FROM report_rollup_runs ORDER BY id DESC LIMIT 1`,
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
      await this.carryForward(m, 'report_rollups', timeZone);

      // The subtrees over the changed units (all of them on the first run, or when the tree changed since the last).
      const [{ tree }] = await m.query<{ tree: string }[]>(TREE_DIGEST);
      const all = changed === null || last?.tree !== tree;
      const targets = all
        ? null
        : changed.length > 0
          ? (await m.query<{ code: string }[]>(SUBTREE_TARGETS, [changed])).map((r) => r.code)
          : [];
      if (targets === null) {
        await m.query(`DELETE FROM report_subtree_rollups`);
      } else if (targets.length > 0) {
        await m.query(`DELETE FROM report_subtree_rollups WHERE unit_code = ANY($1)`, [targets]);
      }
      if (targets === null || targets.length > 0) {
        await m.query(REBUILD_SUBTREES, [all ? null : changed]);
      }
      await this.carryForward(m, 'report_subtree_rollups', timeZone);
      const [{ units, facts }] = await m.query<{ units: number; facts: number }[]>(
        `SELECT count(DISTINCT unit_code)::int AS units, count(*)::int AS facts FROM dossier_facts
         WHERE $1::text[] IS NULL OR unit_code = ANY($1)`,
        [changed],
      );
      await m.query(
        `INSERT INTO report_rollup_runs (started_at, finished_at, watermark, units, facts, tree)
         VALUES ($1, now(), $2, $3, $4, $5)`,
        [startedAt, watermark, units, facts, tree],
      );
      return { units, facts, watermark };
    });
  }

  /** The last day of each unit's rows carried forward to today (the unit's figures did not change since). */
  private async carryForward(
    m: EntityManager,
    table: 'report_rollups' | 'report_subtree_rollups',
    timeZone: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO ${table} (${ROLLUP_COLUMNS})
       SELECT r.unit_code, d::date, r.new_in_person, r.new_online, r.new_postal, r.early, r.on_time, r.late,
              r.withdrawn, r.refused, r.open_end, r.overdue_end, r.paused_supplement_end, r.paused_payment_end,
              r.late_with_apology, r.refused_late, r.repeated_done, r.repeated_open_end
       FROM (SELECT DISTINCT ON (unit_code) * FROM ${table} ORDER BY unit_code, day DESC) r
       CROSS JOIN LATERAL generate_series(r.day + 1, $1::date, interval '1 day') d`,
      [localToday(timeZone)],
    );
  }

  async serviceEvents(units: string[], from: Date, to: Date): Promise<ServiceEventCounts> {
    const [row] = await this.dataSource.query<ServiceEventCounts[]>(
      `SELECT count(*) FILTER (WHERE e.type = 'RESULT_RETURNED')::int AS results,
              count(*) FILTER (WHERE e.type = 'RESULT_RETURNED' AND e.payload->>'deliveryMethod' = 'ELECTRONIC')::int
                AS "electronicResults"
       FROM dossier_events e JOIN dossiers d ON d.code = e.dossier_code
       WHERE e.type = 'RESULT_RETURNED' AND e.occurred_at >= $2 AND e.occurred_at < $3
         AND d.receiving_unit_code IN (SELECT unnest($1::text[])) AND ${SERVICE_DOSSIER('d')}`,
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
       WHERE f.received_at >= $2 AND f.received_at < $3 AND f.unit_code IN (SELECT unnest($1::text[]))
         AND ${SERVICE_DOSSIER('f')}`,
      [units, from, to],
    );
    return row;
  }

  resolvedSpans(units: string[], from: Date, to: Date): Promise<ResolvedSpan[]> {
    return this.dataSource.query<ResolvedSpan[]>(
      `SELECT procedure_code AS "procedureCode", received_at AS "receivedAt", finished_at AS "finishedAt"
       FROM dossier_facts f
       WHERE outcome = 'APPROVED' AND tstzrange(received_at, finished_at, '[]') && tstzrange($2, $3, '[)')
         AND finished_at >= $2 AND finished_at < $3 AND unit_code IN (SELECT unnest($1::text[]))
         AND ${SERVICE_DOSSIER('f')}`,
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
       -- finished_at IS NULL (implied by the state) lets the open dossiers' partial index find them
       WHERE d.finished_at IS NULL AND d.state = 'IN_PROGRESS' AND d.due_at IS NOT NULL
         AND (d.receiving_unit_code IN (SELECT unnest($1::text[])) OR d.current_unit_code IN (SELECT unnest($1::text[])))
       ORDER BY d.due_at, d.code`,
      [units],
    );
  }

  async lateSteps(units: string[], from: Date, to: Date): Promise<LateStepRow[]> {
    return this.dataSource.query<LateStepRow[]>(LATE_STEPS, [units, from, to]);
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
