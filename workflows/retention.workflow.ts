import { patched, proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities } from '../activities/retention.activities';
import { type RetentionRunSummary } from './retention.types';

export * from './retention.types';

/** Dossiers anonymised per activity (one transaction each), and batches per run (the rest waits for the next night). */
const BATCH = 500;
const MAX_BATCHES = 200;
/** Scans purged per activity (one delete per stored object, then one transaction). */
const SCAN_BATCH = 200;

/**
 * After the dossiers, the stored scans of their papers: a run started before this patch anonymises only (its history
 * has no purge), a run started after it purges too.
 */
export const PURGE_STORED_SCANS_PATCH = 'retention-purges-stored-scans';

const { anonymiseExpiredDossiers, purgeExpiredScans } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/**
 * Anonymises the dossiers whose retention period has passed, batch by batch, then deletes the bytes of their papers'
 * scans (the records stay for the statistics); started by the nightly Schedule.
 */
export async function personalDataRetentionWorkflow(): Promise<RetentionRunSummary> {
  let anonymised = 0;
  let complete = false;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const done = await anonymiseExpiredDossiers(BATCH);
    anonymised += done;
    if (done < BATCH) {
      complete = true;
      break;
    }
  }
  if (!patched(PURGE_STORED_SCANS_PATCH)) {
    return { anonymised, complete };
  }
  let purgedScans = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const done = await purgeExpiredScans(SCAN_BATCH);
    purgedScans += done;
    if (done < SCAN_BATCH) {
      return { anonymised, purgedScans, complete };
    }
  }
  return { anonymised, purgedScans, complete: false };
}
