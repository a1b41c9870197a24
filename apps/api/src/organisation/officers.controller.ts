import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../../libs/domain/src';
import { ROLES } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { OrganisationService } from './organisation.service';

export class OfficersQuery {
  @ApiPropertyOptional({ example: '000.12.01.H36', description: 'Only officers of this unit' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: 'unit must be an e-document code like 000.00.20.H36' })
  unit?: string;

  @ApiPropertyOptional({ enum: ROLES, description: 'Only officers with this role' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: string;
}

export class OfficerView {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: string[];
  @ApiProperty({ type: [String] }) unitCodes!: string[];
}

export class OfficerList {
  @ApiProperty({ type: [OfficerView] }) items!: OfficerView[];
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller({ path: 'officers', version: '1' })
export class OfficersController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get()
  @ApiOperation({ summary: 'Active officers, by unit and role: who a step can be assigned to' })
  @ApiOkResponse({ type: OfficerList })
  @ApiProblems(401, 422)
  async list(@Query() query: OfficersQuery): Promise<OfficerList> {
    const officers = await this.organisation.officers(query);
    return {
      items: officers.map((o) => ({
        id: o.id,
        username: o.username,
        fullName: o.fullName,
        roles: o.roles,
        unitCodes: o.unitCodes,
      })),
    };
  }
}
