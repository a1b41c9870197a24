import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DossierEventView {
  @ApiProperty() seq!: number;
  @ApiProperty() type!: string;
  @ApiProperty() nationalStatus!: number;
  @ApiProperty() occurredAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) actorId!: string | null;
  @ApiProperty({ type: Object }) payload!: Record<string, unknown>;
}

export class DossierView {
  @ApiProperty({ example: '000.00.20.H36-260316-0007' }) code!: string;
  @ApiProperty() procedureCode!: string;
  @ApiProperty() receivingUnitCode!: string;
  @ApiProperty() channel!: string;
  @ApiProperty({ type: Object, description: 'idNumber is masked for roles that do not need it' })
  applicant!: { type: string; idNumber: string; name: string };
  @ApiProperty({ description: 'National status code 1–10' }) nationalStatus!: number;
  @ApiProperty() nationalStatusLabel!: string;
  @ApiProperty() receivedAt!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'When the workflow took the dossier into processing',
  })
  processingStartedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resultReturnedAt!: string | null;
  @ApiProperty({ type: [DossierEventView] }) history!: DossierEventView[];
}
