import { proxyActivities } from '@temporalio/workflow';
import type { MonthClosingSummary, ReportActivities, RollupRunSummary } from '../activities/report.activities';

/** The ID of the Temporal Schedule that runs the rollup refresh, and the workflow type it starts. */
export const REPORT_ROLLUP_SCHEDULE_ID = 'report-rollups';
export const REPORT_ROLLUP_WORKFLOW_TYPE = 'reportRollupWorkflow';

/** The Schedule that closes last month's reports early on the 1st, and the workflow type it starts. */
export const REPORT_MONTH_CLOSE_SCHEDULE_ID = 'report-month-close';
export const REPORT_MONTH_CLOSE_WORKFLOW_TYPE = 'reportMonthCloseWorkflow';

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
