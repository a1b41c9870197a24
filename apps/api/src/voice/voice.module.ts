import { Module } from '@nestjs/common';
import { DossiersModule } from '../dossiers/dossiers.module';
import { PetitionsService } from './petitions.service';
import { RatingsService } from './ratings.service';
import { VoiceController } from './voice.controller';

/** Citizens' voice: ratings of returned dossiers and petitions run as dossiers of the petition procedure. */
@Module({
  imports: [DossiersModule],
  controllers: [VoiceController],
  providers: [RatingsService, PetitionsService],
  exports: [RatingsService, PetitionsService],
})
export class VoiceModule {}
