import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../../../libs/domain/src';
import { HANDOFF_CALLBACK_KINDS, type HandoffCallbackKind } from '../../../../../libs/domain/src';
import { ApplicantDto, HandedDocumentDto } from '../../dossiers/dto/intake.dto';
import { DurationView } from '../../procedures/procedure.view';

export class HandoffSegmentDto {
  @ApiProperty({ example: 'POLICE', description: 'The segment of the connected procedure handed over' })
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'code must be a segment code of the procedure' })
  code!: string;

  @ApiProperty({ example: 'Cấp Giấy chứng nhận đủ điều kiện về an ninh, trật tự' })
  @IsString()
  @Length(1, 500)
  name!: string;

  @ApiProperty({ example: '000.00.05.H36', description: 'The agency that owns the segment (a unit here)' })
  @Matches(UNIT_CODE_PATTERN, { message: 'agency must be an e-document code like 000.00.05.H36' })
  agency!: string;

  @ApiPropertyOptional({ type: DurationView, description: "The segment's share of the deadline" })
  @IsOptional()
  @IsObject()
  budget?: { amount: number; unit: string };
}

/** A step the agencies before did, for the control sheet. */
export class HandoffResultDto {
  @ApiProperty({ description: 'Step code' })
  @IsString()
  code!: string;

  @ApiProperty()
  @IsString()
  name!: string;

  @ApiProperty({ description: 'The unit that did it' })
  @IsString()
  unit!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  completedAt!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Who did it' })
  @IsOptional()
  @IsString()
  by!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  note!: string | null;
}

/** A partner's system hands a segment of one of its dossiers to us (signed). */
export class HandoffPackageDto {
  @ApiProperty({ description: "The partner's hand-off ID: a retry with the same one creates nothing new" })
  @IsUUID(undefined, { message: 'handoffId must be a UUID' })
  handoffId!: string;

  @ApiProperty({ example: '000.31.01.H36-300506-0001', description: "The dossier's code in the partner's system" })
  @Matches(/^[0-9A-Za-z.-]{1,64}$/, { message: 'originDossierCode must be a dossier code' })
  originDossierCode!: string;

  @ApiProperty({ example: '1.014390' })
  @Matches(/^\d\.\d{6}(\.[0-9A-Z.]+)?$/, { message: 'procedureCode must be a national procedure code like 1.014390' })
  procedureCode!: string;

  @ApiPropertyOptional({ example: 'default' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'caseCode must be a case code of the procedure' })
  caseCode?: string;

  @ApiProperty({ type: HandoffSegmentDto })
  @IsObject({ message: 'segment must be an object: code, name, agency' })
  @ValidateNested()
  @Type(() => HandoffSegmentDto)
  segment!: HandoffSegmentDto;

  @ApiProperty({ description: 'When the partner handed it over' })
  @IsISO8601({ strict: true }, { message: 'handedOverAt must be an ISO 8601 instant' })
  handedOverAt!: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "The segment's due time in the partner's reckoning",
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'dueAt must be an ISO 8601 instant' })
  dueAt?: string | null;

  @ApiPropertyOptional({ description: 'When the applicant filed the dossier at the partner' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'receivedAt must be an ISO 8601 instant' })
  receivedAt?: string;

  @ApiPropertyOptional({ description: 'How the applicant filed it at the partner' })
  @IsOptional()
  @IsString()
  channel?: string;

  @ApiPropertyOptional({ description: "Our system's ID as the partner knows it" })
  @IsOptional()
  @IsString()
  partner?: string;

  @ApiProperty({ type: ApplicantDto })
  @IsObject({ message: 'applicant must be an object: type, idNumber, name…' })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant!: ApplicantDto;

  @ApiProperty({ type: [HandedDocumentDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => HandedDocumentDto)
  documents!: HandedDocumentDto[];

  @ApiPropertyOptional({ type: [HandoffResultDto], description: 'Steps done by the agencies before' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => HandoffResultDto)
  results?: HandoffResultDto[];
}

/** The hand-off a callback or notice is about, as its body names it: it must be the path's (signed together). */
class HandoffReferenceDto {
  @ApiProperty({ format: 'uuid', description: 'The hand-off this message is about: the same ID as in the path' })
  @IsUUID(undefined, { message: 'handoffId must be a UUID' })
  handoffId!: string;
}

/** A partner's answer about a segment we handed to it (signed). */
export class HandoffCallbackDto extends HandoffReferenceDto {
  @ApiProperty({ description: "The partner's ID of this answer: a retry with the same one changes nothing" })
  @Matches(/^[0-9A-Za-z.:_-]{1,128}$/, { message: 'callbackId must be 1-128 letters, digits or .:_-' })
  callbackId!: string;

  @ApiProperty({ enum: HANDOFF_CALLBACK_KINDS })
  @IsIn(HANDOFF_CALLBACK_KINDS)
  kind!: HandoffCallbackKind;

  @ApiProperty({ description: 'When it happened at the partner' })
  @IsISO8601({ strict: true }, { message: 'reportedAt must be an ISO 8601 instant' })
  reportedAt!: string;

  @ApiPropertyOptional({ description: "The dossier's code in the partner's system" })
  @IsOptional()
  @Matches(/^[0-9A-Za-z.-]{1,64}$/, { message: 'partnerDossierCode must be a dossier code' })
  partnerDossierCode?: string;

  @ApiPropertyOptional({ type: [String], description: 'SUPPLEMENT_REQUESTED: what the applicant must add' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  items?: string[];

  @ApiPropertyOptional({ description: "SUPPLEMENT_REQUESTED: the reason; RESULT: the decision's summary" })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;

  @ApiPropertyOptional({ type: [String], description: 'REFUSED: the reasons' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  reasons?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'RESULT: what was decided (numbers, steps), kept on the control sheet',
  })
  @IsOptional()
  @IsObject()
  result?: Record<string, unknown>;
}

/** News about a dossier whose segment a partner handed to us: the applicant's supplement arrived, or they withdrew. */
export class HandoffNoticeDto extends HandoffReferenceDto {
  @ApiProperty({ description: "The partner's ID of this notice: a retry with the same one changes nothing" })
  @Matches(/^[0-9A-Za-z.:_-]{1,128}$/, { message: 'noticeId must be 1-128 letters, digits or .:_-' })
  noticeId!: string;

  @ApiProperty({ enum: ['SUPPLEMENT_SUBMITTED', 'WITHDRAWN'] })
  @IsIn(['SUPPLEMENT_SUBMITTED', 'WITHDRAWN'])
  kind!: 'SUPPLEMENT_SUBMITTED' | 'WITHDRAWN';

  @ApiProperty({ description: 'When it happened at the partner' })
  @IsISO8601({ strict: true }, { message: 'at must be an ISO 8601 instant' })
  at!: string;

  @ApiPropertyOptional({ description: 'SUPPLEMENT_SUBMITTED: what was handed in' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;

  @ApiPropertyOptional({ description: "WITHDRAWN: the applicant's reason (required)" })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

/** What the hand-off endpoints answer. */
export class HandoffAnswer {
  @ApiProperty() handoffId!: string;
  @ApiProperty({ description: 'The dossier here that the hand-off concerns' }) dossierCode!: string;
  @ApiProperty({ description: 'False when this repeats a hand-off or callback already taken in' }) applied!: boolean;
  @ApiPropertyOptional() state?: string;
}
