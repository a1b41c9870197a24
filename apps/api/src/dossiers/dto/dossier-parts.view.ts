import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { APPLICANT_TYPES, DOCUMENT_FORMS, SEGMENT_OUTCOMES } from '../../../../../libs/domain/src';
import { DurationView } from '../../procedures/procedure.view';

// The nested parts of a dossier's view, as dossier.mapper.ts builds them.

export class DossierProcedureView {
  @ApiProperty({ example: '2.000908' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The case of the procedure' })
  caseCode!: string | null;
}

export class ApplicantView {
  @ApiProperty({ enum: APPLICANT_TYPES }) type!: string;
  @ApiProperty({ description: 'Masked for roles that do not need it' }) idNumber!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() address?: string;
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() email?: string;
}

export class ProxyView {
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Masked for roles that do not need it' }) idNumber!: string;
  @ApiPropertyOptional() phone?: string;
}

/** A document handed in at intake. */
export class DossierDocumentView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: DOCUMENT_FORMS }) form!: string;
  @ApiProperty() count!: number;
}

/** An entry of the deadline ledger: why the due time is what it is. */
export class LedgerEntryView {
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['ANCHOR', 'PAUSE', 'RESUME', 'RESTART', 'EXTENSION', 'CALENDAR_CHANGE', 'FINISHED'] })
  kind!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The due time after this entry; null while paused',
  })
  dueAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) previousDueAt?: string | null;
  @ApiProperty() explanation!: string;
  @ApiPropertyOptional({ description: 'Who caused it' }) by?: string;
  @ApiPropertyOptional() legalBasis?: string;
}

/** An agency's segment of a connected procedure (liên thông): hand-over, own due time, how it ended. */
export class DossierSegmentView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The owning agency (e-document code)' }) agency!: string;
  @ApiProperty({ type: DurationView }) budget!: DurationView;
  @ApiProperty({ nullable: true, type: String, description: "Null when it is with a partner's system" })
  workflowId!: string | null;
  @ApiProperty() taskQueue!: string;
  @ApiPropertyOptional({ description: 'The partner system that has it' }) partner?: string;
  @ApiPropertyOptional({ description: "The hand-off's ID (the partner's callbacks name it)" }) handoffId?: string;
  @ApiProperty() handedOverAt!: string;
  @ApiProperty({ nullable: true, type: String }) dueAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty({ nullable: true, enum: ['EARLY', 'ON_TIME', 'LATE'] }) result!: string | null;
  @ApiPropertyOptional({
    enum: SEGMENT_OUTCOMES,
    description: 'How it ended: its work done, or the dossier refused, withdrawn or closed there (absent while open)',
  })
  outcome?: string;
  @ApiProperty({ description: 'Its due time passed while it was open (a breach attributed to the agency)' })
  breached!: boolean;
}
