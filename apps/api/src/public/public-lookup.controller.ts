import { Controller, Get, Param, Query, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { PublicLookupService } from './public-lookup.service';
import { PublicLookupQuery, PublicDossierStatus } from './public-lookup.dto';
import { PublicLookupThrottlerGuard } from './public-lookup.guard';

/** The citizen's status lookup: the dossier code and the PIN printed on the receipt, nothing personal back. */
@ApiTags('public')
@Controller({ path: 'public/v1/dossiers', version: VERSION_NEUTRAL })
@Public()
@UseGuards(PublicLookupThrottlerGuard)
export class PublicLookupController {
  constructor(private readonly lookup: PublicLookupService) {}

  @Get(':code')
  @ApiOperation({
    summary: 'Status of a dossier for its applicant (code + PIN from the receipt); rate limited',
  })
  @ApiOkResponse({ type: PublicDossierStatus })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this client or for this dossier' })
  status(@Param('code') code: string, @Query() query: PublicLookupQuery): Promise<PublicDossierStatus> {
    return this.lookup.status(code, query.pin);
  }
}
