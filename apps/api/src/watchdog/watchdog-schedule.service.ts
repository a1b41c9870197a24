import { Inject, Injectable } from '@nestjs/common';
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { AppConfig } from '../../../../libs/config/src';
import { DEADLINE_WATCHDOG_SCHEDULE_ID, DEADLINE_WATCHDOG_WORKFLOW_TYPE } from '../../../../workflows/watchdog.types';
import { ScheduleKeeper } from '../infrastructure/schedule-keeper';
import { TemporalClientProvider } from '../infrastructure/temporal.module';

/**
 * Keeps the Schedule of the deadline watchdog: every WATCHDOG_INTERVAL_MINUTES it compares PostgreSQL with the
 * workflows; a run still going when the next is due makes that one skip (a run missed is not caught up: the next
 * compares everything again).
 */
@Injectable()
export class WatchdogScheduleService extends ScheduleKeeper {
  constructor(
    temporal: TemporalClientProvider,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super(temporal);
  }

  protected schedules(): ScheduleOptions[] {
    return [
      {
        scheduleId: DEADLINE_WATCHDOG_SCHEDULE_ID,
        spec: { intervals: [{ every: `${this.config.WATCHDOG_INTERVAL_MINUTES}m` }] },
        action: {
          type: 'startWorkflow',
          workflowType: DEADLINE_WATCHDOG_WORKFLOW_TYPE,
          taskQueue: this.config.TEMPORAL_TASK_QUEUE,
          args: [],
        },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      },
    ];
  }
}
