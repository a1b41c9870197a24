import { Inject, Injectable } from '@nestjs/common';
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { AppConfig } from '../../../../libs/config/src';
import {
  PERSONAL_DATA_RETENTION_SCHEDULE_ID,
  PERSONAL_DATA_RETENTION_WORKFLOW_TYPE,
} from '../../../../workflows/retention.types';
import { ScheduleKeeper } from '../infrastructure/schedule-keeper';
import { TemporalClientProvider } from '../infrastructure/temporal.module';

/**
 * Keeps the nightly Schedule of the personal-data retention job (Law 91/2025): at 02:30 in the deployment's zone it
 * anonymises the dossiers closed more than PERSONAL_DATA_RETENTION_DAYS ago; a night missed is caught up within a week.
 */
@Injectable()
export class RetentionScheduleService extends ScheduleKeeper {
  constructor(
    temporal: TemporalClientProvider,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super(temporal);
  }

  protected schedules(): ScheduleOptions[] {
    return [
      {
        scheduleId: PERSONAL_DATA_RETENTION_SCHEDULE_ID,
        spec: { calendars: [{ hour: 2, minute: 30 }], timezone: this.config.TIME_ZONE },
        action: {
          type: 'startWorkflow',
          workflowType: PERSONAL_DATA_RETENTION_WORKFLOW_TYPE,
          taskQueue: this.config.TEMPORAL_TASK_QUEUE,
          args: [],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      },
    ];
  }
}
