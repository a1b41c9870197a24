import { Controller, Get, Headers, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../../libs/domain/src';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiJsonOrPdf } from '../common/api-json-or-pdf.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Audited } from '../audit/audited.decorator';
import { IsLocalDay } from '../common/local-day';
import { REGISTER_MAX_DAYS, REGISTER_ROLES, RegisterService } from './register.service';
import { RegisterView } from './register.view';

export class RegisterQuery {
  @ApiProperty({ example: '000.00.20.H36', description: 'The receiving unit' })
  @Matches(UNIT_CODE_PATTERN, { message: 'unit must be an e-document code like 000.00.20.H36' })
  unit!: string;

  @ApiProperty({ example: '2026-03-01', description: 'First day (local)' })
  @IsLocalDay('from', 'local')
  from!: string;

  @ApiProperty({
    example: '2026-03-31',
    description: `Last day, inclusive (local); at most ${REGISTER_MAX_DAYS} days from the first`,
  })
  @IsLocalDay('to', 'local, inclusive')
  to!: string;
}

/** Sổ theo dõi hồ sơ (form 07): every dossier a unit received in a period. */
@ApiTags('dossiers')
@ApiBearerAuth()
@ApiProblems(401)
@Controller({ path: 'register', version: '1' })
export class RegisterController {
  constructor(private readonly registers: RegisterService) {}

  @Get()
  @RequireRoles(...REGISTER_ROLES)
  @ApiOperation({
    summary: 'The dossier register of a unit (form 07), JSON or PDF with `Accept: application/pdf`',
    description: `Names, addresses and phones of every applicant of the period: for ${REGISTER_ROLES.join(', ')} only, at most ${REGISTER_MAX_DAYS} days at a time.`,
  })
  @ApiJsonOrPdf(RegisterView, 'The register as data, or its PDF')
  @ApiProblems(403, 404, 422)
  @Audited({
    action: 'register.read',
    purpose: 'the dossier register (form 07)',
    details: (request) => ({
      unit: request.query.unit,
      from: request.query.from,
      to: request.query.to,
      format: request.headers.accept?.includes('application/pdf') ? 'pdf' : 'json',
    }),
  })
  async register(
    @CurrentPrincipal() principal: Principal,
    @Query() query: RegisterQuery,
    @Headers('accept') accept: string | undefined,
  ): Promise<unknown> {
    const result = await this.registers.register(principal, query, accept?.includes('application/pdf') === true);
    // Returned, not sent: the audit row is written before the register leaves.
    return 'body' in result ? result.body : new StreamableFile(result.pdf, { type: 'application/pdf' });
  }
}
