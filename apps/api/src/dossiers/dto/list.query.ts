import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../../../libs/domain/src';
import { DOSSIER_STATES } from '../../../../../libs/domain/src';
import { IsLocalDay } from '../../common/local-day';
import { PageQueryDto } from '../../common/page.query';

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class DossierListQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'National status code 1–10' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  status?: number;

  @ApiPropertyOptional({ enum: ['RECEIVED', ...DOSSIER_STATES] })
  @IsOptional()
  @IsIn(['RECEIVED', ...DOSSIER_STATES])
  state?: string;

  @ApiPropertyOptional({ description: 'Receiving unit or the unit holding the current step' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: 'unit must be an e-document code like 000.00.20.H36' })
  unit?: string;

  @ApiPropertyOptional({ example: '2.000908' })
  @IsOptional()
  @Matches(/^\d\.\d{6}$/, { message: 'procedure must be a national procedure code like 2.000908' })
  procedure?: string;

  @ApiPropertyOptional({ description: 'Only dossiers past their due time and unfinished' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'Less than 1 working day left, not yet late' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'atRisk must be true or false' })
  atRisk?: boolean;

  @ApiPropertyOptional({ description: 'Part of the dossier code or the applicant name' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ description: "`me` for the caller's worklist, or an officer id" })
  @IsOptional()
  @Matches(/^(me|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'assignedTo must be "me" or an officer id',
  })
  assignedTo?: string;

  @ApiPropertyOptional({
    description: "Only dossiers whose current step nobody holds yet and that fit one of the caller's roles and units",
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'claimable must be true or false' })
  claimable?: boolean;

  @ApiPropertyOptional({ description: 'Received on or after this day (YYYY-MM-DD, in the deployment zone)' })
  @IsOptional()
  @IsLocalDay('receivedFrom', 'local')
  receivedFrom?: string;

  @ApiPropertyOptional({ description: 'Received on or before this day (YYYY-MM-DD, in the deployment zone)' })
  @IsOptional()
  @IsLocalDay('receivedTo', 'local, inclusive')
  receivedTo?: string;
}
