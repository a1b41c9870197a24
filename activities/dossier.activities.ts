import { log } from '@temporalio/activity';
import { type DossierStore } from '../libs/persistence/src/stores/dossier.store';
import { type RecordDossierEventInput } from './dossier.activities.types';

export interface DossierActivityDeps {
  dossiers: DossierStore;
}

/** Activities are plain functions; the worker's NestJS context supplies their dependencies. */
export function createDossierActivities({ dossiers }: DossierActivityDeps) {
  return {
    async recordDossierEvent(input: RecordDossierEventInput): Promise<{ applied: boolean }> {
      const occurredAt = new Date(input.occurredAt);
      const result = await dossiers.recordEvent({
        dossierCode: input.dossierCode,
        seq: input.seq,
        type: input.type,
        nationalStatus: input.nationalStatus,
        occurredAt,
        actorId: input.actorId,
        payload: input.payload,
        patch:
          input.type === 'PROCESSING_STARTED'
            ? { workflowStartedAt: occurredAt }
            : input.type === 'RESULT_RETURNED'
              ? { resultReturnedAt: occurredAt }
              : {},
      });
      log.info('dossier event recorded', {
        dossierCode: input.dossierCode,
        seq: input.seq,
        type: input.type,
        ...result,
      });
      return result;
    },
  };
}

export type DossierActivities = ReturnType<typeof createDossierActivities>;
