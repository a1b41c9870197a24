import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { WATCHDOG_FINDING_KINDS, type WatchdogFindingKind } from '../../../../libs/persistence/src';

export class WatchdogFindingsQuery {
  @ApiPropertyOptional({ enum: WATCHDOG_FINDING_KINDS, description: 'Only findings of this kind' })
  @IsOptional()
  @IsIn(WATCHDOG_FINDING_KINDS)
  kind?: WatchdogFindingKind;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
