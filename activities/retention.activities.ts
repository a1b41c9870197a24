import { log } from '@temporalio/activity';
import { type FileStorage } from '../libs/persistence/src/files/file-storage';
import { type RetentionStore } from '../libs/persistence/src/stores/retention.store';

export interface RetentionActivityDeps {
  retention: RetentionStore;
  /** Where the scans' bytes are (the embedded PostgreSQL store or the object store). */
  storage: FileStorage;
  /** PERSONAL_DATA_RETENTION_DAYS: how long after closing a dossier keeps its applicant's personal data. */
  retentionDays: number;
}

const DAY_MS = 86_400_000;

export function createRetentionActivities({ retention, storage, retentionDays }: RetentionActivityDeps) {
  const cutoff = () => new Date(Date.now() - retentionDays * DAY_MS);
  return {
    /** Anonymises up to `limit` dossiers closed more than the retention period ago; returns how many it did. */
    async anonymiseExpiredDossiers(limit: number): Promise<number> {
      const closedBefore = cutoff();
      const codes = await retention.anonymiseClosedBefore(closedBefore, limit);
      log.info('personal data anonymised', { dossiers: codes.length, closedBefore: closedBefore.toISOString() });
      return codes.length;
    },

    /**
     * Deletes from storage the bytes of up to `limit` papers' scans of anonymised dossiers (see RetentionStore for
     * what goes and what stays), then marks them purged; returns how many. Bytes first: a run that dies in between
     * finds the same scans again and deletes nothing twice (a delete of a missing object does nothing), so no scan is
     * marked purged while its bytes are still stored. Bytes a file still kept shares (a later dossier's reuse, a
     * result) stay until that file goes too.
     */
    async purgeExpiredScans(limit: number): Promise<number> {
      const closedBefore = cutoff();
      const { scans, deletableKeys } = await retention.scansToPurge(closedBefore, limit);
      for (const key of deletableKeys) {
        await storage.delete(key);
      }
      if (scans.length > 0) {
        await retention.markScansPurged(scans, closedBefore);
      }
      log.info('stored scans purged', { scans: scans.length, objectsDeleted: deletableKeys.length });
      return scans.length;
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
