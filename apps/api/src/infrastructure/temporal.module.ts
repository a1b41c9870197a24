import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  type GrpcRetryOptions,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { AppConfig, temporalConnectionSettings, temporalDataConverter } from '../../../../libs/config/src';

const MAX_SHUTDOWN_WAIT_MS = 10_000;

/**
 * A lazily connected Temporal client: the API boots and takes intake even while Temporal is unreachable.
 * The SDK's retry interceptor backs off with timers nobody cancels; closing the channel under a pending one makes it
 * throw later. So once shutting down, no new retries start, and the channel closes after the last scheduled one ran.
 */
@Injectable()
export class TemporalClientProvider implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  private closing = false;
  private retriesUntil = 0;

  constructor(@Inject(AppConfig) readonly config: AppConfig) {
    const base = defaultGrpcRetryOptions();
    const retry: GrpcRetryOptions = {
      retryableDecider: (attempt, status) => !this.closing && base.retryableDecider(attempt, status),
      delayFunction: (attempt, status) => {
        const delay = base.delayFunction(attempt, status);
        this.retriesUntil = Math.max(this.retriesUntil, Date.now() + delay);
        return delay;
      },
    };
    this.connection = Connection.lazy({
      ...temporalConnectionSettings(config),
      connectTimeout: '5s',
      interceptors: [makeGrpcRetryInterceptor(retry)],
    });
    // Payloads leave encrypted (notes, reasons, actors): the worker decrypts with the same keys.
    this.client = new Client({
      connection: this.connection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: temporalDataConverter(config),
      // With tracing on, starts, Updates and signals are spans of the request's trace, carried to the workflow in a
      // header (`_tracer-data`: trace and span IDs, nothing personal; headers are not encrypted by Temporal's design).
      // Off, no interceptor: nothing is written whatever tracer another part of the process may have registered.
      interceptors: config.OTEL_EXPORTER_OTLP_ENDPOINT
        ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] }
        : undefined,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    const wait = Math.min(this.retriesUntil - Date.now(), MAX_SHUTDOWN_WAIT_MS);
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait + 50));
    }
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClientProvider], exports: [TemporalClientProvider] })
export class TemporalModule {}
