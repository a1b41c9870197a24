import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { type Response } from 'express';
import { OptionalPrincipal, Public, SignInOptional } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { ShutdownState } from '../infrastructure/graceful-shutdown';
import { type HealthReport, HealthService } from './health.service';
import { HealthReportView, LivenessView } from './health.view';

@ApiTags('health')
@Controller({ path: 'health', version: '1' })
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly shutdown: ShutdownState,
  ) {}

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the API process answers (no check, no detail)' })
  @ApiOkResponse({ type: LivenessView })
  live(): LivenessView {
    return { status: 'up' };
  }

  /**
   * Readiness for load balancers and probes (the status code, and `up`/`down`), with which dependency is down and
   * why only for a signed-in officer: versions, namespaces, queues and error texts are a map for an attacker.
   */
  @SignInOptional()
  @Get()
  @ApiSecurity({})
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Readiness of PostgreSQL, Temporal and the worker (503 when any is down); each component’s detail with an officer’s token',
  })
  @ApiOkResponse({ type: HealthReportView, description: 'Everything is up' })
  @ApiServiceUnavailableResponse({
    type: HealthReportView,
    description: 'A dependency is down (which and why: officers)',
  })
  @ApiProblems(401)
  async get(
    @OptionalPrincipal() principal: Principal | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HealthReport | Omit<HealthReport, 'components'>> {
    if (this.shutdown.draining) {
      // Stopping: out of the load balancer's rotation first, while the requests in flight are answered.
      res.status(503);
      return { status: 'down', checkedAt: new Date().toISOString() };
    }
    const report = await this.health.check();
    res.status(report.status === 'up' ? 200 : 503);
    return principal ? report : { status: report.status, checkedAt: report.checkedAt };
  }
}
