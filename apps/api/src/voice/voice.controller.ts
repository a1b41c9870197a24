import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { Audited } from '../audit/audited.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { DossierCodeParam } from '../dossiers/dossiers.controller';
import { PetitionsService } from './petitions.service';
import { RatingsService } from './ratings.service';
import { DeskPetitionRequest, DossierVoiceView, PetitionView, RatingRequest, RatingView } from './voice.dto';

/** The officers' side of the citizens' voice: the dossier's rating and petitions, recorded at the desk. */
@ApiTags('citizens-voice')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ version: '1' })
export class VoiceController {
  constructor(
    private readonly ratings: RatingsService,
    private readonly petitions: PetitionsService,
  ) {}

  @Post('dossiers/:code/rating')
  @HttpCode(201)
  @RequireRoles('DESK_CLERK')
  @ApiOperation({
    summary:
      'Record the citizen’s rating of a returned dossier on their behalf (the desk of the receiving unit); once per dossier',
    description:
      'Not returned yet, already rated (by the citizen or the desk: the desk never overwrites a rating), or a petition → 409 INVALID_STATE naming the state',
  })
  @ApiCreatedResponse({ type: RatingView })
  @ApiProblems(403, 404, 409, 422)
  @Audited({ action: 'dossier.rate', purpose: 'recording the citizen’s rating' })
  rate(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DossierCodeParam,
    @Body() body: RatingRequest,
  ): Promise<RatingView> {
    return this.ratings.rateAtDesk(principal, params.code, body);
  }

  @Get('dossiers/:code/voice')
  @ApiOperation({
    summary: 'The citizens’ voice on a dossier: its rating, the petitions about it, what a petition is about',
  })
  @ApiOkResponse({ type: DossierVoiceView })
  @ApiProblems(404, 422)
  @Audited({ action: 'dossier.read', purpose: 'dossier processing', details: () => ({ part: 'voice' }) })
  voice(@CurrentPrincipal() principal: Principal, @Param() params: DossierCodeParam): Promise<DossierVoiceView> {
    return this.ratings.voice(principal, params.code);
  }

  @Post('petitions')
  @RequireRoles('DESK_CLERK')
  @ApiOperation({
    summary:
      'Receive a petition (phản ánh, kiến nghị) at the desk: a dossier of the petition procedure, routed to the head of the unit concerned',
    description:
      'About a dossier (its step, an officer): answered by the head of the step’s or officer’s unit, else of the dossier’s receiving unit',
  })
  @ApiCreatedResponse({ type: PetitionView, headers: { Location: { schema: { type: 'string' } } } })
  @ApiProblems(403, 404, 422)
  @Audited({
    action: 'dossier.receive',
    purpose: 'receiving a petition',
    dossier: (_request, view) => (view as PetitionView).code,
  })
  async file(
    @CurrentPrincipal() principal: Principal,
    @Body() body: DeskPetitionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PetitionView> {
    const view = await this.petitions.fileAtDesk(principal, body);
    res.status(201).location(`/api/v1/dossiers/${view.code}`);
    return view;
  }
}
