import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../../../libs/config/src';
import { CalendarModule } from '../calendar/calendar.module';
import { PublicLookupController } from './public-lookup.controller';
import { PER_CLIENT, PER_DOSSIER, PublicLookupThrottlerGuard } from './public-lookup.guard';
import { PublicLookupService } from './public-lookup.service';

/**
 * The public (unauthenticated) status lookup. Attempts are counted in this process's memory: behind several API
 * instances each counts its own, so the effective limit is the configured one times the number of instances.
 */
@Module({
  imports: [
    CalendarModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          { name: PER_CLIENT, ttl: 60_000, limit: config.PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE },
          { name: PER_DOSSIER, ttl: 3_600_000, limit: config.PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR },
        ],
      }),
    }),
  ],
  controllers: [PublicLookupController],
  providers: [PublicLookupService, PublicLookupThrottlerGuard],
})
export class PublicLookupModule {}
