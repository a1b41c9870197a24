import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  Max,
  Min,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  APPLICANT_TYPES,
  type ApplicantType,
  CHANNELS,
  type Channel,
  PERSONAL_ID_PATTERN,
  TAX_CODE_PATTERN,
  UNIT_CODE_PATTERN,
} from '../../../../../libs/domain/src';

/** An individual's 12-digit personal identification number, or an organisation's tax code. */
const IsApplicantIdNumber = () =>
  ValidateBy({
    name: 'isApplicantIdNumber',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const type = (args?.object as { type?: ApplicantType }).type;
        const pattern = type === 'ORGANISATION' ? TAX_CODE_PATTERN : PERSONAL_ID_PATTERN;
        return typeof value === 'string' && pattern.test(value);
      },
      defaultMessage: (args?: ValidationArguments) =>
        (args?.object as { type?: ApplicantType }).type === 'ORGANISATION'
          ? 'idNumber must be the organisation tax code: 10 digits, or 10 digits-3 digits for a branch'
          : 'idNumber must be the 12-digit personal identification number',
    },
  });

export class ApplicantDto {
  @ApiProperty({ enum: APPLICANT_TYPES })
  @IsIn(APPLICANT_TYPES)
  type!: ApplicantType;

  @ApiProperty({ example: '001203004567', description: 'Personal identification number (12 digits) or tax code' })
  @IsApplicantIdNumber()
  idNumber!: string;

  @ApiProperty({ example: 'Nguyễn Văn An' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'Số 1 Trần Phú, phường Xuân Hương, Lâm Đồng' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  address?: string;

  @ApiPropertyOptional({ example: '0912345678' })
  @IsOptional()
  @Matches(/^\+?\d{9,15}$/, { message: 'phone must be 9–15 digits, optionally starting with +' })
  phone?: string;

  @ApiPropertyOptional({ example: 'an.nguyen@example.vn' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;
}

/** Someone filing on the applicant's behalf (người được ủy quyền). */
export class ProxyDto {
  @ApiProperty({ example: 'Trần Thị Bình' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: '079301002345', description: '12-digit personal identification number' })
  @Matches(PERSONAL_ID_PATTERN, { message: 'idNumber must be the 12-digit personal identification number' })
  idNumber!: string;

  @ApiPropertyOptional({ example: '0987654321' })
  @IsOptional()
  @Matches(/^\+?\d{9,15}$/, { message: 'phone must be 9–15 digits, optionally starting with +' })
  phone?: string;
}

/** One document of the procedure's list (thành phần hồ sơ) handed in. */
export class HandedDocumentDto {
  @ApiProperty({ example: 'VB-DE-NGHI', description: 'The document code in the procedure version' })
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'code must be a document code of the procedure' })
  code!: string;

  @ApiPropertyOptional({ example: 1, description: 'How many copies (default 1)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  count?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Reuse: a certified paper or a result of one of the applicant’s earlier dossiers (see POST /api/v1/applicants/reusable-files), referenced instead of scanned again',
  })
  @IsOptional()
  @IsUUID('all', { message: 'reuseFileId must be the id of a reusable file of the applicant' })
  reuseFileId?: string;
}

export class IntakeRequest {
  @ApiProperty({
    example: '2.000908',
    description: 'National procedure code d.dddddd (optionally with the local suffix)',
  })
  @Matches(/^\d\.\d{6}(\.[0-9A-Z.]+)?$/, { message: 'procedureCode must be a national procedure code like 2.000908' })
  procedureCode!: string;

  @ApiPropertyOptional({
    example: 'default',
    description: 'The case (trường hợp) of the procedure; needed when it has several',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'caseCode must be a case code of the procedure' })
  caseCode?: string;

  @ApiProperty({ example: '000.00.20.H36', description: 'E-document code of the receiving unit' })
  @Matches(UNIT_CODE_PATTERN, { message: 'receivingUnitCode must be an e-document code like 000.00.20.H36' })
  receivingUnitCode!: string;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel!: Channel;

  @ApiProperty({ type: ApplicantDto })
  // @ValidateNested() alone lets a missing applicant through (it was read as undefined: a 500).
  @IsObject({ message: 'applicant must be an object: type, idNumber, name…' })
  @ValidateNested()
  @Type(() => ApplicantDto)
  applicant!: ApplicantDto;

  @ApiPropertyOptional({ type: ProxyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProxyDto)
  proxy?: ProxyDto;

  @ApiProperty({
    type: [HandedDocumentDto],
    description: 'The documents handed in; checked against the procedure version in force (missing → form 02 guidance)',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => HandedDocumentDto)
  documents!: HandedDocumentDto[];
}

/** Return the result (trả kết quả); ELECTRONIC counts for the 766 index. */
export class ReturnResultRequest {
  @ApiProperty({ enum: ['IN_PERSON', 'POSTAL', 'ELECTRONIC'] })
  @IsIn(['IN_PERSON', 'POSTAL', 'ELECTRONIC'])
  deliveryMethod!: 'IN_PERSON' | 'POSTAL' | 'ELECTRONIC';

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}
