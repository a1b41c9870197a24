import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, ConfigModule } from '../../../libs/config/src';
import { DatabaseModule } from '../../../libs/persistence/src';
import { TemporalWorkerService } from './temporal-worker.service';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: { level: config.LOG_LEVEL, customProps: () => ({ service: 'worker' }) } }),
        DatabaseModule,
      ],
      providers: [TemporalWorkerService],
    };
  }
}
