import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities } from '../activities/retention.activities';
import { type RetentionRunSummary } from './retention.types';

export * from './retention.types';

/** Dossiers anonymised per activity (one transaction each), and batches per run (the rest waits for the next night). */
const BATCH = 500;
const MAX_BATCHES = 200;

const { anonymiseExpiredDossiers } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/** Anonymises the dossiers whose retention period has passed, batch by batch; started by the nightly Schedule. */
export async function personalDataRetentionWorkflow(): Promise<RetentionRunSummary> {
  let anonymised = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const done = await anonymiseExpiredDossiers(BATCH);
    anonymised += done;
    if (done < BATCH) {
      return { anonymised, complete: true };
    }
  }
  return { anonymised, complete: false };
}
