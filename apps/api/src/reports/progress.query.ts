import { ApiPropertyOptional, ApiProperty, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ON_TIME_FORMULAS, type OnTimeFormula, UNIT_CODE_PATTERN } from '../../../../libs/domain/src';
import {
  PROGRESS_FIGURES,
  PROGRESS_GROUPS,
  type ProgressFigure,
  type ProgressGroup,
} from '../../../../libs/persistence/src';
import { IsLocalDay } from '../common/local-day';
import { MAX_SQL_INTEGER } from '../common/validation.pipe';
import { OVERDUE_BUCKETS } from './work-lists';

export const REPORT_SOURCES = ['facts', 'rollups'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];
export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A period of whole local days, first and last inclusive. */
export class PeriodQueryDto {
  @ApiProperty({ description: 'First day of the period (local date)', example: '2019-10-01' })
  @IsLocalDay('from', 'local')
  from!: string;

  @ApiProperty({ description: 'Last day of the period, inclusive (local date)', example: '2019-10-31' })
  @IsLocalDay('to', 'local, inclusive')
  to!: string;

  @ApiPropertyOptional({ description: 'The unit whose subtree is counted (default: the caller’s first unit)' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: 'unit must be an e-document code like 000.00.20.H36' })
  unit?: string;
}

export class ProgressQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: PROGRESS_GROUPS, default: 'unit' })
  @IsOptional()
  @IsIn(PROGRESS_GROUPS)
  groupBy: ProgressGroup = 'unit';

  @ApiPropertyOptional({ enum: ON_TIME_FORMULAS, description: 'On-time rate formula (default: the deployment’s)' })
  @IsOptional()
  @IsIn(ON_TIME_FORMULAS)
  formula?: OnTimeFormula;

  @ApiPropertyOptional({
    enum: REPORT_SOURCES,
    default: 'facts',
    description: 'facts: exact now; rollups: as of the last scheduled refresh, by unit only, faster',
  })
  @IsOptional()
  @IsIn(REPORT_SOURCES)
  source: ReportSource = 'facts';

  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'Or send Accept: text/csv or the xlsx media type' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

/** The progress totals month by month over a period (at most the last 24 months of it). */
export class ProgressMonthlyQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: ON_TIME_FORMULAS, description: 'On-time rate formula (default: the deployment’s)' })
  @IsOptional()
  @IsIn(ON_TIME_FORMULAS)
  formula?: OnTimeFormula;
}

/** Closing a period: the unit (default: the caller's first) and its first and last day. */
export class ClosePeriodDto extends PeriodQueryDto {}

/** Lists of what is late or at risk now, over a unit's subtree (default: the caller's first unit). */
export class WorkListQueryDto extends PickType(PeriodQueryDto, ['unit'] as const) {}

/** What is late now, optionally one age bucket of it. */
export class OverdueQueryDto extends WorkListQueryDto {
  @ApiPropertyOptional({
    description: 'Only the dossiers of one age bucket (its index in `buckets`, 0 = the least overdue)',
    minimum: 0,
    maximum: OVERDUE_BUCKETS.length - 1,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'age must be a whole number: the index of an age bucket' })
  @Min(0, { message: `age must be between 0 and ${OVERDUE_BUCKETS.length - 1}` })
  @Max(OVERDUE_BUCKETS.length - 1, { message: `age must be between 0 and ${OVERDUE_BUCKETS.length - 1}` })
  age?: number;
}

/** Late working days by unit and step over a period. */
export class AttributionQueryDto extends PeriodQueryDto {}

/** The 766 indicators over a period; the averages by procedure are the slow part, and optional. */
export class Index766QueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'true',
    description: 'false: the indicators only, without the average processing time per procedure (a dashboard)',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'averages must be true or false' })
  averages?: 'true' | 'false';
}

/** The dossiers behind one figure of the progress table (the drill-down of a dashboard tile). */
export class ProgressDossiersQueryDto extends PeriodQueryDto {
  @ApiProperty({
    enum: PROGRESS_FIGURES,
    description:
      'A column of the progress table (`new` = the three channels, `inProgress` = within deadline + overdue, ' +
      '`paused` = both pauses, `resolved` = early + on time + late, `lateWithApology` = the late ones with an apology ' +
      'letter)',
  })
  @IsIn(PROGRESS_FIGURES)
  figure!: ProgressFigure;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SQL_INTEGER, { message: `offset must not exceed ${MAX_SQL_INTEGER}` })
  offset: number = 0;
}
