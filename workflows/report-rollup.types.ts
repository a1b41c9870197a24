/** The ID of the Temporal Schedule that runs the rollup refresh, and the workflow type it starts. */
export const REPORT_ROLLUP_SCHEDULE_ID = 'report-rollups';
export const REPORT_ROLLUP_WORKFLOW_TYPE = 'reportRollupWorkflow';

/** The Schedule that closes last month's reports early on the 1st, and the workflow type it starts. */
export const REPORT_MONTH_CLOSE_SCHEDULE_ID = 'report-month-close';
export const REPORT_MONTH_CLOSE_WORKFLOW_TYPE = 'reportMonthCloseWorkflow';
