import { type DataSource } from 'typeorm';

/** Open dossiers past their due time, and those not yet late whose warning point has passed, at one unit. */
export interface UnitDeadlines {
  unitCode: string;
  overdue: number;
  atRisk: number;
}

/** Port for the figures the metrics endpoint samples at scrape time: small aggregates, never a dossier. */
export abstract class MonitoringStore {
  /**
   * Per unit holding them (the current step's unit, else the receiving one), the open dossiers overdue and at risk,
   * counted as the worklist's `overdue` and `atRisk` filters count them; units with neither are left out.
   */
  abstract deadlinesByUnit(): Promise<UnitDeadlines[]>;
}

export class TypeOrmMonitoringStore extends MonitoringStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async deadlinesByUnit(): Promise<UnitDeadlines[]> {
    // finished_at IS NULL lets the open dossiers' partial index find them: the cost follows the open dossiers only.
    const rows = await this.dataSource.query<{ unit: string; overdue: number; at_risk: number }[]>(
      `SELECT coalesce(d.current_unit_code, d.receiving_unit_code) AS unit,
              count(*) FILTER (WHERE d.due_at < now())::int AS overdue,
              count(*) FILTER (WHERE d.due_at >= now() AND (d.deadline->>'warningAt') IS NOT NULL
                                 AND (d.deadline->>'warningAt')::timestamptz <= now())::int AS at_risk
       FROM dossiers d
       WHERE d.finished_at IS NULL AND d.due_at IS NOT NULL
       GROUP BY 1
       HAVING count(*) FILTER (WHERE d.due_at < now() OR (d.deadline->>'warningAt')::timestamptz <= now()) > 0
       ORDER BY 1`,
    );
    return rows.map((r) => ({ unitCode: r.unit, overdue: r.overdue, atRisk: r.at_risk }));
  }
}
