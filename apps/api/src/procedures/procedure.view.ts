import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DOCUMENT_FORMS,
  ONLINE_LEVELS,
  PROCEDURE_LEVELS,
  SIGNING_ROLES,
  STEP_ROLES,
} from '../../../../libs/domain/src';

// The shapes of libs/domain/src/procedure/procedure.types.ts, as the catalog publishes and answers them.

export class DurationView {
  @ApiProperty({ example: 15, description: 'WD and WH in quarters (0.25), CD in whole days' }) amount!: number;
  @ApiProperty({ enum: ['WD', 'WH', 'CD'], description: 'Working days, working hours or calendar days' })
  unit!: 'WD' | 'WH' | 'CD';
}

export class DocumentRequirementView {
  @ApiProperty({ example: 'VB-DE-NGHI' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() mandatory!: boolean;
  @ApiProperty({ enum: DOCUMENT_FORMS }) form!: string;
  @ApiProperty({ description: 'Copies required' }) count!: number;
}

export class FeeView {
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'In đồng' }) amount!: number;
  @ApiPropertyOptional() note?: string;
}

export class ProcedureStepView {
  @ApiProperty({ example: 'S01' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The unit that holds the step (e-document code)' }) unit!: string;
  @ApiProperty({ enum: STEP_ROLES, description: 'Who in the unit acts' }) role!: string;
  @ApiProperty({ type: DurationView }) budget!: DurationView;
  @ApiProperty({ description: 'False for steps outside the statutory time (e.g. returning the result)' })
  counted!: boolean;
  @ApiProperty({ type: [String], description: 'Steps that may follow; none ends processing' }) next!: string[];
}

export class ClockPolicyView {
  @ApiProperty({ enum: ['RESTART', 'PAUSE'], description: 'What a supplement request does to the clock' })
  supplement!: 'RESTART' | 'PAUSE';
  @ApiProperty() maxSupplementRequests!: number;
  @ApiProperty({ type: DurationView, description: 'How long the applicant has to complete the dossier' })
  applicantWindow!: DurationView;
}

export class TransferRuleView {
  @ApiProperty({
    enum: ['ELECTRONIC', 'PAPER'],
    description:
      'Electronic: transferred by the close of the day of receipt (the next working day from nextDayFrom); paper: within 1 WD',
  })
  medium!: string;
  @ApiPropertyOptional({
    example: '15:00',
    description: 'Local time from which an electronic dossier goes the next day',
  })
  nextDayFrom?: string;
}

export class SigningRulesView {
  @ApiProperty({
    enum: SIGNING_ROLES,
    isArray: true,
    description:
      'Who signs form 04 (apology and new return time) in the agency handling the dossier: its head or deputy',
  })
  extension!: string[];
  @ApiProperty({
    enum: SIGNING_ROLES,
    isArray: true,
    description: 'Who decides a refusal on the merits: the step held must be one of these roles',
  })
  refusal!: string[];
}

export class CutoffView {
  @ApiPropertyOptional({ description: 'Receipt in the last office hour counts from the next working day' })
  lastOfficeHour?: boolean;
  @ApiPropertyOptional({ example: '15:00', description: 'Receipt at or after this time counts from the next day' })
  cutoffTime?: string;
}

/** A share of the work (and of the deadline) owned by another agency (liên thông). */
export class InterAgencySegmentView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The owning agency (e-document code)' }) agency!: string;
  @ApiProperty({ type: DurationView }) budget!: DurationView;
  @ApiProperty({ type: [ProcedureStepView] }) steps!: ProcedureStepView[];
}

export class ProcedureCaseView {
  @ApiProperty({ example: 'default' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: DurationView }) processingTime!: DurationView;
  @ApiProperty({ description: 'The result is handed over at the desk with no appointment' })
  returnsImmediately!: boolean;
  @ApiPropertyOptional({ type: CutoffView }) cutoff?: CutoffView;
  @ApiProperty({ type: [DocumentRequirementView] }) documents!: DocumentRequirementView[];
  @ApiProperty({ type: [FeeView] }) fees!: FeeView[];
  @ApiProperty({ enum: ONLINE_LEVELS }) onlineLevel!: string;
  @ApiProperty({ type: ClockPolicyView }) clockPolicy!: ClockPolicyView;
  @ApiPropertyOptional({
    type: SigningRulesView,
    description: 'Who signs for the agency (default: extension and refusal by AGENCY_LEADER or UNIT_HEAD)',
  })
  signing?: SigningRulesView;
  @ApiPropertyOptional({
    type: TransferRuleView,
    description: 'How the desk transfers the dossier: its first step due by this rule (default: electronic, 15:00)',
  })
  transfer?: TransferRuleView;
  @ApiProperty({ type: [ProcedureStepView], description: 'Steps of a single-agency procedure' })
  steps!: ProcedureStepView[];
  @ApiPropertyOptional({ type: [InterAgencySegmentView], description: 'Or the agency segments of a connected one' })
  segments?: InterAgencySegmentView[];
}

export class ProcedureVersionDefinitionView {
  @ApiProperty({ example: '2026-01-01', description: 'Dossiers received from this day on use this version' })
  effectiveFrom!: string;
  @ApiPropertyOptional() legalBasis?: string;
  @ApiProperty({ type: [ProcedureCaseView] }) cases!: ProcedureCaseView[];
}

/** A procedure with one version, as an admin publishes it (validated as a whole; each problem named). */
export class ProcedureDefinitionView {
  @ApiProperty({ example: '2.000908', description: 'National code d.dddddd' }) code!: string;
  @ApiPropertyOptional({ description: "The local instance code: the national code with the agency's suffix" })
  localCode?: string;
  @ApiProperty() name!: string;
  @ApiProperty() field!: string;
  @ApiProperty({ enum: PROCEDURE_LEVELS }) level!: string;
  @ApiProperty({ description: 'The resolving agency (e-document code)' }) resolvingAgency!: string;
  @ApiProperty({ type: ProcedureVersionDefinitionView }) version!: ProcedureVersionDefinitionView;
}

export class ProcedureVersionSummaryView {
  @ApiProperty() id!: string;
  @ApiProperty() versionNo!: number;
  @ApiProperty({ example: '2026-01-01' }) effectiveFrom!: string;
  @ApiProperty({ nullable: true, type: String }) legalBasis!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'Dossiers received under it: once any, the version can no longer change' })
  dossiersUsing!: number;
}

export class ProcedureSummaryView {
  @ApiProperty({ example: '2.000908' }) code!: string;
  @ApiProperty({ nullable: true, type: String }) localCode!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() field!: string;
  @ApiProperty({ enum: PROCEDURE_LEVELS }) level!: string;
  @ApiProperty() resolvingAgency!: string;
  @ApiProperty({ type: [ProcedureVersionSummaryView] }) versions!: ProcedureVersionSummaryView[];
}

export class CatalogEntryView extends ProcedureSummaryView {
  @ApiProperty({ nullable: true, type: Number, description: 'The version in force today, if any' })
  currentVersion!: number | null;
}

export class CatalogView {
  @ApiProperty({ type: [CatalogEntryView] }) procedures!: CatalogEntryView[];
}

export class ProcedureVersionView {
  @ApiProperty() id!: string;
  @ApiProperty() procedureCode!: string;
  @ApiProperty() procedureName!: string;
  @ApiProperty() resolvingAgencyCode!: string;
  @ApiProperty() versionNo!: number;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ type: ProcedureVersionDefinitionView }) definition!: ProcedureVersionDefinitionView;
}

export class ProcedureDetailView extends ProcedureSummaryView {
  @ApiProperty({
    nullable: true,
    type: ProcedureVersionView,
    description: 'The version asked for (?version=), or in force today or ?on=; null when none is in force',
  })
  version!: ProcedureVersionView | null;
}

export class PublishedView {
  @ApiProperty() code!: string;
  @ApiProperty() versionNo!: number;
  @ApiProperty({ description: 'An unused version with the same effective date was replaced' }) replaced!: boolean;
}
