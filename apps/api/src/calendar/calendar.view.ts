import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CalendarDayDto } from './calendar.dto';

const SOURCES = ['OFFICIAL', 'COMPUTED'];

export class DueView {
  @ApiProperty({ example: '2026-02-13T16:30:00+07:00', description: 'The start, in the local zone' }) from!: string;
  @ApiProperty({ example: 3 }) amount!: number;
  @ApiProperty({ enum: ['WD', 'WH', 'CD'] }) unit!: string;
  @ApiProperty({ example: 'VN', description: 'The scope asked for' }) scope!: string;
  @ApiProperty({
    type: [String],
    example: ['VN', 'H36'],
    description: 'The scopes whose calendars apply, broadest first',
  })
  scopes!: string[];
  @ApiProperty({ description: 'Where counting starts, after the cut-off rule (local)' }) anchor!: string;
  @ApiProperty({ example: '2026-02-25T16:30:00+07:00', description: 'The due instant (local)' }) due!: string;
  @ApiProperty({ type: [CalendarDayDto], description: 'Named days off between the anchor and the due instant' })
  holidaysSkipped!: CalendarDayDto[];
}

export class ElapsedView {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() scope!: string;
  @ApiProperty() workingMinutes!: number;
  @ApiProperty() workingHours!: number;
  @ApiProperty({ description: 'Rounded to four decimals' }) workingDays!: number;
  @ApiProperty({ description: 'Local calendar days between the two dates' }) calendarDays!: number;
}

/** What a scope itself published for a year. */
export class StoredCalendarYearView {
  @ApiProperty() scope!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ type: [CalendarDayDto] }) holidays!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto] }) makeupWorkdays!: CalendarDayDto[];
  @ApiProperty({ enum: SOURCES }) source!: string;
  @ApiPropertyOptional() legalBasis?: string;
  @ApiProperty({ description: 'Raised by each edit' }) version!: number;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The officer who last edited it' })
  updatedBy!: string | null;
}

/** The year as dossiers are counted in the scope: the chain's entries merged (make-up days win over holidays). */
export class EffectiveYearView {
  @ApiProperty() year!: number;
  @ApiProperty({ type: [CalendarDayDto] }) holidays!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto] }) makeupWorkdays!: CalendarDayDto[];
  @ApiProperty({ enum: SOURCES, description: 'COMPUTED: from the Labour Code until a schedule is published' })
  source!: string;
  @ApiPropertyOptional() legalBasis?: string;
  @ApiProperty({ type: [String], description: 'The scopes merged, broadest first' }) scopes!: string[];
}

export class CalendarYearView {
  @ApiProperty() scope!: string;
  @ApiProperty() year!: number;
  @ApiPropertyOptional({
    nullable: true,
    type: StoredCalendarYearView,
    description: 'Null when the scope has no entry',
  })
  own!: StoredCalendarYearView | null;
  @ApiProperty({ type: EffectiveYearView }) effective!: EffectiveYearView;
}

/** What a save would do (`?dryRun=true`): nothing was saved and no dossier was signalled. */
export class CalendarDryRunView {
  @ApiProperty({ enum: [true], description: 'Always true: tells this answer from a save' }) dryRun!: true;
  @ApiProperty() scope!: string;
  @ApiProperty() year!: number;
  @ApiProperty({
    example: 3,
    description:
      'Running dossiers (not finished, received in the scope’s units, whose deadline can span the year) whose ' +
      'deadlines a save would re-project: exactly those the save signals',
  })
  affectedDossiers!: number;
  @ApiProperty({ type: [CalendarDayDto], description: "Holidays the body adds to the scope's year as it stands" })
  holidaysAdded!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto], description: 'Holidays the body removes' }) holidaysRemoved!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto], description: 'Make-up working days the body adds' })
  makeupWorkdaysAdded!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto], description: 'Make-up working days the body removes' })
  makeupWorkdaysRemoved!: CalendarDayDto[];
}

/** One dossier whose deadlines an edit of the year re-projected: its CALENDAR_CHANGE ledger entry. */
export class CalendarChangeView {
  @ApiProperty({ example: '000.00.20.H36-261120-0001' }) dossierCode!: string;
  @ApiProperty({ description: 'When the dossier re-projected its deadlines' }) at!: string;
  @ApiProperty() scope!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ type: [String], example: ['2026-11-26'], description: 'The dates whose status the edit changed' })
  changedDates!: string[];
  @ApiProperty({ nullable: true, type: String }) legalBasis!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The dossier's due time before the edit" })
  previousDueAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Its due time after it (unchanged when only a step moved)',
  })
  dueAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The ledger entry's explanation, in the engine's words" })
  explanation!: string | null;
}

export class CalendarChangesView {
  @ApiProperty() scope!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ type: [CalendarChangeView], description: 'Newest first' }) items!: CalendarChangeView[];
}
