import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../../../libs/config/src';
import { RateLimitStore } from '../../../../libs/persistence/src';
import { CalendarModule } from '../calendar/calendar.module';
import { FilesModule } from '../files/files.module';
import { PublicFilesController } from './public-files.controller';
import { VoiceModule } from '../voice/voice.module';
import { PaymentsModule } from '../payments/payments.module';
import { PublicLookupController } from './public-lookup.controller';
import { PublicVoiceController } from './public-voice.controller';
import { PER_CLIENT, PER_DOSSIER, PublicLookupThrottlerGuard } from './public-lookup.guard';
import { PublicLookupService } from './public-lookup.service';
import { PublicPetitionGate } from './public-petition-gate';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';

/**
 * The public (unauthenticated) status lookup, and the citizen's rating and petitions proved the same way. Attempts are counted in PostgreSQL, so every API instance adds to the
 * same counters; the client is the connection's address, or the one the trusted proxy reports (TRUST_PROXY).
 */
@Module({
  imports: [
    CalendarModule,
    FilesModule,
    VoiceModule,
    PaymentsModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RateLimitStore],
      useFactory: (config: AppConfig, counters: RateLimitStore) => ({
        storage: new PostgresThrottlerStorage(counters),
        throttlers: [
          { name: PER_CLIENT, ttl: 60_000, limit: config.PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE },
          { name: PER_DOSSIER, ttl: 3_600_000, limit: config.PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR },
        ],
      }),
    }),
  ],
  controllers: [PublicLookupController, PublicVoiceController, PublicFilesController],
  providers: [PublicLookupService, PublicLookupThrottlerGuard, PublicPetitionGate],
})
export class PublicLookupModule {}
