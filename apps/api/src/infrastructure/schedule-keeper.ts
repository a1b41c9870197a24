import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleAlreadyRunning, type ScheduleOptions } from '@temporalio/client';
import { type TemporalClientProvider } from './temporal.module';

const RETRY_MS = 30_000;

/**
 * Makes sure some Temporal Schedules exist as configured (created, or their spec and action brought up to date). The
 * API boots while Temporal is unreachable, so this runs in the background and retries until it succeeds.
 */
export abstract class ScheduleKeeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private stopped = false;
  private wake?: () => void;
  private running?: Promise<void>;

  protected constructor(private readonly temporal: TemporalClientProvider) {}

  /** The Schedules to keep, as they should be now. */
  protected abstract schedules(): ScheduleOptions[];

  onApplicationBootstrap(): void {
    this.running = this.ensure();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
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
          `schedules not in place yet; retrying in ${RETRY_MS / 1000} s`,
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
