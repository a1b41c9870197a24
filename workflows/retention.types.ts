/** The Temporal Schedule that runs the personal-data retention job every night, and the workflow type it starts. */
export const PERSONAL_DATA_RETENTION_SCHEDULE_ID = 'personal-data-retention';
export const PERSONAL_DATA_RETENTION_WORKFLOW_TYPE = 'personalDataRetentionWorkflow';

/** What one night's run did. */
export interface RetentionRunSummary {
  anonymised: number;
  /** Papers' scans whose bytes were deleted from storage (absent from runs started before the purge patch). */
  purgedScans?: number;
  /** False when the run stopped at its batch limit: the rest is done the next night. */
  complete: boolean;
}
