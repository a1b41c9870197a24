import { ApiProperty } from '@nestjs/swagger';
import { IndicatorView, ReportPeriodView, ReportUnitView, WorkItemProcedureView } from './report.view';

/** Ratings given in the period, by answer, and the share content (satisfied or acceptable). */
export class RatingCountsView {
  @ApiProperty() rated!: number;
  @ApiProperty() satisfied!: number;
  @ApiProperty() acceptable!: number;
  @ApiProperty() notSatisfied!: number;
  @ApiProperty({ type: IndicatorView, description: '(satisfied + acceptable) / rated' })
  contentShare!: IndicatorView;
}

export class SatisfactionUnitRowView extends RatingCountsView {
  @ApiProperty({ description: 'A unit of the subtree that received the dossier or held one of its steps' })
  unitCode!: string;
  @ApiProperty() unitName!: string;
}

export class SatisfactionProcedureRowView extends RatingCountsView {
  @ApiProperty({ type: WorkItemProcedureView }) procedure!: WorkItemProcedureView;
}

export class SatisfactionOfficerRowView extends RatingCountsView {
  @ApiProperty({ description: 'An officer who held a step of the rated dossier in the subtree' }) officerId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

/** Petitions routed to the subtree's heads: received in the period, answered in it, on time or late. */
export class PetitionFiguresView {
  @ApiProperty() received!: number;
  @ApiProperty({ description: 'Answered in the period (the petition procedure’s processing ended)' })
  answered!: number;
  @ApiProperty() answeredOnTime!: number;
  @ApiProperty() answeredLate!: number;
  @ApiProperty({
    description: 'Unanswered at the period’s end and past their deadline then: counted late (not on time) already',
  })
  overdueUnanswered!: number;
  @ApiProperty({ type: IndicatorView, description: 'answeredOnTime / (answered + overdueUnanswered)' })
  onTimeShare!: IndicatorView;
}

export class SatisfactionReportView {
  @ApiProperty({ type: ReportUnitView }) unit!: ReportUnitView;
  @ApiProperty({ type: ReportPeriodView }) period!: ReportPeriodView;
  @ApiProperty({ type: RatingCountsView, description: 'Each rated dossier once' }) total!: RatingCountsView;
  @ApiProperty({ type: [SatisfactionUnitRowView] }) byUnit!: SatisfactionUnitRowView[];
  @ApiProperty({ type: [SatisfactionProcedureRowView] }) byProcedure!: SatisfactionProcedureRowView[];
  @ApiProperty({ type: [SatisfactionOfficerRowView] }) byOfficer!: SatisfactionOfficerRowView[];
  @ApiProperty({ type: PetitionFiguresView }) petitions!: PetitionFiguresView;
}
