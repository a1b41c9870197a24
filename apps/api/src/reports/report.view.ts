import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ON_TIME_FORMULAS } from '../../../../libs/domain/src';
import { PROGRESS_FIGURES, PROGRESS_GROUPS } from '../../../../libs/persistence/src';

// The JSON answers of the reports, as libs/reports and work-lists.ts build them.

export class ReportUnitView {
  @ApiProperty({ example: '000.00.20.H36' }) code!: string;
  @ApiProperty() name!: string;
}

export class ReportPeriodView {
  @ApiProperty({ example: '2026-03-01', description: 'First day (local)' }) from!: string;
  @ApiProperty({ example: '2026-03-31', description: 'Last day, inclusive (local)' }) to!: string;
}

/** Where dossiers stand (domain §6): every dossier of `total` is in exactly one of the outcome columns. */
export class ProgressCountsView {
  @ApiProperty({ description: 'Received before the period, unfinished at its start' }) carriedOver!: number;
  @ApiProperty() newOnline!: number;
  @ApiProperty() newInPerson!: number;
  @ApiProperty() newPostal!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'Resolved before the due day (judged against the promised return time)' })
  early!: number;
  @ApiProperty({ description: 'Resolved on the due day, by the promised return time' }) onTime!: number;
  @ApiProperty({ description: 'Resolved after the promised return time, extended or not' }) late!: number;
  @ApiProperty({
    description: 'Of the late, those whose return time was extended with an apology letter (form 04): part of `late`',
  })
  lateWithApology!: number;
  @ApiProperty() resolved!: number;
  @ApiProperty({ description: 'Unfinished, not paused, within the deadline' }) withinDeadline!: number;
  @ApiProperty({ description: 'Unfinished, not paused, past the deadline' }) overdue!: number;
  @ApiProperty() inProgress!: number;
  @ApiProperty() pausedSupplement!: number;
  @ApiProperty() pausedPayment!: number;
  @ApiProperty() paused!: number;
  @ApiProperty({ description: 'Withdrawn, or returned when the supplement window lapsed' }) withdrawn!: number;
  @ApiProperty() refused!: number;
  @ApiProperty({ description: 'Of the refused, those refused after their due time (766 counts them late)' })
  refusedLate!: number;
  @ApiProperty({
    description:
      'Of the dossiers Decision 766 counts within the deadline (resolved early or on time, refused in time, in ' +
      'progress within the deadline, paused), those supplemented more than once: 766 counts them overdue',
  })
  repeatedSupplements!: number;
  @ApiProperty({
    description:
      'Restarted after a supplement and neither late nor overdue against the new appointment, but past the first one plus the wait (766 counts them late)',
  })
  lateFor766!: number;
}

/** Changes to counts (later minus earlier); only the nonzero ones are present. */
export class ProgressCountChangesView extends PartialType(ProgressCountsView) {}

export class ResolvedSharesView {
  @ApiProperty({ nullable: true, type: Number }) early!: number | null;
  @ApiProperty({ nullable: true, type: Number }) onTime!: number | null;
  @ApiProperty({ nullable: true, type: Number }) late!: number | null;
}

export class ProgressLineView {
  @ApiProperty({ description: 'The unit, procedure, field, officer or step code' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ProgressCountsView }) counts!: ProgressCountsView;
  @ApiProperty({ type: ResolvedSharesView, description: 'Shares of the resolved dossiers, in percent' })
  resolvedShares!: ResolvedSharesView;
  @ApiProperty({ nullable: true, type: Number, description: 'In percent, by the formula of the report' })
  onTimeRate!: number | null;
}

export class FormulaView {
  @ApiProperty({ enum: ON_TIME_FORMULAS }) code!: string;
  @ApiProperty() label!: string;
}

export class ClosedView {
  @ApiProperty() closedAt!: string;
  @ApiProperty() closedBy!: string;
}

export class AdjustmentRowView {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ProgressCountChangesView }) changes!: ProgressCountChangesView;
}

/** Late changes to the closed period just before this one, shown here rather than changing it. */
export class ProgressAdjustmentsView {
  @ApiProperty({ type: ReportPeriodView }) period!: ReportPeriodView;
  @ApiProperty() closedAt!: string;
  @ApiProperty({ type: [AdjustmentRowView] }) rows!: AdjustmentRowView[];
  @ApiProperty({ type: ProgressCountChangesView }) total!: ProgressCountChangesView;
}

/** The national progress table. */
export class ProgressReportView {
  @ApiProperty({ type: ReportPeriodView }) period!: ReportPeriodView;
  @ApiProperty({ type: ReportUnitView }) unit!: ReportUnitView;
  @ApiProperty({ enum: PROGRESS_GROUPS }) groupBy!: string;
  @ApiProperty({ type: FormulaView }) formula!: FormulaView;
  @ApiProperty({ type: [ProgressLineView] }) rows!: ProgressLineView[];
  @ApiProperty({ type: ProgressLineView }) total!: ProgressLineView;
  @ApiProperty({ enum: ['facts', 'rollups'], description: 'Rollups are as of their last refresh (`asOf`)' })
  source!: string;
  @ApiProperty() asOf!: string;
  @ApiPropertyOptional({ type: ClosedView, description: 'Set when the period is closed: the frozen figures' })
  closed?: ClosedView;
  @ApiPropertyOptional({ type: ProgressAdjustmentsView }) adjustments?: ProgressAdjustmentsView;
}

/** One month of the series: the subtree's total line, as the progress table for that month publishes it. */
export class ProgressMonthView {
  @ApiProperty({ type: ReportPeriodView, description: 'The month, clipped to the period asked for' })
  period!: ReportPeriodView;
  @ApiProperty({ type: ProgressCountsView }) counts!: ProgressCountsView;
  @ApiProperty({ nullable: true, type: Number, description: 'In percent, by the formula of the series' })
  onTimeRate!: number | null;
  @ApiProperty({ description: 'The month is closed: these are its published, frozen figures' }) closed!: boolean;
}

/** The progress totals month by month (a dashboard's monthly chart in one call). */
export class ProgressMonthlyView {
  @ApiProperty({ type: ReportUnitView }) unit!: ReportUnitView;
  @ApiProperty({ type: ReportPeriodView }) period!: ReportPeriodView;
  @ApiProperty({ type: FormulaView }) formula!: FormulaView;
  @ApiProperty({ type: [ProgressMonthView], description: 'Oldest first' }) months!: ProgressMonthView[];
}

export class WorkItemProcedureView {
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class WorkItemStepView {
  @ApiProperty() no!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty({ nullable: true, type: String }) dueAt!: string | null;
}

export class WorkItemHolderView {
  @ApiProperty() officerId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

/** An open dossier as the work lists show it: where it is and who holds it. */
export class WorkItemView {
  @ApiProperty() code!: string;
  @ApiProperty({ type: WorkItemProcedureView }) procedure!: WorkItemProcedureView;
  @ApiProperty() receivingUnitCode!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ nullable: true, type: WorkItemStepView }) step!: WorkItemStepView | null;
  @ApiProperty({ nullable: true, type: WorkItemHolderView }) holder!: WorkItemHolderView | null;
}

export class OverdueItemView extends WorkItemView {
  @ApiProperty({ description: 'Working days past its due time' }) overdueWorkingDays!: number;
}

export class OverdueBucketView {
  @ApiProperty({ example: 'trên 1 đến 3 ngày' }) label!: string;
  @ApiProperty({
    description:
      'Working days overdue above which a dossier is in the bucket (exclusive; the first bucket holds 0 too)',
  })
  above!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Up to this many working days (inclusive); null: no end' })
  upTo!: number | null;
  @ApiProperty() count!: number;
}

export class OverdueReportView {
  @ApiProperty({ type: ReportUnitView }) unit!: ReportUnitView;
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: [OverdueBucketView], description: 'By age in working days' }) buckets!: OverdueBucketView[];
  @ApiProperty({ description: 'All of them, even past the listed 1000' }) total!: number;
  @ApiProperty({ type: [OverdueItemView], description: 'Most overdue first, at most 1000' }) items!: OverdueItemView[];
}

export class AtRiskItemView extends WorkItemView {
  @ApiProperty({ description: 'Working days left before its due time' }) remainingWorkingDays!: number;
  @ApiProperty({ description: 'Working days its remaining steps are budgeted' }) remainingStepsWorkingDays!: number;
  @ApiProperty({ description: 'How many working days short it is' }) shortfallWorkingDays!: number;
}

export class AtRiskReportView {
  @ApiProperty({ type: ReportUnitView }) unit!: ReportUnitView;
  @ApiProperty() asOf!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ type: [AtRiskItemView], description: 'Largest shortfall first, at most 1000' })
  items!: AtRiskItemView[];
}

export class AttributedOfficerView {
  @ApiProperty({ nullable: true, type: String, description: 'Null when nobody held the step' })
  officerId!: string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ description: 'Steps that overran their budget' }) lateSteps!: number;
  @ApiProperty({ description: 'Late dossiers none of whose steps overran, held here at their due time' })
  heldAtDue!: number;
  @ApiProperty() lateWorkingDays!: number;
}

export class AttributionRowView {
  @ApiProperty() unitCode!: string;
  @ApiProperty() stepCode!: string;
  @ApiProperty() stepName!: string;
  @ApiProperty({ description: 'Steps that overran their budget' }) lateSteps!: number;
  @ApiProperty({
    description:
      'Late dossiers none of whose steps overran (a step sent back starts a fresh budget), charged to this step ' +
      'because it held them at their due time',
  })
  heldAtDue!: number;
  @ApiProperty({ description: 'Working days late: the overrun steps’, plus the held dossiers’ own lateness' })
  lateWorkingDays!: number;
  @ApiProperty({ type: [AttributedOfficerView] }) officers!: AttributedOfficerView[];
}

export class AttributionReportView {
  @ApiProperty({ type: ReportUnitView }) unit!: ReportUnitView;
  @ApiProperty({ type: ReportPeriodView }) period!: ReportPeriodView;
  @ApiProperty({ type: [AttributionRowView], description: 'Most late working days first' }) rows!: AttributionRowView[];
}

/** One indicator: a share with its numerator and denominator, or why the engine cannot compute it (`note`). */
export class IndicatorView {
  @ApiProperty({ nullable: true, type: Number, description: 'Null when not recorded or nothing to divide' })
  value!: number | null;
  @ApiPropertyOptional({ example: '%' }) unit?: string;
  @ApiPropertyOptional() numerator?: number;
  @ApiPropertyOptional() denominator?: number;
  @ApiPropertyOptional({ description: 'The target of Decision 766, in percent' }) target?: number;
  @ApiPropertyOptional({ description: 'How the on-time rate is counted' }) formula?: string;
  @ApiPropertyOptional({ description: 'Why there is no value' }) note?: string;
}

export class Index766IndicatorsView {
  @ApiProperty({ type: IndicatorView }) onTimeRate!: IndicatorView;
  @ApiProperty({ type: IndicatorView }) onlineSubmissionShare!: IndicatorView;
  @ApiProperty({ type: IndicatorView }) onlinePaymentShare!: IndicatorView;
  @ApiProperty({ type: IndicatorView }) electronicResultShare!: IndicatorView;
  @ApiProperty({
    type: IndicatorView,
    description: 'Dossiers received whose every handed paper has a certified scan / dossiers received',
  })
  digitisedShare!: IndicatorView;
  @ApiProperty({
    type: IndicatorView,
    description: 'Results returned with the result on file / results returned',
  })
  digitisedResultShare!: IndicatorView;
  @ApiProperty({
    type: IndicatorView,
    description: 'Dossiers received that reused a file of an earlier dossier / dossiers received',
  })
  reusedDataShare!: IndicatorView;
  @ApiProperty({ type: IndicatorView, description: 'Citizens’ ratings: (satisfied + acceptable) / rated' })
  citizenRatingShare!: IndicatorView;
  @ApiProperty({ type: IndicatorView, description: 'Dossiers of the period a petition is about' })
  complaintShare!: IndicatorView;
  @ApiProperty({
    type: IndicatorView,
    description: 'Satisfaction on dossier handling: 100% − (overdue % + % with complaints)',
  })
  handlingSatisfaction!: IndicatorView;
  @ApiProperty({
    type: IndicatorView,
    description:
      'Petitions answered on time / petitions answered in the period + those unanswered past their deadline at its end',
  })
  petitionOnTimeShare!: IndicatorView;
  @ApiProperty({ type: IndicatorView }) syncedShare!: IndicatorView;
}

export class AverageProcessingTimeView {
  @ApiProperty({ type: WorkItemProcedureView }) procedure!: WorkItemProcedureView;
  @ApiProperty({ description: 'Dossiers resolved in the period' }) resolved!: number;
  @ApiProperty() averageWorkingDays!: number;
}

export class Index766ReportView {
  @ApiProperty({ type: ReportUnitView }) unit!: ReportUnitView;
  @ApiProperty({ type: ReportPeriodView }) period!: ReportPeriodView;
  @ApiProperty({ type: Index766IndicatorsView }) indicators!: Index766IndicatorsView;
  @ApiProperty({ type: [AverageProcessingTimeView], description: 'By procedure' })
  averageProcessingTime!: AverageProcessingTimeView[];
}

export class ProgressDossierView {
  @ApiProperty() code!: string;
  @ApiProperty({ description: 'The receiving unit' }) unitCode!: string;
  @ApiProperty({ type: WorkItemProcedureView }) procedure!: WorkItemProcedureView;
  @ApiProperty({ enum: ['IN_PERSON', 'ONLINE', 'POSTAL'] }) channel!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ nullable: true, type: String }) dueAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({
    enum: [
      'EARLY',
      'ON_TIME',
      'LATE',
      'WITHIN',
      'OVERDUE',
      'PAUSED_SUPPLEMENT',
      'PAUSED_PAYMENT',
      'WITHDRAWN',
      'REFUSED',
    ],
    description: 'Where the dossier stands for the period, as the progress table counts it',
  })
  bucket!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Who holds it now' }) holderName!: string | null;
}

/** The dossiers a figure of the progress table counts: `total` equals that figure for the same query. */
export class ProgressDossiersView {
  @ApiProperty({ type: ReportUnitView }) unit!: ReportUnitView;
  @ApiProperty({ type: ReportPeriodView }) period!: ReportPeriodView;
  @ApiProperty({ enum: PROGRESS_FIGURES }) figure!: string;
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ type: [ProgressDossierView], description: 'Newest receipt first' }) items!: ProgressDossierView[];
}
