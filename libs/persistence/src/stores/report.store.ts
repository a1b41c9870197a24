import { type DataSource } from 'typeorm';
import { type ProgressFlows } from '../../../domain/src';

export const PROGRESS_GROUPS = ['unit', 'procedure', 'field'] as const;
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
  flows: ProgressFlows;
}

const GROUP_COLUMN: Record<ProgressGroup, string> = {
  unit: 'unit_code',
  procedure: 'procedure_code',
  field: 'field',
};

/**
 * Where each dossier of a period stands, classified once: finished in the period (by outcome and timeliness), or
 * unfinished at its end (paused, overdue, within the deadline). The period's dossiers are read through three
 * index ranges (received in it; received before and finished in or after it; still open), never the whole table.
 */
const CLASSIFY = (source: string, key: string): string => `
  WITH pop AS (
    SELECT * FROM ${source} WHERE received_at >= $1 AND received_at < $2 AND ($3::text[] IS NULL OR unit_code = ANY($3))
    UNION ALL
    SELECT * FROM ${source} WHERE received_at < $1 AND finished_at >= $1 AND ($3::text[] IS NULL OR unit_code = ANY($3))
    UNION ALL
    SELECT * FROM ${source} WHERE received_at < $1 AND finished_at IS NULL AND ($3::text[] IS NULL OR unit_code = ANY($3))
  ), classified AS (
    SELECT ${key} AS key, received_at < $1 AS carried, channel, supplement_requests,
      CASE
        WHEN finished_at < $2 THEN
          CASE outcome WHEN 'APPROVED' THEN timeliness WHEN 'REFUSED' THEN 'REFUSED' ELSE 'WITHDRAWN' END
        WHEN paused_from < least($2, now()) AND (paused_to IS NULL OR paused_to >= least($2, now()))
          THEN 'PAUSED_' || pause_reason
        WHEN overdue_at < least($2, now()) THEN 'OVERDUE'
        ELSE 'WITHIN'
      END AS bucket
    FROM pop
  )
  SELECT key,
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
    count(*) FILTER (WHERE supplement_requests > 1 AND bucket NOT IN ('LATE', 'OVERDUE'))::int AS "repeatedSupplements"
  FROM classified GROUP BY key ORDER BY key`;

/** Port for the figures reports print. */
export abstract class ReportStore {
  /** The progress table's counts per group, from the dossier facts. */
  abstract progress(query: ProgressQuery): Promise<ProgressRow[]>;
}

export class TypeOrmReportStore extends ReportStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async progress(query: ProgressQuery): Promise<ProgressRow[]> {
    const rows = await this.dataSource.query<({ key: string } & ProgressFlows)[]>(
      CLASSIFY('dossier_facts', GROUP_COLUMN[query.groupBy]),
      [query.from, query.to, query.units],
    );
    return rows.map(({ key, ...flows }) => ({ key, flows }));
  }
}
