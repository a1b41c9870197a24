import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { type DurationUnit } from '../../../../libs/calendar/src';

/** ISO 8601 with an explicit offset or Z: a bare local time would be ambiguous. */
const IsInstant = () =>
  Matches(/(Z|[+-]\d{2}:\d{2})$/, {
    message: '$property must be ISO 8601 with an offset, e.g. 2026-02-13T16:30:00+07:00',
  });

const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class DueQuery {
  @ApiProperty({ example: '2026-02-13T16:30:00+07:00' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  @IsInstant()
  from!: string;

  @ApiProperty({ example: 3, description: 'WD and WH in quarters (0.25), CD in whole days' })
  @Type(() => Number)
  @IsNumber({}, { message: 'amount must be a number' })
  @Min(0)
  @Max(3650)
  @ValidateBy({
    name: 'amountGranularity',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const unit = (args?.object as DueQuery).unit;
        return typeof value === 'number' && (unit === 'CD' ? Number.isInteger(value) : Number.isInteger(value * 4));
      },
      defaultMessage: (args?: ValidationArguments) =>
        (args?.object as DueQuery).unit === 'CD'
          ? 'amount in CD must be whole days'
          : 'amount must be a multiple of 0.25',
    },
  })
  amount!: number;

  @ApiProperty({ enum: ['WD', 'WH', 'CD'] })
  @IsIn(['WD', 'WH', 'CD'])
  unit!: DurationUnit;

  @ApiPropertyOptional({ example: 'VN', description: 'VN, a province code (H36) or a unit e-document code' })
  @IsOptional()
  @IsString()
  scope?: string;

  @ApiPropertyOptional({ description: 'Receipt in the last office hour counts from the next working day' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  lastOfficeHour?: boolean;

  @ApiPropertyOptional({
    example: '15:00',
    description: 'Receipt at or after this time counts from the next working day',
  })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'cutoffTime must be HH:MM' })
  cutoffTime?: string;
}

export class ElapsedQuery {
  @ApiProperty({ example: '2026-02-13T16:30:00+07:00' })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  @IsInstant()
  from!: string;

  @ApiProperty({ example: '2026-02-25T16:30:00+07:00' })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 instant' })
  @IsInstant()
  to!: string;

  @ApiPropertyOptional({ example: 'VN' })
  @IsOptional()
  @IsString()
  scope?: string;
}

export class CalendarDayDto {
  @ApiProperty({ example: '2026-02-16' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date!: string;

  @ApiProperty({ example: 'Tết Nguyên Đán' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class PutCalendarYearRequest {
  @ApiProperty({ type: [CalendarDayDto], description: 'Days off besides weekends' })
  @IsArray({ message: 'holidays must be a list of days (empty for none)' })
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  holidays!: CalendarDayDto[];

  @ApiProperty({ type: [CalendarDayDto], description: 'Make-up working days (làm bù), usually Saturdays' })
  @IsArray({ message: 'makeupWorkdays must be a list of days (empty for none)' })
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  makeupWorkdays!: CalendarDayDto[];

  @ApiPropertyOptional({ example: 'Thông báo số …/TB-BNV', description: 'The decision that fixed this schedule' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  legalBasis?: string;
}

export class CalendarPathParams {
  @ApiProperty({ example: 'VN', description: 'VN, a province code (H36) or a unit e-document code' })
  @IsString()
  @Length(2, 32)
  scope!: string;

  @ApiProperty({ example: 2026, minimum: 1970, maximum: 2200 })
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(1970)
  @Max(2200)
  year!: number;
}

export class PutCalendarYearQuery {
  @ApiPropertyOptional({
    description:
      'true: validate the body exactly as a save would and answer how many running dossiers it would re-project and ' +
      'which days it adds or removes, saving nothing',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  dryRun?: boolean;
}

export class CalendarChangesQuery {
  @ApiPropertyOptional({
    example: '2026-11-20T09:00:00+07:00',
    description: 'Only re-projections at or after this instant (e.g. the time of a save)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 instant' })
  @IsInstant()
  since?: string;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 200, description: 'At most this many, newest first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;
}
