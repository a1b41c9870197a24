export { dossierWorkflow } from './dossier.workflow';
export { reportRollupWorkflow } from './report-rollup.workflow';
