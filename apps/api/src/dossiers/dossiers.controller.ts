import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Matches } from 'class-validator';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { DossiersService } from './dossiers.service';
import { DossierView } from './dto/dossier.view';
import { IntakeRequest, ReturnResultRequest } from './dto/intake.dto';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Retrying with the same key and body returns the first result; another body gets 409',
};

export class DossierCodeParam {
  @Matches(/^[0-9A-Z.]+-\d{6}-[0-9A-Z]{4,}$/, { message: 'code must be a dossier code like 000.00.20.H36-260316-0007' })
  code!: string;
}

@ApiTags('dossiers')
@ApiBearerAuth()
@Controller({ path: 'dossiers', version: '1' })
export class DossiersController {
  constructor(private readonly dossiers: DossiersService) {}

  @Post()
  @RequireRoles('DESK_CLERK', 'AGENCY_SYSTEM')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Receive a dossier: stores it with its code and starts its processing' })
  async receive(
    @CurrentPrincipal() principal: Principal,
    @Body() body: IntakeRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DossierView> {
    const { view, replayed } = await this.dossiers.receive(principal, body, idempotencyKey);
    res.status(201).location(`/api/v1/dossiers/${view.code}`);
    if (replayed) {
      res.setHeader('Idempotent-Replayed', 'true');
    }
    return view;
  }

  @Get(':code')
  @ApiOperation({ summary: 'A dossier: state, national status and history' })
  get(@CurrentPrincipal() principal: Principal, @Param() params: DossierCodeParam): Promise<DossierView> {
    return this.dossiers.get(principal, params.code);
  }

  @Post(':code/actions/return-result')
  @HttpCode(200)
  @RequireRoles('DESK_CLERK')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiOperation({ summary: 'Return the result to the applicant (the workflow checks the state)' })
  returnResult(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DossierCodeParam,
    @Body() body: ReturnResultRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<DossierView> {
    return this.dossiers.returnResult(principal, params.code, body, idempotencyKey);
  }
}
