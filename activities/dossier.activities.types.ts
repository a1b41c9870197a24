import type { TransitionRecord } from '../libs/domain/src';

/** What the first release asks the activities to persist: one event of the dossier, keyed by (code, seq). */
export interface RecordDossierEventInput {
  dossierCode: string;
  seq: number;
  type: 'PROCESSING_STARTED' | 'RESULT_RETURNED';
  nationalStatus: number;
  occurredAt: string;
  actorId?: string;
  payload?: Record<string, unknown>;
}

/** One transition: the event, the projection after it, its breach facts and notifications; keyed by (code, seq). */
export type PersistTransitionInput = TransitionRecord;
