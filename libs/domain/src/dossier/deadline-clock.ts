import { type DurationUnit, MINUTE_MS, WORKING_DAY_MS, type WorkingCalendar } from '../../../calendar/src';

/** A stretch during which the clock did not run (waiting for the applicant's documents or for a payment). */
export interface ClockPause {
  from: string;
  /** Null while the pause lasts. */
  to: string | null;
  reason: 'SUPPLEMENT' | 'PAYMENT';
}

/**
 * A budget of time that runs from `startedAt` and stops during pauses: the dossier's statutory time and each
 * step's share of it are both clocks. Instants are ISO strings so a clock is plain data (workflow state, JSON).
 */
export interface DeadlineClock {
  startedAt: string;
  unit: DurationUnit;
  /** Working ms for WD/WH, real ms for CD. */
  budgetMs: number;
  pauses: ClockPause[];
}

export function budgetMs(amount: number, unit: DurationUnit): number {
  switch (unit) {
    case 'WD':
      return Math.round(amount * WORKING_DAY_MS);
    case 'WH':
      return Math.round(amount * 60 * MINUTE_MS);
    case 'CD':
      return Math.round(amount * 86_400_000);
  }
}

const ms = (iso: string): number => Date.parse(iso);

function span(calendar: WorkingCalendar, clock: DeadlineClock, from: number, to: number): number {
  if (to <= from) {
    return 0;
  }
  return clock.unit === 'CD' ? to - from : calendar.workingBetween(new Date(from), new Date(to));
}

export const isPaused = (clock: DeadlineClock): boolean => clock.pauses.at(-1)?.to === null;

/** Time consumed by the instant `at` (pauses subtracted). */
export function consumedAt(calendar: WorkingCalendar, clock: DeadlineClock, at: Date): number {
  const until = at.getTime();
  let cursor = ms(clock.startedAt);
  let consumed = 0;
  for (const pause of clock.pauses) {
    const from = ms(pause.from);
    if (until <= from) {
      break;
    }
    consumed += span(calendar, clock, cursor, from);
    if (pause.to === null || until <= ms(pause.to)) {
      return consumed;
    }
    cursor = ms(pause.to);
  }
  return consumed + span(calendar, clock, cursor, until);
}

/**
 * The instant at which the clock will have consumed `targetMs`, or null when it stops (an open pause) first.
 * Working amounts keep the time of day of the stretch they end in (09:40 + 1 WD is 09:40 the next working day).
 */
export function instantAt(calendar: WorkingCalendar, clock: DeadlineClock, targetMs: number): Date | null {
  let cursor = ms(clock.startedAt);
  let remaining = targetMs;
  for (const pause of clock.pauses) {
    const used = span(calendar, clock, cursor, ms(pause.from));
    if (used >= remaining) {
      return advance(calendar, clock, cursor, remaining);
    }
    if (pause.to === null) {
      return null;
    }
    remaining -= used;
    cursor = ms(pause.to);
  }
  return advance(calendar, clock, cursor, remaining);
}

function advance(calendar: WorkingCalendar, clock: DeadlineClock, from: number, amount: number): Date {
  if (clock.unit === 'CD') {
    // Calendar days end by the Civil Code rule (a period ending on a day off ends with the next working day).
    return calendar.due(new Date(from), amount / 86_400_000, 'CD').due;
  }
  const start = calendar.nextWorkingInstant(new Date(from));
  return calendar.addWorking(start, Math.max(0, amount), calendar.local(start.getTime()).msOfDay);
}

/** When the budget runs out; null while paused. */
export const dueAt = (calendar: WorkingCalendar, clock: DeadlineClock): Date | null =>
  instantAt(calendar, clock, clock.budgetMs);

/** Budget left at `at` (negative once overrun). */
export const remainingAt = (calendar: WorkingCalendar, clock: DeadlineClock, at: Date): number =>
  clock.budgetMs - consumedAt(calendar, clock, at);

/** Working time expressed in working days, rounded to the minute (e.g. 2.5). */
export const inWorkingDays = (workingMs: number): number => Math.round(workingMs / MINUTE_MS) / (8 * 60);
