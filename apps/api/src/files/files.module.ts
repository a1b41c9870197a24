import { Module } from '@nestjs/common';
import { DossiersModule } from '../dossiers/dossiers.module';
import { ApplicantFilesController, FilesController } from './files.controller';
import { FilesService } from './files.service';
import { ScanUploadInterceptor } from './scan-upload.interceptor';

/** Papers and results as files: upload, certify, download, reuse (the bytes behind the FileStorage port). */
@Module({
  imports: [DossiersModule],
  controllers: [FilesController, ApplicantFilesController],
  providers: [FilesService, ScanUploadInterceptor],
  exports: [FilesService],
})
export class FilesModule {}
