import { log } from '@temporalio/activity';
import { type ReportStore } from '../libs/persistence/src/stores/report.store';

export interface ReportActivityDeps {
  reports: ReportStore;
  timeZone: string;
}

export interface RollupRunSummary {
  units: number;
  facts: number;
  watermark: string;
}

export function createReportActivities({ reports, timeZone }: ReportActivityDeps) {
  return {
    /** Rebuilds the rollups of the units whose facts changed since the last run (serialised by an advisory lock). */
    async refreshReportRollups(): Promise<RollupRunSummary> {
      const run = await reports.refreshRollups(timeZone);
      log.info('report rollups refreshed', { units: run.units, facts: run.facts });
      return { units: run.units, facts: run.facts, watermark: run.watermark.toISOString() };
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
