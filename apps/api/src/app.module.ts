import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream } from 'pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { OrganisationModule } from './organisation/organisation.module';
import { ProceduresModule } from './procedures/procedures.module';
import { DossiersModule } from './dossiers/dossiers.module';
import { EventsModule } from './events/events.module';
import { FilesModule } from './files/files.module';
import { HandoffsModule } from './handoffs/handoffs.module';
import { HealthModule } from './health/health.module';
import { PaymentsModule } from './payments/payments.module';
import { PublicLookupModule } from './public/public-lookup.module';
import { ReportsModule } from './reports/reports.module';
import { SubmissionsModule } from './submissions/submissions.module';
import { RetentionModule } from './retention/retention.module';
import { VoiceModule } from './voice/voice.module';
import { MetricsModule } from './metrics/metrics.module';
import { WatchdogModule } from './watchdog/watchdog.module';
import { type AppConfig, ConfigModule } from '../../../libs/config/src';
import { DatabaseModule } from '../../../libs/persistence/src';
import { DossierWorkflowModule } from './infrastructure/dossier-workflow.gateway';
import { TemporalModule } from './infrastructure/temporal.module';
import { ShutdownModule } from './infrastructure/graceful-shutdown';
import { requestLogOptions } from './common/request-log';

export interface ApiOptions {
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  /** `logDestination`: where logs go instead of stdout (tests read what the API logs). */
  static forRoot(config: AppConfig, options: ApiOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: options.logDestination
            ? [requestLogOptions(config), options.logDestination]
            : requestLogOptions(config),
        }),
        ShutdownModule,
        DatabaseModule,
        TemporalModule,
        DossierWorkflowModule,
        AuthModule,
        OrganisationModule,
        HealthModule,
        CalendarModule,
        ProceduresModule,
        DossiersModule,
        FilesModule,
        SubmissionsModule,
        EventsModule,
        HandoffsModule,
        PublicLookupModule,
        PaymentsModule,
        ReportsModule,
        AuditModule,
        RetentionModule,
        VoiceModule,
        MetricsModule,
        WatchdogModule,
      ],
    };
  }
}
