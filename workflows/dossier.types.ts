/** The one input object of the dossier workflow. Carries no personal data: Temporal never sees applicants. */
export interface DossierWorkflowInput {
  dossierCode: string;
  procedureCode: string;
  receivingUnitCode: string;
  /** ISO 8601 instant of receipt (the anchor of every deadline). */
  receivedAt: string;
}

export type DossierWorkflowState = 'PROCESSING' | 'RESULT_RETURNED';

export interface DossierWorkflowSnapshot {
  dossierCode: string;
  state: DossierWorkflowState;
  nationalStatus: number;
  lastEventSeq: number;
}

export interface ReturnResultCommand {
  /** Officer returning the result (from the caller's token, checked by the API). */
  actorId: string;
  /** How the applicant received it. */
  deliveryMethod: 'IN_PERSON' | 'POSTAL' | 'ELECTRONIC';
  note?: string;
}

export const DOSSIER_WORKFLOW_TYPE = 'dossierWorkflow';
