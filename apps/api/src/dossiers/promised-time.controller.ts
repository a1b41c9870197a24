import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../../libs/domain/src';
import { CurrentPrincipal } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { IntakeService } from './intake.service';

export class ProcedureCodeParam {
  @ApiProperty({ example: '2.000908', description: 'The procedure code of the national catalog' })
  @IsString()
  @Length(1, 32)
  code!: string;
}

export class PromisedTimeQuery {
  @ApiProperty({ example: '000.00.20.H36', description: 'The unit that would receive the dossier' })
  @Matches(UNIT_CODE_PATTERN, { message: 'receivingUnitCode must be an e-document code like 000.00.20.H36' })
  receivingUnitCode!: string;

  @ApiPropertyOptional({ description: 'The case of the procedure, when it has several' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  caseCode?: string;
}

export class ProcessingTimeView {
  @ApiProperty({ example: 15 }) amount!: number;
  @ApiProperty({ enum: ['WD', 'WH', 'CD'] }) unit!: string;
}

export class PromisedTimeView {
  @ApiProperty() procedureCode!: string;
  @ApiProperty() caseCode!: string;
  @ApiProperty({ description: 'Now: the instant the dossier would be received' }) receivedAt!: string;
  @ApiProperty({ description: 'Where counting starts (the next working day after office hours or the cut-off)' })
  anchorAt!: string;
  @ApiProperty({ description: 'The return time the receipt would promise' }) promisedAt!: string;
  @ApiProperty({ type: ProcessingTimeView }) processingTime!: ProcessingTimeView;
  @ApiProperty({ description: 'How the promised time follows, in Vietnamese' }) explanation!: string;
}

/** What intake would promise if the dossier were received now: the desk shows it before saving. */
@ApiTags('procedures')
@ApiBearerAuth()
@Controller({ path: 'procedures', version: '1' })
export class PromisedTimeController {
  constructor(private readonly intake: IntakeService) {}

  @Get(':code/promised-time')
  @ApiOperation({
    summary: 'The return time a receipt would promise if the dossier were received now (cut-off and calendar applied)',
  })
  @ApiOkResponse({ type: PromisedTimeView })
  @ApiProblems(401, 403, 422)
  promisedTime(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ProcedureCodeParam,
    @Query() query: PromisedTimeQuery,
  ): Promise<PromisedTimeView> {
    return this.intake.promisedTime(principal, params.code, query.receivingUnitCode, query.caseCode);
  }
}
