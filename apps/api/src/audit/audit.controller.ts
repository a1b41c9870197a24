import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditStore } from '../../../../libs/persistence/src';
import { RequireRoles } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems.decorator';
import { AuditVerificationView } from './audit.view';

/** The audit trail of personal data, for the inspectorate. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiProblems(401, 403)
@Controller({ path: 'audit', version: '1' })
@RequireRoles('AUDITOR')
export class AuditController {
  constructor(private readonly audit: AuditStore) {}

  @Get('verify')
  @ApiOperation({
    summary:
      'Walks the audit trail’s hash chain from its first row and names the first row that was changed or removed',
  })
  @ApiOkResponse({ type: AuditVerificationView })
  verify(): Promise<AuditVerificationView> {
    return this.audit.verify();
  }
}
