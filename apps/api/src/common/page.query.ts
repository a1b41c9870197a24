import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_SQL_INTEGER } from './validation.pipe';

/** A page of a list: at most 500 rows, from an offset the database can take. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SQL_INTEGER, { message: `offset must not exceed ${MAX_SQL_INTEGER}` })
  offset?: number;
}
