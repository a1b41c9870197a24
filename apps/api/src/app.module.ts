import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { OrganisationModule } from './organisation/organisation.module';
import { ProceduresModule } from './procedures/procedures.module';
import { DossiersModule } from './dossiers/dossiers.module';
import { EventsModule } from './events/events.module';
import { HandoffsModule } from './handoffs/handoffs.module';
import { HealthModule } from './health/health.module';
import { PublicLookupModule } from './public/public-lookup.module';
import { ReportsModule } from './reports/reports.module';
import { SubmissionsModule } from './submissions/submissions.module';
import { type AppConfig, ConfigModule } from '../../../libs/config/src';
import { DatabaseModule } from '../../../libs/persistence/src';
import { DossierWorkflowModule } from './infrastructure/dossier-workflow.gateway';
import { TemporalModule } from './infrastructure/temporal.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.LOG_LEVEL,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            customProps: () => ({ service: 'api' }),
            autoLogging: { ignore: (req) => req.url === '/api/v1/health' || req.url === '/api/v1/health/live' },
          },
        }),
        DatabaseModule,
        TemporalModule,
        DossierWorkflowModule,
        AuthModule,
        OrganisationModule,
        HealthModule,
        CalendarModule,
        ProceduresModule,
        DossiersModule,
        SubmissionsModule,
        EventsModule,
        HandoffsModule,
        PublicLookupModule,
        ReportsModule,
      ],
    };
  }
}
