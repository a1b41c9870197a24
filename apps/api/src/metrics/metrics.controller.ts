import { Controller, Get, Headers, NotFoundException, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Response } from 'express';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { metricsAccess } from '../../../../libs/telemetry/src';
import { Public } from '../auth/auth.decorators';
import { ApiMetrics } from './api-metrics';

/** `GET /metrics` for Prometheus (outside `/api/v1` and the OpenAPI document: it is for the scraper, not clients). */
@ApiExcludeController()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(private readonly metrics: ApiMetrics) {}

  @Public()
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const access = metricsAccess(this.metrics.config, authorization);
    if (access === 'off') {
      throw new NotFoundException();
    }
    if (access === 'unauthorized') {
      throw new DomainException(DomainErrorCode.UNAUTHENTICATED, 'The metrics need the scraper’s bearer token.');
    }
    const text = await this.metrics.registry.metrics();
    res.status(200).type(this.metrics.registry.contentType).send(text);
  }
}
