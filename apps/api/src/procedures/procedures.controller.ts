import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Min } from 'class-validator';
import { type ProcedureDefinition } from '../../../../libs/domain/src';
import { CurrentPrincipal, Public, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ProceduresService } from './procedures.service';

export class ProcedureCodeParam {
  @Matches(/^\d\.\d{6}$/, { message: 'code must be a national procedure code like 2.000908' })
  code!: string;
}

export class ProcedureQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'version must be a whole number' })
  @Min(1)
  version?: number;

  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'on must be a date YYYY-MM-DD' })
  on?: string;
}

@ApiTags('procedures')
@Controller({ path: 'procedures', version: '1' })
export class ProceduresController {
  constructor(private readonly procedures: ProceduresService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The catalog: every procedure with its versions and the one in force today' })
  async list() {
    return { procedures: await this.procedures.list() };
  }

  @Public()
  @Get(':code')
  @ApiOperation({ summary: 'A procedure, its versions, and the full definition in force today (or ?version=, ?on=)' })
  async get(@Param() params: ProcedureCodeParam, @Query() query: ProcedureQuery) {
    const { procedure, version } = await this.procedures.get(params.code, query);
    return { ...procedure, version };
  }

  @Post()
  @ApiBearerAuth()
  @RequireRoles('ADMIN')
  @ApiBody({ description: 'A procedure with one version (see libs/domain/src/procedure/procedure.types.ts)' })
  @ApiOperation({ summary: 'Publish a version (validated; a version used by a dossier is immutable)' })
  publish(@Body() body: ProcedureDefinition, @CurrentPrincipal() principal: Principal) {
    return this.procedures.publish(body, principal.officerId);
  }
}
