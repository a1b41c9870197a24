export { dossierWorkflow } from './dossier.workflow';
export { reportMonthCloseWorkflow, reportRollupWorkflow } from './report-rollup.workflow';
