import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { SUBMISSION_STATES, type SubmissionState, UNIT_CODE_PATTERN } from '../../../../../libs/domain/src';
import { ApplicantDto, IntakeRequest, ProxyDto } from '../../dossiers/dto/intake.dto';
import { PageQueryDto } from '../../common/page.query';

/** An application submitted online: what intake takes, without the channel (it is online). */
export class SubmitRequest extends OmitType(IntakeRequest, ['channel'] as const) {}

/** Why the desk does not receive the application (printed on form 03, sent to the portal). */
export class RefuseSubmissionRequest {
  @ApiProperty({
    type: [String],
    example: ['Thủ tục không thuộc thẩm quyền giải quyết của Sở Nội vụ'],
    description: 'The reasons, each printed as a line of the refusal (form 03): not in scope, not eligible, …',
  })
  @ArrayMinSize(1, { message: 'reasons must state at least one reason' })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  reasons!: string[];
}

export const COUNTER_CHANNELS = ['IN_PERSON', 'POSTAL'] as const;

/** An applicant refused at the counter (in person, or a paper dossier by post): form 03, and no dossier. */
export class CounterRefusalRequest extends RefuseSubmissionRequest {
  @ApiProperty({ example: '2.000908', description: 'The procedure the applicant asked for' })
  @Matches(/^\d\.\d{6}(\.[0-9A-Z.]+)?$/, { message: 'procedureCode must be a national procedure code like 2.000908' })
  procedureCode!: string;

  @ApiProperty({ example: '000.00.20.H36', description: 'E-document code of the desk that refuses it' })
  @Matches(UNIT_CODE_PATTERN, { message: 'receivingUnitCode must be an e-document code like 000.00.20.H36' })
  receivingUnitCode!: string;

  @ApiProperty({ enum: COUNTER_CHANNELS })
  @IsIn(COUNTER_CHANNELS)
  channel!: (typeof COUNTER_CHANNELS)[number];

  @ApiProperty({ type: ApplicantDto })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant!: ApplicantDto;

  @ApiPropertyOptional({ type: ProxyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProxyDto)
  proxy?: ProxyDto;
}

export class ReceiveSubmissionRequest {}

export class SubmissionIdParam {
  @ApiProperty({ format: 'uuid', description: 'The application, as its submission answered' })
  @IsUUID('all', { message: 'id must be the id of a submission (a UUID)' })
  id!: string;
}

export class SubmissionListQuery extends PageQueryDto {
  @ApiPropertyOptional({
    enum: SUBMISSION_STATES,
    description: '`SUBMITTED`: the waiting list, first come first served; otherwise newest first',
  })
  @IsOptional()
  @IsIn(SUBMISSION_STATES)
  state?: SubmissionState;

  @ApiPropertyOptional({ description: 'The desk (receiving unit) it was submitted to' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: 'unit must be an e-document code like 000.00.20.H36' })
  unit?: string;
}
