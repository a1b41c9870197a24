import { Body, Controller, Get, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { Audited } from '../audit/audited.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { ApiFileDownload, fileAnswer } from '../files/files.controller';
import { ScanUploadInterceptor, type UploadedScan } from '../files/scan-upload.interceptor';
import {
  AttachSubmissionFileRequest,
  SubmissionFileListView,
  SubmissionFileParam,
  SubmissionFileView,
} from './dto/submission-file.view';
import { SubmissionIdParam } from './dto/submission.dto';
import { SUBMISSION_MAX_FILES, SubmissionFilesService } from './submission-files.service';

const PURPOSE = 'checking an application before reception';

/** The scans an online application carries to the desk (they become the dossier's papers' files at reception). */
@ApiTags('submissions')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'submissions', version: '1' })
export class SubmissionFilesController {
  constructor(private readonly files: SubmissionFilesService) {}

  @Post(':id/files')
  @RequireRoles('AGENCY_SYSTEM')
  @UseInterceptors(ScanUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AttachSubmissionFileRequest })
  @ApiOperation({
    summary: 'The portal attaches the scan of a paper to the application it submitted, while it waits at the desk',
    description:
      `PDF, JPEG or PNG, checked by content; at most FILE_MAX_BYTES each and ${SUBMISSION_MAX_FILES} per application; ` +
      'SHA-256 recorded. Received, the files become the dossier’s (not certified until a clerk certifies them); ' +
      'refused, they are deleted. Decided already → 409.',
  })
  @ApiCreatedResponse({ type: SubmissionFileView })
  @ApiProblems(403, 404, 409, 422)
  @Audited({
    action: 'submission.file.attach',
    purpose: 'online application',
    details: (request, view) => ({
      submission: request.params.id,
      file: (view as SubmissionFileView).id,
      sha256: (view as SubmissionFileView).sha256,
    }),
  })
  attach(
    @CurrentPrincipal() principal: Principal,
    @Param() params: SubmissionIdParam,
    @Body() body: AttachSubmissionFileRequest,
    @UploadedFile() scan: UploadedScan | undefined,
  ): Promise<SubmissionFileView> {
    return this.files.attach(principal, params.id, body.documentCode, scan);
  }

  @Get(':id/files')
  @ApiOperation({
    summary: 'The scans a waiting application carries (none once it is decided: the dossier has them, or none)',
  })
  @ApiOkResponse({ type: SubmissionFileListView })
  @ApiProblems(404, 422)
  @Audited({
    action: 'submission.files.list',
    purpose: PURPOSE,
    details: (request) => ({ submission: request.params.id }),
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param() params: SubmissionIdParam,
  ): Promise<SubmissionFileListView> {
    return { items: await this.files.list(principal, params.id) };
  }

  @Get(':id/files/:fileId')
  @ApiOperation({ summary: 'Download a scan of a waiting application the caller sees' })
  @ApiFileDownload()
  @ApiProblems(404, 422)
  @Audited({
    action: 'submission.file.read',
    purpose: PURPOSE,
    details: (request) => ({ submission: request.params.id, file: request.params.fileId }),
  })
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param() params: SubmissionFileParam,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return fileAnswer(res, await this.files.download(principal, params.id, params.fileId));
  }
}
