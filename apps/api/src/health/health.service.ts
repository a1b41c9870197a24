import { Inject, Injectable } from '@nestjs/common';
import { temporal } from '@temporalio/proto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../libs/config/src';
import { OutboxStore } from '../../../../libs/persistence/src';
import { TemporalClientProvider } from '../infrastructure/temporal.module';

export type ComponentStatus = 'up' | 'down';

export interface ComponentHealth {
  status: ComponentStatus;
  latencyMs?: number;
  detail?: string;
  [info: string]: unknown;
}

export interface HealthReport {
  status: ComponentStatus;
  checkedAt: string;
  components: {
    postgres: ComponentHealth;
    temporal: ComponentHealth;
    worker: ComponentHealth;
    outbox: ComponentHealth;
  };
}

const CHECK_TIMEOUT_MS = 3000;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; latencyMs: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    const value = await Promise.race([fn(), timeout]);
    return { value, latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Real checks: a query on PostgreSQL, Temporal's frontend, and a worker that polled the task queue lately. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporalClient: TemporalClientProvider,
    private readonly outbox: OutboxStore,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const [postgres, temporalHealth, worker] = await Promise.all([this.postgres(), this.temporal(), this.worker()]);
    const outbox =
      postgres.status === 'up' ? await this.outboxBacklog() : { status: 'down' as const, detail: 'PostgreSQL is down' };
    const all = [postgres, temporalHealth, worker];
    return {
      status: all.every((c) => c.status === 'up') ? 'up' : 'down',
      checkedAt: new Date().toISOString(),
      components: { postgres, temporal: temporalHealth, worker, outbox },
    };
  }

  private async postgres(): Promise<ComponentHealth> {
    try {
      const { latencyMs } = await timed(() => this.dataSource.query('SELECT 1'));
      return { status: 'up', latencyMs };
    } catch (e) {
      return { status: 'down', detail: reason(e) };
    }
  }

  private async temporal(): Promise<ComponentHealth> {
    try {
      const { value, latencyMs } = await timed(() => this.temporalClient.connection.workflowService.getSystemInfo({}));
      return { status: 'up', latencyMs, serverVersion: value.serverVersion, namespace: this.config.TEMPORAL_NAMESPACE };
    } catch (e) {
      return { status: 'down', detail: reason(e) };
    }
  }

  private async worker(): Promise<ComponentHealth> {
    const taskQueue = this.config.TEMPORAL_TASK_QUEUE;
    try {
      const { value } = await timed(() =>
        this.temporalClient.connection.workflowService.describeTaskQueue({
          namespace: this.config.TEMPORAL_NAMESPACE,
          taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      const now = Date.now();
      const recent = (value.pollers ?? []).filter((p) => {
        const seconds = Number(p.lastAccessTime?.seconds ?? 0);
        return now - seconds * 1000 <= this.config.WORKER_POLL_STALE_MS;
      });
      return recent.length > 0
        ? { status: 'up', taskQueue, pollers: recent.length }
        : { status: 'down', taskQueue, detail: `no worker has polled task queue "${taskQueue}" recently` };
    } catch (e) {
      return { status: 'down', taskQueue, detail: `cannot ask Temporal: ${reason(e)}` };
    }
  }

  private async outboxBacklog(): Promise<ComponentHealth> {
    try {
      const { pending, oldestCreatedAt } = await this.outbox.backlog();
      const oldestAgeSeconds = oldestCreatedAt ? Math.round((Date.now() - oldestCreatedAt.getTime()) / 1000) : 0;
      // A backlog is information, not an outage: intake keeps committing and the relay catches up.
      return { status: 'up', pending, oldestAgeSeconds };
    } catch (e) {
      return { status: 'down', detail: reason(e) };
    }
  }
}
