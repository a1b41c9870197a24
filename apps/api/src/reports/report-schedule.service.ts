import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { AppConfig } from '../../../../libs/config/src';
import {
  REPORT_MONTH_CLOSE_SCHEDULE_ID,
  REPORT_MONTH_CLOSE_WORKFLOW_TYPE,
  REPORT_ROLLUP_SCHEDULE_ID,
  REPORT_ROLLUP_WORKFLOW_TYPE,
} from '../../../../workflows/report-rollup.types';
import { TemporalClientProvider } from '../infrastructure/temporal.module';

const RETRY_MS = 30_000;

/**
 * Makes sure the Temporal Schedules of the reports exist (rollup refresh, month-end closing), as configured. The API
 * boots while Temporal is unreachable, so this runs in the background and retries until it succeeds.
 */
@Injectable()
export class ReportScheduleService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReportScheduleService.name);
  private stopped = false;
  private wake?: () => void;
  private running?: Promise<void>;

  constructor(
    private readonly temporal: TemporalClientProvider,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.ensure();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** The rollup refresh every few minutes, and last month's closing early on the 1st (in the deployment's zone). */
  private schedules(): ScheduleOptions[] {
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

  private async ensure(): Promise<void> {
    while (!this.stopped) {
      try {
        for (const options of this.schedules()) {
          try {
            await this.temporal.client.schedule.create(options);
            this.logger.log(`schedule ${options.scheduleId} created`);
          } catch (e) {
            if (!(e instanceof ScheduleAlreadyRunning)) {
              throw e;
            }
            await this.temporal.client.schedule
              .getHandle(options.scheduleId)
              .update((previous) => ({ ...previous, spec: options.spec, action: options.action }));
          }
        }
        return;
      } catch (e) {
        this.logger.warn(
          { error: e instanceof Error ? e.message : String(e) },
          `report schedules not in place yet; retrying in ${RETRY_MS / 1000} s`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RETRY_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}
