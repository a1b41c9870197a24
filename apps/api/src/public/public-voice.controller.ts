import { Body, Controller, HttpCode, Param, Post, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { Public } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems.decorator';
import { PetitionsService } from '../voice/petitions.service';
import { RatingsService } from '../voice/ratings.service';
import { PublicPetitionRequest, PublicPetitionView, PublicRatingRequest, PublicRatingView } from '../voice/voice.dto';
import { PublicLookupService } from './public-lookup.service';
import { PublicLookupThrottlerGuard } from './public-lookup.guard';

/**
 * The citizen's voice without an account: the rating of a returned dossier and a petition bound to a dossier, both
 * proved by the receipt's code and PIN (the lookup's check, its rate limits and its lock).
 */
@ApiTags('public')
@ApiProblems(404, 409, 422, 429)
@Controller({ path: 'public/v1', version: VERSION_NEUTRAL })
@Public()
@UseGuards(PublicLookupThrottlerGuard)
export class PublicVoiceController {
  constructor(
    private readonly lookup: PublicLookupService,
    private readonly ratings: RatingsService,
    private readonly petitions: PetitionsService,
  ) {}

  @Post('dossiers/:code/rating')
  @HttpCode(201)
  @ApiParam({ name: 'code', example: '000.00.20.H36-260316-0007', description: 'The dossier code on the receipt' })
  @ApiOperation({
    summary:
      'Rate how a returned dossier was handled (code + PIN from the receipt); once per dossier; a wrong PIN counts toward the lookup’s lock',
    description: 'Not returned yet, or already rated → 409 INVALID_STATE naming the state',
  })
  @ApiCreatedResponse({ type: PublicRatingView })
  async rate(@Param('code') code: string, @Body() body: PublicRatingRequest): Promise<PublicRatingView> {
    await this.lookup.checkPin(code, body.pin);
    const r = await this.ratings.rateAsCitizen(code, body);
    return { dossierCode: r.dossierCode, rating: r.rating, ratedAt: r.ratedAt.toISOString() };
  }

  @Post('petitions')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'File a petition (phản ánh, kiến nghị): about a dossier (its code and PIN) or to a unit; answered within the petition procedure’s deadline',
    description: 'The answer carries the petition’s own code and PIN, to look up its answer like any dossier',
  })
  @ApiCreatedResponse({ type: PublicPetitionView })
  async file(@Body() body: PublicPetitionRequest): Promise<PublicPetitionView> {
    if (body.dossierCode) {
      if (!body.pin) {
        throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'A petition about a dossier needs its PIN.', [
          { field: 'pin', message: 'required with dossierCode: the six digits printed on the receipt' },
        ]);
      }
      await this.lookup.checkPin(body.dossierCode, body.pin);
    }
    return this.petitions.filePublic(body);
  }
}
