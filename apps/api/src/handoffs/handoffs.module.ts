import { Module } from '@nestjs/common';
import { DossiersModule } from '../dossiers/dossiers.module';
import { HandoffsController } from './handoffs.controller';
import { HandoffsService } from './handoffs.service';
import { PartnerSignatureGuard } from './partner-signature.guard';

@Module({
  imports: [DossiersModule],
  controllers: [HandoffsController],
  providers: [HandoffsService, PartnerSignatureGuard],
})
export class HandoffsModule {}
