import { proxyActivities } from '@temporalio/workflow';
import type { ReportActivities, RollupRunSummary } from '../activities/report.activities';

/** The ID of the Temporal Schedule that runs the rollup refresh, and the workflow type it starts. */
export const REPORT_ROLLUP_SCHEDULE_ID = 'report-rollups';
export const REPORT_ROLLUP_WORKFLOW_TYPE = 'reportRollupWorkflow';

const { refreshReportRollups } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/** One refresh of the report rollups; started by the Schedule (overlaps skipped), or by hand with `trigger`. */
export async function reportRollupWorkflow(): Promise<RollupRunSummary> {
  return refreshReportRollups();
}
