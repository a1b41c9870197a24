import { type AppConfig } from './app-config';

/** The task queue an agency's workers poll for the segments it owns. */
export function agencyTaskQueue(config: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE'>, agency: string): string {
  return `${config.TEMPORAL_TASK_QUEUE}.agency.${agency}`;
}
