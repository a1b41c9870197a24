import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { type Readable } from 'node:stream';
import { type Response } from 'express';
import { AppConfig } from '../../../../libs/config/src';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal, ROLES } from '../auth/principal';
import { Audited } from '../audit/audited.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { DossierCodeParam } from '../dossiers/dossiers.controller';
import {
  AttachFileRequest,
  DossierFileListView,
  DossierFileParam,
  DossierFileView,
  ReusableFileListView,
  ReusableFilesRequest,
} from './file.view';
import { FilesService } from './files.service';
import { attachmentDisposition, SCAN_TYPES } from './scan-type';
import { ScanUploadInterceptor, type UploadedScan } from './scan-upload.interceptor';

const PROCESSING = 'dossier processing';
const OFFICERS_WHO_ACT = ROLES.filter((r) => r !== 'AUDITOR');

/** A stored file as the answer: its sniffed type, a safe name, and no sniffing by the browser. */
export function fileAnswer(
  res: Response,
  {
    file,
    stream,
  }: { file: { fileName: string; contentType: string; sizeBytes: number }; stream: NodeJS.ReadableStream },
): StreamableFile {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  return new StreamableFile(stream as Readable, {
    type: file.contentType,
    disposition: attachmentDisposition(file.fileName),
    length: Number(file.sizeBytes),
  });
}

export const ApiFileDownload = () =>
  applyDecorators(
    ApiProduces('application/pdf', 'image/jpeg', 'image/png'),
    ApiOkResponse({
      description: 'The file, as an attachment, with its sniffed type',
      content: {
        'application/pdf': { schema: { type: 'string', format: 'binary' } },
        'image/jpeg': { schema: { type: 'string', format: 'binary' } },
        'image/png': { schema: { type: 'string', format: 'binary' } },
      },
    }),
  );

/** Scans of a dossier's papers and of its result. */
@ApiTags('files')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'dossiers', version: '1' })
export class FilesController {
  constructor(
    private readonly files: FilesService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Post(':code/files')
  @RequireRoles(...OFFICERS_WHO_ACT)
  @UseInterceptors(ScanUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AttachFileRequest })
  @ApiOperation({
    summary:
      'Attach a scan: a paper handed in (the desk, while the dossier is open) or the result (once the last step is done)',
    description:
      'PDF, JPEG or PNG, checked by content; at most FILE_MAX_BYTES; SHA-256 recorded. A refused upload stores nothing. ' +
      'A result comes from the officer who completed the last step or the desk of the receiving unit; once returned, a ' +
      'new result names the one it `supersedes` (kept for officers, no longer served to the citizen).',
  })
  @ApiCreatedResponse({ type: DossierFileView })
  @ApiProblems(403, 404, 409, 422, 503)
  @Audited({
    action: 'dossier.file.attach',
    purpose: PROCESSING,
    details: (request, view) => ({
      file: (view as DossierFileView).id,
      kind: (view as DossierFileView).kind,
      sha256: (view as DossierFileView).sha256,
      ...((request.body as AttachFileRequest | undefined)?.supersedes
        ? { supersedes: (request.body as AttachFileRequest).supersedes }
        : {}),
    }),
  })
  attach(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DossierCodeParam,
    @Body() body: AttachFileRequest,
    @UploadedFile() scan: UploadedScan | undefined,
  ): Promise<DossierFileView> {
    return this.files.attach(principal, params.code, body, scan);
  }

  @Get(':code/files')
  @ApiOperation({
    summary: 'The scans of a dossier: papers (certified or not) and the result, with the limits of an upload',
  })
  @ApiOkResponse({ type: DossierFileListView })
  @ApiProblems(404, 422)
  @Audited({ action: 'dossier.files.list', purpose: PROCESSING })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DossierCodeParam,
  ): Promise<DossierFileListView> {
    return {
      items: await this.files.list(principal, params.code),
      maxBytes: this.config.FILE_MAX_BYTES,
      contentTypes: [...SCAN_TYPES],
    };
  }

  @Get(':code/files/:id')
  @ApiOperation({
    summary: 'Download a scan of a dossier the caller sees (410 once the retention job purged a paper’s bytes)',
  })
  @ApiFileDownload()
  @ApiProblems(404, 410, 422, 503)
  @Audited({ action: 'dossier.file.read', purpose: PROCESSING, details: (request) => ({ file: request.params.id }) })
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DossierFileParam,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    return fileAnswer(res, await this.files.download(principal, params.code, params.id));
  }

  @Post(':code/files/:id/certify')
  @HttpCode(200)
  @RequireRoles('DESK_CLERK')
  @ApiOperation({
    summary: 'Certify a scanned paper as the authenticated copy (who, when): the paper then counts as digitised',
  })
  @ApiOkResponse({ type: DossierFileView })
  @ApiProblems(403, 404, 409, 422)
  @Audited({ action: 'dossier.file.certify', purpose: PROCESSING, details: (request) => ({ file: request.params.id }) })
  certify(@CurrentPrincipal() principal: Principal, @Param() params: DossierFileParam): Promise<DossierFileView> {
    return this.files.certify(principal, params.code, params.id);
  }
}

/** What the desk may reuse at the next intake of an applicant instead of asking for the papers again. */
@ApiTags('files')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'applicants', version: '1' })
export class ApplicantFilesController {
  constructor(private readonly files: FilesService) {}

  @Post('reusable-files')
  @HttpCode(200)
  @RequireRoles('DESK_CLERK')
  @ApiOperation({
    summary:
      'Certified papers and results of the applicant’s earlier dossiers (same personal ID or tax code) in the caller’s units',
    description:
      'Name one at intake as `documents[].reuseFileId` instead of scanning the paper again. The ID number is sent in ' +
      'the body (a POST that changes nothing) so it never appears in a URL that proxies log.',
  })
  @ApiOkResponse({ type: ReusableFileListView })
  @ApiProblems(403, 422)
  @Audited({
    action: 'applicant.files.read',
    purpose: 'offering data already held for reuse',
    details: (_request, list) => ({
      files: (list as ReusableFileListView).items.map((f) => ({ file: f.id, dossier: f.dossierCode })),
    }),
  })
  async reusable(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ReusableFilesRequest,
  ): Promise<ReusableFileListView> {
    return { items: await this.files.reusable(principal, body.idNumber) };
  }
}
