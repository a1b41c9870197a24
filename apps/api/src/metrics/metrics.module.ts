import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { flushTracing } from '../../../../libs/telemetry/src';
import { OutboxModule } from '../outbox/outbox.module';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';

/** Sends the last spans to the collector when the API stops (tracing on). */
@Injectable()
class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushTracing();
  }
}

/** `GET /metrics` and the metrics the requests feed (see request-telemetry.ts, installed by bootstrap.ts). */
@Module({
  imports: [OutboxModule],
  controllers: [MetricsController],
  providers: [ApiMetrics, TracingFlush],
  exports: [ApiMetrics],
})
export class MetricsModule {}
