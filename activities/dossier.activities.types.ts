/** What the workflow asks the activities to persist: one event of the dossier, keyed by (code, seq). */
export interface RecordDossierEventInput {
  dossierCode: string;
  seq: number;
  type: 'PROCESSING_STARTED' | 'RESULT_RETURNED';
  nationalStatus: number;
  occurredAt: string;
  actorId?: string;
  payload?: Record<string, unknown>;
}
