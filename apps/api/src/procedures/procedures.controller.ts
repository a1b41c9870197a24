import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { type ProcedureDefinition } from '../../../../libs/domain/src';
import { CurrentPrincipal, Public, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { IsLocalDay } from '../common/local-day';
import { MAX_SQL_INTEGER } from '../common/validation.pipe';
import { CatalogView, ProcedureDefinitionView, ProcedureDetailView, PublishedView } from './procedure.view';
import { ProceduresService } from './procedures.service';

export class ProcedureCodeParam {
  @ApiProperty({ example: '2.000908', description: 'National procedure code' })
  @Matches(/^\d\.\d{6}$/, { message: 'code must be a national procedure code like 2.000908' })
  code!: string;
}

export class ProcedureQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'This version rather than the one in force' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'version must be a whole number' })
  @Min(1)
  @Max(MAX_SQL_INTEGER, { message: `version must not exceed ${MAX_SQL_INTEGER}` })
  version?: number;

  @ApiPropertyOptional({ example: '2026-03-16', description: 'The version in force on this day (default: today)' })
  @IsOptional()
  @IsLocalDay('on')
  on?: string;
}

@ApiTags('procedures')
@Controller({ path: 'procedures', version: '1' })
export class ProceduresController {
  constructor(private readonly procedures: ProceduresService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The catalog: every procedure with its versions and the one in force today' })
  @ApiOkResponse({ type: CatalogView })
  async list() {
    return { procedures: await this.procedures.list() };
  }

  @Public()
  @Get(':code')
  @ApiOperation({ summary: 'A procedure, its versions, and the full definition in force today (or ?version=, ?on=)' })
  @ApiOkResponse({ type: ProcedureDetailView })
  @ApiProblems(404, 422)
  async get(@Param() params: ProcedureCodeParam, @Query() query: ProcedureQuery) {
    const { procedure, version } = await this.procedures.get(params.code, query);
    return { ...procedure, version };
  }

  @Post()
  @ApiBearerAuth()
  @RequireRoles('ADMIN')
  @ApiBody({ type: ProcedureDefinitionView, description: 'A procedure with one version' })
  @ApiOperation({ summary: 'Publish a version (validated; a version used by a dossier is immutable)' })
  @ApiCreatedResponse({ type: PublishedView })
  @ApiProblems(401, 403, 409, 422)
  publish(@Body() body: ProcedureDefinition, @CurrentPrincipal() principal: Principal) {
    return this.procedures.publish(body, principal.officerId);
  }
}
