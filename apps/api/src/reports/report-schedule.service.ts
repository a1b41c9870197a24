import { Inject, Injectable } from '@nestjs/common';
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { AppConfig } from '../../../../libs/config/src';
import {
  REPORT_MONTH_CLOSE_SCHEDULE_ID,
  REPORT_MONTH_CLOSE_WORKFLOW_TYPE,
  REPORT_ROLLUP_SCHEDULE_ID,
  REPORT_ROLLUP_WORKFLOW_TYPE,
} from '../../../../workflows/report-rollup.types';
import { ScheduleKeeper } from '../infrastructure/schedule-keeper';
import { TemporalClientProvider } from '../infrastructure/temporal.module';

/** Keeps the Temporal Schedules of the reports in place (rollup refresh, month-end closing), as configured. */
@Injectable()
export class ReportScheduleService extends ScheduleKeeper {
  constructor(
    temporal: TemporalClientProvider,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    super(temporal);
  }

  /** The rollup refresh every few minutes, and last month's closing early on the 1st (in the deployment's zone). */
  protected schedules(): ScheduleOptions[] {
    const action = (workflowType: string) =>
      ({ type: 'startWorkflow', workflowType, taskQueue: this.config.TEMPORAL_TASK_QUEUE, args: [] }) as const;
    return [
      {
        scheduleId: REPORT_ROLLUP_SCHEDULE_ID,
        spec: { intervals: [{ every: `${this.config.REPORT_ROLLUP_INTERVAL_MINUTES}m` }] },
        action: action(REPORT_ROLLUP_WORKFLOW_TYPE),
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
      },
      {
        scheduleId: REPORT_MONTH_CLOSE_SCHEDULE_ID,
        spec: { calendars: [{ dayOfMonth: 1, hour: 1, minute: 0 }], timezone: this.config.TIME_ZONE },
        action: action(REPORT_MONTH_CLOSE_WORKFLOW_TYPE),
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      },
    ];
  }
}
