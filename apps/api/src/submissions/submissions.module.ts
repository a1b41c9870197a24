import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DossiersModule } from '../dossiers/dossiers.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ProceduresModule } from '../procedures/procedures.module';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';

@Module({
  imports: [DossiersModule, OutboxModule, ProceduresModule, CalendarModule],
  controllers: [SubmissionsController],
  providers: [SubmissionsService],
})
export class SubmissionsModule {}
