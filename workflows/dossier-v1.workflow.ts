import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { DossierActivities } from '../activities/dossier.activities';
import type { RecordDossierEventInput } from '../activities/dossier.activities.types';
import { NationalStatus } from '../libs/domain/src/dossier-status';
import {
  type LegacyReturnResultCommand,
  legacyReturnResultUpdate,
  legacySnapshotQuery,
  type LegacySnapshot,
} from './dossier.messages';
import type { DossierWorkflowInput } from './dossier.types';

type DossierWorkflowSnapshot = LegacySnapshot;
type DossierWorkflowState = LegacySnapshot['state'];

const { recordDossierEvent } = proxyActivities<DossierActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['DomainException'] },
});

/**
 * The first release (before the step interpreter): takes the dossier into processing and waits for the desk to
 * return the result. Kept, unchanged in behaviour, for executions started by that release (see the patch in
 * dossier.workflow.ts); the replay test runs its committed history.
 */
export async function dossierWorkflowV1(input: DossierWorkflowInput): Promise<DossierWorkflowSnapshot> {
  let state: DossierWorkflowState = 'PROCESSING';
  let nationalStatus: NationalStatus = NationalStatus.RECEIVED;
  let seq = 0;
  let started = false;
  let returning = false;

  const snapshot = (): DossierWorkflowSnapshot => ({
    dossierCode: input.dossierCode,
    state,
    nationalStatus,
    lastEventSeq: seq,
  });

  const record = async (
    type: RecordDossierEventInput['type'],
    status: NationalStatus,
    extra: Pick<RecordDossierEventInput, 'actorId' | 'payload'> = {},
  ): Promise<void> => {
    seq += 1;
    await recordDossierEvent({
      dossierCode: input.dossierCode,
      seq,
      type,
      nationalStatus: status,
      occurredAt: new Date().toISOString(),
      ...extra,
    });
    nationalStatus = status;
  };

  setHandler(legacySnapshotQuery, snapshot);
  setHandler(
    legacyReturnResultUpdate,
    async (command) => {
      returning = true;
      await condition(() => started);
      await record('RESULT_RETURNED', NationalStatus.RESULT_RETURNED, {
        actorId: command.actorId ?? command.actor?.officerId,
        payload: { deliveryMethod: command.deliveryMethod, note: command.note ?? null },
      });
      state = 'RESULT_RETURNED';
      return snapshot();
    },
    {
      validator: (_command: LegacyReturnResultCommand) => {
        if (state !== 'PROCESSING' || returning) {
          throw ApplicationFailure.nonRetryable(
            `Dossier ${input.dossierCode} has already had its result returned.`,
            'INVALID_STATE',
          );
        }
      },
    },
  );

  await record('PROCESSING_STARTED', NationalStatus.PROCESSING, { payload: { procedureCode: input.procedureCode } });
  started = true;
  await condition(() => state === 'RESULT_RETURNED');
  return snapshot();
}
