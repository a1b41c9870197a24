import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { type HealthReport, HealthService } from './health.service';
import { HealthReportView } from './health.view';

@ApiTags('health')
@Controller({ path: 'health', version: '1' })
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness of PostgreSQL, Temporal and the worker (503 when any is down)' })
  @ApiOkResponse({ type: HealthReportView, description: 'Everything is up' })
  @ApiServiceUnavailableResponse({ type: HealthReportView, description: 'A dependency is down: which, and why' })
  async get(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'up' ? 200 : 503);
    return report;
  }
}
