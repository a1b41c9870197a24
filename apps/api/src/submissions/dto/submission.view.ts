import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, SUBMISSION_STATES } from '../../../../../libs/domain/src';
import {
  ApplicantView,
  DossierDocumentView,
  DossierProcedureView,
  ProxyView,
} from '../../dossiers/dto/dossier-parts.view';
import { FormDocumentView } from '../../dossiers/forms/form-document.view';

export class SubmissionOfficerView {
  @ApiProperty() officerId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) fullName!: string | null;
}

/** Why and when the desk refused the application (form 03). */
export class SubmissionRefusalView {
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty() refusedAt!: string;
  @ApiProperty({ type: SubmissionOfficerView }) refusedBy!: SubmissionOfficerView;
}

/** An application before reception: waiting at a desk (status 1), received (status 2) or refused (status 3). */
export class SubmissionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SUBMISSION_STATES }) state!: string;
  @ApiProperty() stateLabel!: string;
  @ApiProperty({ description: 'National status code: 1 registered online, 2 received, 3 not received' })
  nationalStatus!: number;
  @ApiProperty() nationalStatusLabel!: string;
  @ApiProperty({ type: DossierProcedureView }) procedure!: DossierProcedureView;
  @ApiProperty() receivingUnitCode!: string;
  @ApiProperty() receivingUnitName!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty({ type: ApplicantView, description: 'idNumber is masked for roles that do not need it' })
  applicant!: ApplicantView;
  @ApiPropertyOptional({ type: ProxyView, nullable: true }) proxy!: ProxyView | null;
  @ApiProperty({ type: [DossierDocumentView], description: 'The documents submitted' })
  documents!: DossierDocumentView[];
  @ApiProperty({ description: 'When it was submitted (online) or refused at the counter; no clock runs from it' })
  submittedAt!: string;
  @ApiProperty({ type: SubmissionOfficerView, description: "The portal's account, or the clerk at the counter" })
  submittedBy!: SubmissionOfficerView;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The dossier it became once received (its receipt and clock start at reception)',
  })
  dossierCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) receivedAt!: string | null;
  @ApiPropertyOptional({ type: SubmissionRefusalView, nullable: true }) refusal!: SubmissionRefusalView | null;
  @ApiPropertyOptional({ type: FormDocumentView, description: 'Form 03, in the answer that refused it' })
  refusalSlip?: FormDocumentView;
}

export class SubmissionPage {
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ type: [SubmissionView] }) items!: SubmissionView[];
}
