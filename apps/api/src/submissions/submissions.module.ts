import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { DossiersModule } from '../dossiers/dossiers.module';
import { ScanUploadInterceptor } from '../files/scan-upload.interceptor';
import { OutboxModule } from '../outbox/outbox.module';
import { ProceduresModule } from '../procedures/procedures.module';
import { SubmissionAccess } from './submission-access';
import { SubmissionFilesController } from './submission-files.controller';
import { SubmissionFilesService } from './submission-files.service';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';

@Module({
  imports: [DossiersModule, OutboxModule, ProceduresModule, CalendarModule],
  controllers: [SubmissionsController, SubmissionFilesController],
  providers: [SubmissionsService, SubmissionAccess, SubmissionFilesService, ScanUploadInterceptor],
})
export class SubmissionsModule {}
