import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../../libs/domain/src';
import { ApiProblems } from '../common/api-problems.decorator';
import { OrganisationService, type UnitNode } from './organisation.service';
import { UnitNodeView, UnitTreeView } from './unit.view';

export class UnitCodeParam {
  @ApiProperty({ example: '000.00.20.H36', description: 'E-document code of the unit' })
  @Matches(UNIT_CODE_PATTERN, { message: 'code must be an e-document code like 000.00.20.H36' })
  code!: string;
}

@ApiTags('organisation')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'units', version: '1' })
export class UnitsController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get()
  @ApiOperation({ summary: 'The organisation tree with each unit’s head' })
  @ApiOkResponse({ type: UnitTreeView })
  async list(): Promise<{ units: UnitNode[] }> {
    return { units: await this.organisation.roots() };
  }

  @Get(':code')
  @ApiOperation({ summary: 'One unit: head, parent and sub-units' })
  @ApiOkResponse({ type: UnitNodeView })
  @ApiProblems(404, 422)
  get(@Param() params: UnitCodeParam): Promise<UnitNode> {
    return this.organisation.unit(params.code);
  }
}
