import { proxyActivities } from '@temporalio/workflow';
import type { MonthClosingSummary, ReportActivities, RollupRunSummary } from '../activities/report.activities';

export * from './report-rollup.types';

const { refreshReportRollups, closePreviousMonth } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/** One refresh of the report rollups; started by the Schedule (overlaps skipped), or by hand with `trigger`. */
export async function reportRollupWorkflow(): Promise<RollupRunSummary> {
  return refreshReportRollups();
}

/** Closes last month's progress reports for the organisation's top units; started by the month-end Schedule. */
export async function reportMonthCloseWorkflow(): Promise<MonthClosingSummary> {
  return closePreviousMonth();
}
