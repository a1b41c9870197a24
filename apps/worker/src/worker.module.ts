import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, ConfigModule } from '../../../libs/config/src';
import { DatabaseModule } from '../../../libs/persistence/src';
import { TemporalWorkerService } from './temporal-worker.service';
import { traceFields } from '../../../libs/telemetry/src';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            customProps: () => ({ service: 'worker' }),
            // An activity's lines carry the trace and span IDs of its span (tracing on).
            mixin: () => traceFields(),
          },
        }),
        DatabaseModule,
      ],
      providers: [TemporalWorkerService],
    };
  }
}
