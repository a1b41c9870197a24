import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { type Response } from 'express';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators';
import { type Principal } from '../auth/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Audited } from '../audit/audited.decorator';
import {
  AttributionQueryDto,
  ClosePeriodDto,
  Index766QueryDto,
  OverdueQueryDto,
  PeriodQueryDto,
  ProgressDossiersQueryDto,
  ProgressMonthlyQueryDto,
  ProgressQueryDto,
  type ReportFormat,
  WorkListQueryDto,
} from './progress.query';
import { type ProgressReport } from '../../../../libs/reports/src';
import { progressCsv } from './progress.report';
import { progressXlsx, XLSX_TYPE } from './progress.xlsx';
import {
  AtRiskReportView,
  AttributionReportView,
  Index766ReportView,
  OverdueReportView,
  ProgressDossiersView,
  ProgressMonthlyView,
  ProgressReportView,
} from './report.view';
import { ReportsService } from './reports.service';
import { SatisfactionReportView } from './satisfaction.view';

/** The format asked for: `?format=`, else the Accept header, else JSON. */
function exportFormat(format: unknown, accept: string | undefined): ReportFormat {
  if (format === 'csv' || format === 'xlsx' || format === 'json') {
    return format;
  }
  return accept?.includes(XLSX_TYPE) ? 'xlsx' : accept?.includes('text/csv') ? 'csv' : 'json';
}

/** Heads' reports over their subtree; admins and auditors over any unit. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProblems(401, 403, 404, 422)
@Controller({ path: 'reports', version: '1' })
@RequireRoles('UNIT_HEAD', 'AGENCY_LEADER', 'DIVISION_HEAD', 'ADMIN', 'AUDITOR')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('progress')
  @ApiOperation({
    summary: 'The national progress table for a period, by unit, procedure or field',
    description: 'JSON, or CSV and xlsx with `?format=` or the `Accept` header',
  })
  @ApiExtraModels(ProgressReportView)
  @ApiOkResponse({
    description: 'The table as data, CSV (UTF-8 with a BOM) or an xlsx workbook',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ProgressReportView) } },
      'text/csv': { schema: { type: 'string' } },
      [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @Audited({
    action: 'report.export',
    purpose: 'statistical report',
    when: (request) => exportFormat(request.query.format, request.headers.accept) !== 'json',
    details: (request) => ({
      unit: request.query.unit,
      from: request.query.from,
      to: request.query.to,
      groupBy: request.query.groupBy,
      format: exportFormat(request.query.format, request.headers.accept),
    }),
  })
  async progress(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ProgressQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProgressReport | string | StreamableFile> {
    const report = await this.reports.progress(principal, query);
    const format = exportFormat(query.format, accept);
    const file = `tien-do-${report.unit.code}-${report.period.from}-${report.period.to}`;
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`${file}.csv`);
      return progressCsv(report);
    }
    if (format === 'xlsx') {
      return new StreamableFile(await progressXlsx(report), {
        type: XLSX_TYPE,
        disposition: `attachment; filename="${file}.xlsx"`,
      });
    }
    return report;
  }

  @Get('progress/dossiers')
  @ApiOperation({
    summary: 'The dossiers behind one figure of the progress table (drill-down): `total` equals the figure',
    description: 'Same unit, period and classification as GET /reports/progress; newest receipt first, paged',
  })
  @ApiOkResponse({ type: ProgressDossiersView })
  progressDossiers(@CurrentPrincipal() principal: Principal, @Query() query: ProgressDossiersQueryDto) {
    return this.reports.progressDossiers(principal, query);
  }

  @Get('progress/monthly')
  @ApiOperation({
    summary: 'The progress totals month by month over a period (each month as its own progress table publishes it)',
    description: 'Each calendar month the period meets, clipped to it, at most the last 24; closed months frozen',
  })
  @ApiOkResponse({ type: ProgressMonthlyView })
  progressMonthly(@CurrentPrincipal() principal: Principal, @Query() query: ProgressMonthlyQueryDto) {
    return this.reports.progressMonthly(principal, query);
  }

  @Post('closings')
  @HttpCode(201)
  @RequireRoles('UNIT_HEAD', 'AGENCY_LEADER', 'ADMIN')
  @ApiOperation({
    summary: 'Close a period for a unit: its progress figures are frozen and published; later facts become adjustments',
  })
  @ApiCreatedResponse({ type: ProgressReportView, description: 'The figures as published, frozen' })
  @ApiProblems(409)
  close(@CurrentPrincipal() principal: Principal, @Body() body: ClosePeriodDto): Promise<ProgressReport> {
    return this.reports.close(principal, body);
  }

  @Get('overdue')
  @ApiOperation({ summary: 'Dossiers late now in a unit’s subtree, by age in working days, with who holds each' })
  @ApiOkResponse({ type: OverdueReportView })
  overdue(@CurrentPrincipal() principal: Principal, @Query() query: OverdueQueryDto) {
    return this.reports.overdue(principal, query);
  }

  @Get('at-risk')
  @ApiOperation({ summary: 'Dossiers that will be late unless they move (time left below the remaining budgets)' })
  @ApiOkResponse({ type: AtRiskReportView })
  atRisk(@CurrentPrincipal() principal: Principal, @Query() query: WorkListQueryDto) {
    return this.reports.atRisk(principal, query);
  }

  @Get('attribution')
  @ApiOperation({ summary: 'Late working days by unit, step and officer over a period (only whoever held the step)' })
  @ApiOkResponse({ type: AttributionReportView })
  attribution(@CurrentPrincipal() principal: Principal, @Query() query: AttributionQueryDto) {
    return this.reports.attribution(principal, query);
  }

  @Get('satisfaction')
  @ApiOperation({
    summary:
      'Citizens’ ratings over a period by unit, procedure and officer, and the share of petitions answered on time',
  })
  @ApiOkResponse({ type: SatisfactionReportView })
  satisfaction(@CurrentPrincipal() principal: Principal, @Query() query: PeriodQueryDto) {
    return this.reports.satisfaction(principal, query);
  }

  @Get('index-766')
  @ApiOperation({ summary: 'The Decision 766 indicators the engine computes from its own data, for a period' })
  @ApiOkResponse({ type: Index766ReportView })
  index766(@CurrentPrincipal() principal: Principal, @Query() query: Index766QueryDto) {
    return this.reports.index766(principal, query);
  }
}
