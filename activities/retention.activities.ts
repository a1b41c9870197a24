import { log } from '@temporalio/activity';
import { type RetentionStore } from '../libs/persistence/src/stores/retention.store';

export interface RetentionActivityDeps {
  retention: RetentionStore;
  /** PERSONAL_DATA_RETENTION_DAYS: how long after closing a dossier keeps its applicant's personal data. */
  retentionDays: number;
}

const DAY_MS = 86_400_000;

export function createRetentionActivities({ retention, retentionDays }: RetentionActivityDeps) {
  return {
    /** Anonymises up to `limit` dossiers closed more than the retention period ago; returns how many it did. */
    async anonymiseExpiredDossiers(limit: number): Promise<number> {
      const closedBefore = new Date(Date.now() - retentionDays * DAY_MS);
      const codes = await retention.anonymiseClosedBefore(closedBefore, limit);
      log.info('personal data anonymised', { dossiers: codes.length, closedBefore: closedBefore.toISOString() });
      return codes.length;
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
