export { dossierWorkflow } from './dossier.workflow';
export { reportMonthCloseWorkflow, reportRollupWorkflow } from './report-rollup.workflow';
export { agencySegmentWorkflow } from './segment.workflow';
export { personalDataRetentionWorkflow } from './retention.workflow';
export { deadlineWatchdogWorkflow } from './watchdog.workflow';
