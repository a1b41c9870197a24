import { Audited } from '../audit/audited.decorator';
import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { Public } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems.decorator';
import { PetitionsService } from '../voice/petitions.service';
import { RatingsService } from '../voice/ratings.service';
import {
  PetitionChallengeView,
  PublicPetitionRequest,
  PublicPetitionView,
  PublicRatingRequest,
  PublicRatingView,
} from '../voice/voice.dto';
import { PublicPetitionGate } from './public-petition-gate';
import { PublicLookupService } from './public-lookup.service';
import { PublicLookupThrottlerGuard } from './public-lookup.guard';

/**
 * The citizen's voice without an account: the rating of a returned dossier, proved by the receipt's code and PIN (the
 * lookup's check, its rate limits and its lock), and petitions, each with a proof of work and a daily cap per client
 * and unit (PublicPetitionGate), bound to a dossier only by its code and PIN.
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
    private readonly gate: PublicPetitionGate,
  ) {}

  @Post('dossiers/:code/rating')
  @HttpCode(201)
  @ApiParam({ name: 'code', example: '000.00.20.H36-260316-0007', description: 'The dossier code on the receipt' })
  @ApiOperation({
    summary:
      'Rate how a returned dossier was handled (code + PIN from the receipt); once per dossier; a wrong PIN counts toward the lookup’s lock',
    description:
      'Supersedes a rating the desk recorded on the citizen’s behalf (kept in the history, audited). Not returned yet, already rated by the citizen, or a petition → 409 INVALID_STATE naming the state',
  })
  @ApiCreatedResponse({ type: PublicRatingView })
  @Audited({
    action: 'dossier.rate',
    purpose: 'the applicant rates the service',
    details: () => ({ by: 'applicant (code + PIN)' }),
  })
  async rate(
    @Param('code') code: string,
    @Body() body: PublicRatingRequest,
    @Req() req: Request,
  ): Promise<PublicRatingView> {
    await this.lookup.checkPin(code, body.pin);
    const r = await this.ratings.rateAsCitizen(code, body, req.ip ?? null);
    return { dossierCode: r.dossierCode, rating: r.rating, ratedAt: r.ratedAt.toISOString() };
  }

  @Get('petitions/challenge')
  @ApiOperation({
    summary: 'A proof-of-work challenge to file one public petition with (no captcha service is used)',
    description:
      'Find a nonce (at most 64 characters) such that SHA-256 of "<challenge>:<nonce>" (UTF-8) starts with `bits` zero bits, before `expiresAt`; each challenge files one petition',
  })
  @ApiOkResponse({ type: PetitionChallengeView })
  challenge(): PetitionChallengeView {
    const c = this.gate.challenge();
    return {
      challenge: c.challenge,
      bits: c.bits,
      expiresAt: c.expiresAt.toISOString(),
      algorithm: 'sha256-leading-zero-bits',
    };
  }

  @Post('petitions')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'File a petition (phản ánh, kiến nghị): about a dossier (its code and PIN) or to a unit; answered within the petition procedure’s deadline',
    description:
      'Needs the proof of work on a challenge of GET /public/v1/petitions/challenge (422 naming `proof` when missing, wrong, expired or used before). ' +
      'At most PUBLIC_PETITIONS_PER_CLIENT_PER_UNIT_PER_DAY petitions per client address and unit in 24 hours: past it 429 TOO_MANY_REQUESTS with `rule` and Retry-After, nothing stored. ' +
      'A dossierCode without its PIN binds nothing: the petition goes to `unitCode` with the code quoted in its text. ' +
      'The answer carries the petition’s own code and PIN, to look up its answer like any dossier',
  })
  @ApiCreatedResponse({ type: PublicPetitionView })
  @Audited({
    action: 'petition.file',
    purpose: 'a citizen files a petition',
    // The petition is a dossier of its own; what it is about, never the petitioner's name.
    dossier: (_request, result) => (result as PublicPetitionView).code,
    details: (_request, result) => ({
      by: 'citizen (public)',
      about: (result as PublicPetitionView).aboutDossierCode,
      unit: (result as PublicPetitionView).responsibleUnitCode,
    }),
  })
  async file(
    @Body() body: PublicPetitionRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicPetitionView> {
    this.gate.checkWork(body.proof);
    // Bound to a dossier only by its code and PIN (counted toward the lookup's lock like any PIN).
    const dossier = body.dossierCode && body.pin ? await this.lookup.verifiedDossier(body.dossierCode, body.pin) : null;
    const unit = dossier?.receivingUnitCode ?? body.unitCode;
    if (!unit) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'A petition names its unit or its dossier’s PIN.', [
        {
          field: 'unitCode',
          message: 'required when the petition is bound to no dossier (dossierCode with its pin)',
        },
      ]);
    }
    try {
      await this.gate.countPetition(req.ip ?? 'unknown', unit);
    } catch (e) {
      if (e instanceof DomainException && typeof e.details.retryAfterSeconds === 'number') {
        res.header('Retry-After', String(e.details.retryAfterSeconds));
      }
      throw e;
    }
    await this.gate.spend(body.proof.challenge);
    return this.petitions.filePublic(body, dossier);
  }
}
