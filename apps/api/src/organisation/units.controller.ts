import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../../libs/domain/src';
import { OrganisationService, type UnitNode } from './organisation.service';

export class UnitCodeParam {
  @Matches(UNIT_CODE_PATTERN, { message: 'code must be an e-document code like 000.00.20.H36' })
  code!: string;
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller({ path: 'units', version: '1' })
export class UnitsController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get()
  @ApiOperation({ summary: 'The organisation tree with each unit’s head' })
  async list(): Promise<{ units: UnitNode[] }> {
    return { units: await this.organisation.roots() };
  }

  @Get(':code')
  @ApiOperation({ summary: 'One unit: head, parent and sub-units' })
  get(@Param() params: UnitCodeParam): Promise<UnitNode> {
    return this.organisation.unit(params.code);
  }
}
