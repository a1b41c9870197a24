/** The dossier's clock: its budget from the anchor, pauses and resumption, restart, and re-projection. */
import { DAY_MS, WORKING_DAY_MS, type WorkingCalendar } from '../../libs/calendar/src';
import {
  budgetMs,
  type DeadlineClock,
  dueAt,
  inWorkingDays,
  instantAt,
  NationalStatus,
  type StepRule,
  type TransitionEvent,
} from '../../libs/domain/src';
import {
  type Actor,
  type CalendarChangedSignal,
  type ClockPauseReasonLabel,
  type DossierDeadline,
} from '../dossier.types';
import { current, type Dossier, event, isTerminal, ledger } from './state';
import { ledgerLine, notice } from './texts';

/** The deadline of a dossier received now: the budget counted from the anchor, with the ledger's first entry. */
export function openDeadline(d: Pick<Dossier, 'calendar' | 'rules' | 'input'>, extended: boolean): DossierDeadline {
  const { input, rules } = d;
  const receivedAt = new Date(input.receivedAt);
  const { processingTime, cutoff } = rules;
  const anchor = d.calendar.anchor(receivedAt, cutoff ?? {});
  const clock: DeadlineClock = {
    startedAt: anchor.toISOString(),
    unit: processingTime.unit,
    budgetMs: budgetMs(processingTime.amount, processingTime.unit),
    pauses: [],
  };
  const due = dueAt(d.calendar, clock) as Date;
  return {
    anchorAt: anchor.toISOString(),
    budget: processingTime,
    promisedAt: due.toISOString(),
    dueAt: due.toISOString(),
    warningAt: null,
    clock,
    pausedSince: null,
    pauseReason: null,
    extended,
    supplementRequests: 0,
    ledger: [
      {
        at: input.receivedAt,
        kind: 'ANCHOR',
        dueAt: due.toISOString(),
        explanation: ledgerLine.anchor(d, receivedAt, anchor, due),
        legalBasis: rules.legalBasis,
      },
    ],
  };
}

/** Derives the due times from the clocks on the current calendar. */
export function project(d: Dossier): void {
  const clock = d.deadline.clock;
  const due = dueAt(d.calendar, clock);
  d.deadline.dueAt = due ? due.toISOString() : null;
  const warning = d.legacyClock
    ? clock.unit !== 'CD' && clock.budgetMs > WORKING_DAY_MS
      ? instantAt(d.calendar, clock, clock.budgetMs - WORKING_DAY_MS)
      : null
    : warningPoint(d.calendar, clock, due);
  d.deadline.warningAt = warning ? warning.toISOString() : null;
  if (d.deadline.indexClock) {
    d.deadline.indexDueAt = dueAt(d.calendar, d.deadline.indexClock)?.toISOString() ?? null;
  }
  const step = current(d);
  if (step?.clock) {
    const stepDue = dueAt(d.calendar, step.clock);
    step.dueAt = stepDue ? stepDue.toISOString() : null;
  }
}

/**
 * The latest instant the agency may still apologise and set a new return time (form 04): one day before the due
 * time, in the unit of the rule — a working day for working time, a calendar day (on a day off, the close of the
 * working day before) for calendar days. A budget of one day or less leaves no such day: its midpoint instead.
 */
function warningPoint(calendar: WorkingCalendar, clock: DeadlineClock, due: Date | null): Date | null {
  if (!due || clock.budgetMs <= 0) {
    return null;
  }
  if (clock.unit === 'CD') {
    const lead = clock.budgetMs > DAY_MS ? DAY_MS : clock.budgetMs / 2;
    return calendar.lastWorkingInstant(new Date(due.getTime() - lead));
  }
  const lead = clock.budgetMs > WORKING_DAY_MS ? WORKING_DAY_MS : Math.round(clock.budgetMs / 2);
  return instantAt(calendar, clock, clock.budgetMs - lead);
}

/**
 * The desk step's clock under the transfer rule (domain §2.3): it runs until the dossier must have reached the
 * deciding agency (the same working day, the next one after 15:00, or 1 WD on paper), not on the step's budget.
 * Undefined when the rule does not apply: another step, an untimed one, or an execution from before the rule.
 */
export function transferClock(d: Dossier, r: StepRule, startedAt: string): DeadlineClock | undefined {
  const transfer = d.rules.transfer;
  const desk = r.role === 'DESK_CLERK' && r.unit === d.input.receivingUnitCode;
  if (d.legacyClock || !transfer || !desk || !(r.counted && r.budget.amount > 0)) {
    return undefined;
  }
  const start = d.calendar.nextWorkingInstant(new Date(startedAt));
  const due = d.calendar.transferDue(start, transfer);
  return { startedAt, unit: 'WD', budgetMs: d.calendar.workingBetween(start, due), pauses: [] };
}

/** Stops the dossier's clock and the open step's. */
export function pause(d: Dossier, at: string, reason: ClockPauseReasonLabel): void {
  for (const clock of [d.deadline.clock, d.deadline.indexClock, current(d)?.clock]) {
    clock?.pauses.push({ from: at, to: null, reason });
  }
  d.deadline.pausedSince = at;
  d.deadline.pauseReason = reason;
  project(d);
}

/** Closes the open pause; returns how much working time the wait took. */
export function resume(d: Dossier, at: string): number {
  const open = d.deadline.clock.pauses.at(-1);
  const waited = open ? d.calendar.workingBetween(new Date(open.from), new Date(at)) : 0;
  closePauses(d, at);
  project(d);
  return waited;
}

export function closePauses(d: Dossier, at: string): void {
  for (const clock of [d.deadline.clock, d.deadline.indexClock, current(d)?.clock]) {
    const open = clock?.pauses.at(-1);
    if (open && open.to === null) {
      open.to = at;
    }
  }
  d.deadline.pausedSince = null;
  d.deadline.pauseReason = null;
}

/** The end of the applicant's window for a supplement asked for at `requestedAt`, in the unit of the rule. */
export function applicantWindowEnd(d: Dossier, calendar: WorkingCalendar, requestedAt: Date): Date {
  const { amount, unit } = d.rules.clockPolicy.applicantWindow;
  if (unit === 'CD' && !d.legacyClock) {
    return calendar.due(requestedAt, amount, 'CD').due;
  }
  return calendar.addWorking(calendar.nextWorkingInstant(requestedAt), budgetMs(amount, unit));
}

/**
 * Adds an extension's working days to the dossier's clock; not to the clock Decision 766 judges by (the first
 * appointment plus the waits): an apology letter does not move it. A clock in calendar days grows by the calendar days
 * those working days span from its due time.
 */
export function extend(d: Dossier, extraWorkingDays: number): void {
  const extra = Math.round(extraWorkingDays * WORKING_DAY_MS);
  const clock = d.deadline.clock;
  const due = clock.unit === 'CD' && !d.legacyClock ? dueAt(d.calendar, clock) : null;
  if (due) {
    const later = d.calendar.addWorking(due, extra, d.calendar.local(due.getTime()).msOfDay);
    clock.budgetMs += Math.round((later.getTime() - due.getTime()) / DAY_MS) * DAY_MS;
  } else {
    clock.budgetMs += extra;
  }
}

/** The complete dossier arrived: the clock resumes (PAUSE) or starts again from a new anchor (RESTART). */
export function resumeAfterSupplement(d: Dossier, actor: Actor, note: string | null, now: Date): TransitionEvent[] {
  const at = now.toISOString();
  const before = d.deadline.dueAt;
  const restarted = d.rules.clockPolicy.supplement === 'RESTART' && !d.legacyClock;
  if (d.rules.clockPolicy.supplement === 'RESTART') {
    closePauses(d, at);
    if (restarted && !d.deadline.indexClock) {
      // Decision 766 keeps judging by the first appointment, moved by the wait just closed.
      d.deadline.indexClock = { ...d.deadline.clock, pauses: d.deadline.clock.pauses.map((p) => ({ ...p })) };
    }
    const anchor = d.calendar.anchor(now, d.rules.cutoff ?? {});
    d.deadline.clock = { ...d.deadline.clock, startedAt: anchor.toISOString(), pauses: [] };
    d.deadline.anchorAt = anchor.toISOString();
    d.deadline.pausedSince = null;
    d.deadline.pauseReason = null;
    const step = current(d);
    if (step?.clock) {
      step.clock = { ...step.clock, startedAt: at, pauses: [] };
      step.rungs = { half: false, threeQuarters: false, breach: false };
    }
    d.warned = false;
    d.breached = false;
    project(d);
    if (restarted && d.deadline.dueAt) {
      // A new appointment: the receipt, the register, the public lookup and the portal show it from now on.
      d.deadline.promisedAt = d.deadline.dueAt;
    }
    ledger(d, at, 'RESTART', {
      explanation: ledgerLine.restarted(d, now, anchor),
      by: actor.officerId,
      legalBasis: d.rules.legalBasis,
      previousDueAt: before,
    });
  } else {
    const waited = resume(d, at);
    ledger(d, at, 'RESUME', {
      explanation: ledgerLine.supplementResumed(d, now, inWorkingDays(waited)),
      by: actor.officerId,
      previousDueAt: before,
    });
  }
  d.supplement = null;
  d.state = 'IN_PROGRESS';
  d.nationalStatus = NationalStatus.PROCESSING;
  const step = current(d);
  return [
    event(d, 'SUPPLEMENT_SUBMITTED', at, {
      actorId: actor.officerId,
      payload: {
        note,
        policy: d.rules.clockPolicy.supplement,
        dueBefore: before,
        dueAfter: d.deadline.dueAt,
        ...(restarted ? { promisedAt: d.deadline.promisedAt, indexDueAt: d.deadline.indexDueAt } : {}),
      },
      notifications: step?.holderId
        ? [
            {
              kind: 'SUPPLEMENT_SUBMITTED',
              audience: [{ kind: 'OFFICER', officerId: step.holderId }],
              message: notice.supplementSubmitted(d),
            },
          ]
        : [],
    }),
  ];
}

/** Re-projects every deadline on an edited calendar; a ledger entry names the change when a due time moves. */
export function recalendar(
  d: Dossier,
  calendar: WorkingCalendar,
  change: CalendarChangedSignal,
  now: Date,
): TransitionEvent[] {
  const dues = () => ({
    due: d.deadline.dueAt,
    step: current(d)?.dueAt ?? null,
    window: d.supplement?.windowEndsAt ?? null,
  });
  const before = dues();
  d.calendar = calendar.withDueAtClose(!d.legacyClock);
  if (d.supplement) {
    d.supplement.windowEndsAt = applicantWindowEnd(d, d.calendar, new Date(d.supplement.requestedAt)).toISOString();
  }
  if (!isTerminal(d) && d.state !== 'READY_FOR_RETURN') {
    project(d);
  }
  const after = dues();
  if (before.due === after.due && before.step === after.step && before.window === after.window) {
    return [];
  }
  const at = now.toISOString();
  ledger(d, at, 'CALENDAR_CHANGE', {
    explanation: ledgerLine.calendarChanged(d, change, before.due, after.due),
    by: change.changedBy,
    legalBasis: change.legalBasis,
    previousDueAt: before.due,
  });
  return [event(d, 'DEADLINE_REPROJECTED', at, { payload: { change, before, after } })];
}
