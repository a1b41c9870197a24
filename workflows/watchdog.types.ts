import type { WatchdogFindingCounts } from '../activities/watchdog.activities';

/** The Temporal Schedule of the deadline watchdog, and the workflow type it starts. */
export const DEADLINE_WATCHDOG_SCHEDULE_ID = 'deadline-watchdog';
export const DEADLINE_WATCHDOG_WORKFLOW_TYPE = 'deadlineWatchdogWorkflow';

/** Where a run (continued as new) resumes, and what it found so far. */
export interface WatchdogRunState {
  afterId: string | null;
  scanned: number;
  findings: WatchdogFindingCounts;
  repaired: number;
}

/** What one run of the watchdog did. */
export interface WatchdogRunSummary {
  scanned: number;
  findings: WatchdogFindingCounts;
  repaired: number;
}
