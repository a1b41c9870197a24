import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { AppConfig } from '../../../../libs/config/src';
import { REPORT_ROLLUP_SCHEDULE_ID, REPORT_ROLLUP_WORKFLOW_TYPE } from '../../../../workflows/report-rollup.workflow';
import { TemporalClientProvider } from '../infrastructure/temporal.module';

const RETRY_MS = 30_000;

/**
 * Makes sure the Temporal Schedule that refreshes the report rollups exists, with the configured interval. The API
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

  private options(): ScheduleOptions {
    return {
      scheduleId: REPORT_ROLLUP_SCHEDULE_ID,
      spec: { intervals: [{ every: `${this.config.REPORT_ROLLUP_INTERVAL_MINUTES}m` }] },
      action: {
        type: 'startWorkflow',
        workflowType: REPORT_ROLLUP_WORKFLOW_TYPE,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    };
  }

  private async ensure(): Promise<void> {
    while (!this.stopped) {
      try {
        const options = this.options();
        try {
          await this.temporal.client.schedule.create(options);
          this.logger.log(
            `schedule ${options.scheduleId} created (every ${String(options.spec.intervals?.[0].every)})`,
          );
        } catch (e) {
          if (!(e instanceof ScheduleAlreadyRunning)) {
            throw e;
          }
          await this.temporal.client.schedule
            .getHandle(options.scheduleId)
            .update((previous) => ({ ...previous, spec: options.spec, action: options.action }));
        }
        return;
      } catch (e) {
        this.logger.warn(
          { error: e instanceof Error ? e.message : String(e) },
          `report rollup schedule not in place yet; retrying in ${RETRY_MS / 1000} s`,
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
