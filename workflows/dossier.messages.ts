import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { type DossierWorkflowSnapshot, type ReturnResultCommand } from './dossier.types';

export const snapshotQuery = defineQuery<DossierWorkflowSnapshot>('snapshot');
export const returnResultUpdate = defineUpdate<DossierWorkflowSnapshot, [ReturnResultCommand]>('returnResult');
