import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class PublicLookupRequest {
  @ApiProperty({ description: 'The six-digit PIN printed on the receipt (form 01)', example: '042917' })
  @Matches(/^\d{6}$/, { message: 'pin must be the six digits printed on the receipt' })
  pin!: string;
}

export class PublicProcedureView {
  @ApiProperty({ example: '2.000908' }) code!: string;
  @ApiProperty() name!: string;
}

/** A file of the result (decision, licence) the applicant may download with the code and PIN. */
export class PublicResultFileView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty({ enum: ['application/pdf', 'image/jpeg', 'image/png'] }) contentType!: string;
  @ApiProperty() sizeBytes!: number;
}

/** What a citizen sees: where the dossier stands and when it is due; no names, ID numbers or officers. */
export class PublicDossierStatus {
  @ApiProperty({ example: '000.00.20.H36-300506-0001' })
  code!: string;

  @ApiProperty({ type: PublicProcedureView, description: 'Procedure code and name' })
  procedure!: { code: string; name: string };

  @ApiProperty({ description: 'Where the dossier was received' })
  receivingUnitName!: string;

  @ApiProperty()
  receivedAt!: string;

  @ApiProperty({ nullable: true, type: String, description: 'The return time promised on the receipt' })
  promisedAt!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The current return time (moves with pauses, restarts and extensions)',
  })
  dueAt!: string | null;

  @ApiProperty({ description: 'Lifecycle state', example: 'IN_PROGRESS' })
  state!: string;

  @ApiProperty({ description: 'National status code 1–10' })
  nationalStatus!: number;

  @ApiProperty()
  nationalStatusLabel!: string;

  @ApiProperty({
    description: 'One sentence for the citizen',
    example:
      'Tạm dừng từ 09:40 13/05/2030: chờ công dân bổ sung giấy tờ (thời gian chờ không tính vào hạn giải quyết).',
  })
  statusMessage!: string;

  @ApiProperty({ description: 'The return time was extended (an apology letter, form 04, was issued)' })
  extended!: boolean;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  resultReturnedAt!: string | null;

  @ApiProperty({
    type: [PublicResultFileView],
    description: 'The result’s files, downloadable with POST /public/v1/dossiers/{code}/files/{id} and the PIN',
  })
  resultFiles!: PublicResultFileView[];
}
