import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type DossierAction, DOSSIER_ACTIONS } from '../../../../../libs/domain/src';
import { FormDocumentView } from '../forms/form-document.view';
import { DurationView } from '../../procedures/procedure.view';
import {
  ApplicantView,
  DossierDocumentView,
  DossierProcedureView,
  DossierSegmentView,
  LedgerEntryView,
  ProxyView,
} from './dossier-parts.view';

export type DossierActionName = DossierAction['action'];

export class DossierEventView {
  @ApiProperty() seq!: number;
  @ApiProperty() type!: string;
  @ApiProperty() nationalStatus!: number;
  @ApiProperty() occurredAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) actorId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) actorName!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What happened; depends on the type' })
  payload!: Record<string, unknown>;
}

export const REMAINING_BANDS = ['ON_TRACK', 'PAST_HALF', 'PAST_THREE_QUARTERS', 'OVERDUE', 'PAUSED'] as const;
export type RemainingBand = (typeof REMAINING_BANDS)[number];

export class RemainingView {
  @ApiProperty({ description: 'Working milliseconds left; negative once late' }) workingMs!: number;
  @ApiProperty({ example: 2.5 }) workingDays!: number;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: 'The clock is stopped (supplement or payment)' }) paused!: boolean;
  @ApiProperty({
    enum: REMAINING_BANDS,
    description:
      'Where the dossier stands against its time: under half used, past half, past three quarters, late; or paused',
  })
  band!: RemainingBand;
}

export class OfficerRef {
  @ApiProperty() officerId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) fullName!: string | null;
}

export class StepView {
  @ApiProperty() no!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() role!: string;
  @ApiPropertyOptional({ type: OfficerRef, nullable: true }) holder!: OfficerRef | null;
  @ApiProperty() startedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) budgetWorkingDays!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) dueAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) completedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['EARLY', 'ON_TIME', 'LATE'] }) result!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) exit!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
}

export class CurrentStepView {
  @ApiProperty() no!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty() unitName!: string;
  @ApiPropertyOptional({ type: OfficerRef, nullable: true }) holder!: OfficerRef | null;
  @ApiPropertyOptional({ nullable: true, type: String }) dueAt!: string | null;
}

export class BreachView {
  @ApiProperty({ enum: ['STEP_BREACH', 'DOSSIER_BREACH', 'SEGMENT_BREACH'] }) kind!: string;
  @ApiProperty({ description: 'The unit the late time is attributed to' }) unitCode!: string;
  @ApiPropertyOptional({ type: OfficerRef, nullable: true }) officer!: OfficerRef | null;
  @ApiPropertyOptional({ nullable: true, type: String }) stepCode!: string | null;
  @ApiProperty() dueAt!: string;
  @ApiProperty() occurredAt!: string;
}

export class DeadlineView {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Where counting started (after cut-off)' })
  anchorAt!: string | null;
  @ApiPropertyOptional({ type: DurationView, nullable: true, description: 'The processing time counted' })
  budget!: unknown;
  @ApiPropertyOptional({ nullable: true, type: String, description: '1 WD before the due time' })
  warningAt!: string | null;
  @ApiProperty() extended!: boolean;
  @ApiProperty() supplementRequests!: number;
  @ApiProperty({ description: 'Why the due time is what it is, in one paragraph' }) explanation!: string;
  @ApiProperty({ type: [LedgerEntryView], description: 'Anchor, pauses, restarts, extension, calendar changes' })
  ledger!: unknown[];
}

export class NextStepView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty() role!: string;
}

export class StepRefView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class DossierView {
  @ApiProperty({ example: '000.00.20.H36-260316-0007' }) code!: string;
  @ApiProperty({ type: DossierProcedureView }) procedure!: { code: string; name: string; caseCode: string | null };
  @ApiProperty() procedureCode!: string;
  @ApiProperty() receivingUnitCode!: string;
  @ApiProperty() receivingUnitName!: string;
  @ApiProperty() channel!: string;
  @ApiProperty({ type: ApplicantView, description: 'idNumber is masked for roles that do not need it' })
  applicant!: { type: string; idNumber: string; name: string; address?: string; phone?: string; email?: string };
  @ApiPropertyOptional({ type: ProxyView, nullable: true }) proxy!: {
    name: string;
    idNumber: string;
    phone?: string;
  } | null;
  @ApiProperty({ type: [DossierDocumentView] }) documents!: DossierDocumentView[];
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "The citizen's lookup PIN: in the answer to intake only, for the desk (it is stored hashed)",
  })
  lookupPin!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Boolean,
    description:
      'For the desk of the receiving unit and admins (null for others): the lookup is locked after too many wrong PINs; a new PIN unlocks it',
  })
  lookupLocked!: boolean | null;
  @ApiProperty() state!: string;
  @ApiProperty() stateLabel!: string;
  @ApiProperty({ description: 'Where the dossier is and why, as a citizen would be told' }) statusMessage!: string;
  @ApiProperty({ description: 'National status code 1–10' }) nationalStatus!: number;
  @ApiProperty() nationalStatusLabel!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty() receivedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Printed on the receipt' }) promisedAt!:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Current due time; null while paused' })
  dueAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) dueAtLocal!: string | null;
  @ApiPropertyOptional({ type: RemainingView, nullable: true }) remaining!: RemainingView | null;
  @ApiPropertyOptional({ nullable: true, type: String }) pausedSince!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) pauseReason!: string | null;
  @ApiPropertyOptional({ type: CurrentStepView, nullable: true }) currentStep!: CurrentStepView | null;
  @ApiProperty({ type: DeadlineView }) deadline!: DeadlineView;
  @ApiPropertyOptional({ nullable: true, type: String }) processingStartedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['EARLY', 'ON_TIME', 'LATE'] }) timeliness!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) timelinessLabel!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resultReturnedAt!: string | null;
  @ApiProperty({ type: [StepView], description: 'The control sheet rows' }) steps!: StepView[];
  @ApiPropertyOptional({
    type: [DossierSegmentView],
    description:
      "A connected procedure's agency segments, in order: code, name, agency, budget, handedOverAt, dueAt, " +
      'completedAt, result, outcome, breached; workflowId for a segment run here, partner and handoffId for one handed over',
  })
  segments?: Record<string, unknown>[];
  @ApiProperty({ type: [BreachView] }) breaches!: BreachView[];
  @ApiProperty({ type: [DossierEventView] }) history!: DossierEventView[];
  @ApiPropertyOptional({ type: FormDocumentView, description: 'Form 01, on intake only' }) receipt?: unknown;
  @ApiProperty({
    enum: DOSSIER_ACTIONS,
    isArray: true,
    description: 'The actions the caller may take now, by the rules the workflow enforces on them',
  })
  allowedActions!: DossierActionName[];
  @ApiProperty({ type: [NextStepView], description: 'Where `complete` may send the dossier from its current step' })
  nextSteps!: NextStepView[];
  @ApiProperty({ type: [StepRefView], description: 'Earlier steps `return` may send the dossier back to' })
  returnTargets!: StepRefView[];
}

export class DossierListItem {
  @ApiProperty() code!: string;
  @ApiProperty() procedureCode!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) procedureName!: string | null;
  @ApiProperty() receivingUnitCode!: string;
  @ApiProperty() applicantName!: string;
  @ApiProperty() applicantIdNumber!: string;
  @ApiProperty() state!: string;
  @ApiProperty() nationalStatus!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) currentStepCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) currentStepName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) currentUnitCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) holderId!: string | null;
  @ApiProperty() receivedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) dueAt!: string | null;
  @ApiPropertyOptional({ type: RemainingView, nullable: true }) remaining!: RemainingView | null;
  @ApiPropertyOptional({ nullable: true, type: String }) timeliness!: string | null;
}

export class DossierPage {
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ type: [DossierListItem] }) items!: DossierListItem[];
}
