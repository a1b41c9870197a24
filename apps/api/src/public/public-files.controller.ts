import {
  Body,
  Controller,
  HttpCode,
  Param,
  Post,
  Res,
  StreamableFile,
  UseGuards,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { IsString, IsUUID } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { Audited } from '../audit/audited.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { ApiFileDownload, fileAnswer } from '../files/files.controller';
import { PublicFileRequest } from '../files/file.view';
import { FilesService } from '../files/files.service';
import { PublicLookupService } from './public-lookup.service';
import { PublicLookupThrottlerGuard } from './public-lookup.guard';

export class PublicFileParam {
  @ApiProperty({ example: '000.00.20.H36-260316-0007', description: 'The dossier code on the receipt' })
  @IsString()
  code!: string;

  @ApiProperty({ format: 'uuid', description: 'A result file, as the lookup lists it (`resultFiles`)' })
  @IsUUID('all', { message: 'id must be the id of a result file of the dossier' })
  id!: string;
}

/** The citizen downloads the result (decision, licence) with the code and PIN of the receipt; nothing else. */
@ApiTags('public')
@ApiParam({ name: 'code', example: '000.00.20.H36-260316-0007', description: 'The dossier code on the receipt' })
@ApiProblems(404, 409, 422, 429)
@Controller({ path: 'public/v1/dossiers', version: VERSION_NEUTRAL })
@Public()
@UseGuards(PublicLookupThrottlerGuard)
export class PublicFilesController {
  constructor(
    private readonly lookup: PublicLookupService,
    private readonly files: FilesService,
  ) {}

  @Post(':code/files/:id')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Download a result file of the dossier (code + PIN from the receipt, the PIN in the body), once the result is returned; a paper, a superseded or not yet returned result, a wrong PIN or an unknown code: 404; counted like the lookup',
  })
  @ApiFileDownload()
  @ApiProblems(503)
  @Audited({
    action: 'dossier.file.read',
    purpose: 'the applicant downloads the result',
    details: (request) => ({ file: request.params.id, by: 'applicant (code + PIN)' }),
  })
  async download(
    @Param() params: PublicFileParam,
    @Body() body: PublicFileRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    await this.lookup.checkPin(params.code, body.pin);
    return fileAnswer(res, await this.files.downloadResult(params.code, params.id));
  }
}
