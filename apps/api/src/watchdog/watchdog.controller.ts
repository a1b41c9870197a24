import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WatchdogStore } from '../../../../libs/persistence/src';
import { RequireRoles } from '../auth/auth.decorators';
import { ApiProblems } from '../common/api-problems.decorator';
import { WatchdogFindingsQuery } from './watchdog.query';
import { WatchdogFindingsView } from './watchdog.view';

/** What the deadline watchdog found when it compared PostgreSQL with the workflows, for administrators and auditors. */
@ApiTags('watchdog')
@ApiBearerAuth()
@ApiProblems(401, 403, 422)
@Controller({ path: 'watchdog', version: '1' })
@RequireRoles('ADMIN', 'AUDITOR')
export class WatchdogController {
  constructor(private readonly watchdog: WatchdogStore) {}

  @Get('findings')
  @ApiOperation({
    summary:
      'Findings of the deadline watchdog (a dossier whose workflow is missing or closed, a due time that differs, an ' +
      'outbox message stuck past its lease), repaired or flagged, with counts by kind',
  })
  @ApiOkResponse({ type: WatchdogFindingsView })
  async findings(@Query() query: WatchdogFindingsQuery): Promise<WatchdogFindingsView> {
    const [counts, findings] = await Promise.all([
      this.watchdog.countsByKind(),
      this.watchdog.findings(query.limit ?? 100, query.kind),
    ]);
    return {
      counts,
      findings: findings.map((f) => ({
        ...f,
        firstSeenAt: f.firstSeenAt.toISOString(),
        lastSeenAt: f.lastSeenAt.toISOString(),
      })),
    };
  }
}
