import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

const STEP_CODE = /^[A-Za-z0-9_.-]{1,40}$/;

export class EmptyActionRequest {}

export class AssignRequest {
  @ApiProperty({ example: 'specialist', description: 'Username or id of the officer who will hold the step' })
  @IsString()
  @Length(1, 64)
  assignee!: string;
}

export class CompleteRequest {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Result of the step, printed on the control sheet' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;

  @ApiPropertyOptional({ example: 'S05', description: 'The next step, when the procedure offers several' })
  @IsOptional()
  @Matches(STEP_CODE, { message: 'nextStep must be a step code of the procedure' })
  nextStep?: string;

  @ApiPropertyOptional({ example: 'specialist', description: 'Who holds the next step (username or id)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  assignee?: string;
}

export class ReturnStepRequest {
  @ApiProperty({ example: 'S05', description: 'An earlier step the dossier has been through' })
  @Matches(STEP_CODE, { message: 'toStep must be a step code of the procedure' })
  toStep!: string;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class RequestSupplementRequest {
  @ApiProperty({ type: [String], example: ['Bản sao giấy tờ chứng minh địa điểm có chứng thực'] })
  @ArrayMinSize(1, { message: 'items must list at least one document or correction' })
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  items!: string[];

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class SubmitSupplementRequest {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class RefuseRequest {
  @ApiProperty({ type: [String], description: 'Reasons, printed on the refusal (form 03)' })
  @ArrayMinSize(1, { message: 'reasons must state at least one reason' })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 1000, { each: true })
  reasons!: string[];
}

export class RequestExtensionRequest {
  @ApiProperty({ example: 5, description: 'Working days added to the due time (quarters allowed)' })
  @IsNumber({}, { message: 'extraWorkingDays must be a number of working days' })
  @Min(0.25)
  @Max(365)
  extraWorkingDays!: number;

  @ApiProperty({ maxLength: 2000, description: 'Why it will be late (printed on the apology, form 04)' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class WithdrawRequest {
  @ApiProperty({
    maxLength: 2000,
    description: "The applicant's request to stop (printed on the stop notice, form 05)",
  })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class RequestPaymentRequest {
  @ApiPropertyOptional({
    example: 500000,
    description: "In whole đồng. Omitted: the sum of the fees of the dossier's procedure case (its fee schedule)",
  })
  @IsOptional()
  @IsInt({ message: 'amount must be a whole number of đồng' })
  @Min(1)
  amount?: number;

  @ApiPropertyOptional({
    example: 'Lệ phí cấp giấy phép',
    description: "What the fee is for. Omitted: the names of the procedure case's fees",
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

export class RecordPaymentRequest {
  @ApiProperty({ example: 500000, description: 'In whole đồng' })
  @IsInt({ message: 'amount must be a whole number of đồng' })
  @Min(1)
  amount!: number;

  @ApiProperty({ enum: ['ONLINE', 'CASH', 'BANK_TRANSFER'], description: 'ONLINE counts for the 766 index' })
  @IsIn(['ONLINE', 'CASH', 'BANK_TRANSFER'])
  method!: 'ONLINE' | 'CASH' | 'BANK_TRANSFER';

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  reference?: string;
}
