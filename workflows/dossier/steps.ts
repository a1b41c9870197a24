/** The control sheet's rows: opening and closing steps, who is told, and the end of processing. */
import {
  budgetMs,
  type DeadlineClock,
  judgeTimeliness,
  NationalStatus,
  type NotificationDraft,
  type Timeliness,
  type TransitionEvent,
} from '../../libs/domain/src';
import { type Actor, type DossierOutcome, type DossierState, type StepInstance, type StepRule } from '../dossier.types';
import { closePauses, project } from './clock';
import { atReceivingDesk, current, type Dossier, event, isReturnStep, ledger, returnsAtOnce, rule } from './state';
import { ledgerLine, notice } from './texts';

/** A step of the procedure as a blank row of the control sheet. */
export function asInstance(r: StepRule): StepInstance {
  return {
    no: 0,
    code: r.code,
    name: r.name,
    unit: r.unit,
    role: r.role,
    counted: r.counted,
    holderId: null,
    holderName: null,
    startedAt: '',
    clock: null,
    dueAt: null,
    completedAt: null,
    result: null,
    exit: null,
    handedTo: null,
    note: null,
    rungs: { half: false, threeQuarters: false, breach: false },
  };
}

/**
 * Opens the step at `startedAt`, held by `holder` (or waiting to be claimed); its clock runs if it is timed, on the
 * step's budget unless a rule gives it a clock of its own (the desk's transfer).
 */
export function openStep(
  d: Dossier,
  r: StepRule,
  startedAt: string,
  holder: { id: string; name: string | null } | null,
  clock?: DeadlineClock,
): StepInstance {
  const timed = r.counted && r.budget.amount > 0;
  const step: StepInstance = {
    ...asInstance(r),
    no: d.steps.length + 1,
    holderId: holder?.id ?? null,
    holderName: holder?.name ?? null,
    startedAt,
    clock:
      clock ??
      (timed
        ? { startedAt, unit: r.budget.unit, budgetMs: budgetMs(r.budget.amount, r.budget.unit), pauses: [] }
        : null),
  };
  d.steps.push(step);
  project(d);
  return step;
}

/** Closes the open step, judging it against its own due time. */
export function closeStep(d: Dossier, now: Date, exit: NonNullable<StepInstance['exit']>, note: string | null) {
  const step = current(d) as StepInstance;
  project(d);
  step.completedAt = now.toISOString();
  step.exit = exit;
  step.note = note;
  if (step.dueAt) {
    step.result = judgeTimeliness(d.calendar, now, new Date(step.dueAt), d.policy);
  }
  return step;
}

/** The notice to the unit's head of a step arriving with nobody holding it. */
export const stepArrived = (d: Dossier, step: StepInstance): NotificationDraft => ({
  kind: 'STEP_ARRIVED',
  audience: [{ kind: 'UNIT_HEAD', unit: step.unit }],
  message: notice.stepArrived(d, step),
});

/** The notice to the officer a step was given to. */
export const assigned = (d: Dossier, step: StepInstance): NotificationDraft => ({
  kind: 'STEP_ASSIGNED',
  audience: [{ kind: 'OFFICER', officerId: step.holderId as string }],
  message: notice.stepAssigned(d, step),
});

/** Whoever should hear of a step just opened: its holder, or its unit's head. */
export const arrivedOrAssigned = (d: Dossier, step: StepInstance): NotificationDraft =>
  step.holderId ? assigned(d, step) : stepArrived(d, step);

export { isReturnStep } from './state';

/** Earlier steps the holder may send the dossier back to. */
export function returnTargets(d: Dossier): StepInstance[] {
  const held = current(d);
  const seen = new Set<string>();
  return d.steps.slice(0, -1).filter((s) => s.code !== held?.code && !seen.has(s.code) && seen.add(s.code));
}

/** Where `complete` may send the dossier from the step open now. */
export function nextSteps(d: Dossier): StepRule[] {
  const held = current(d);
  return held ? rule(d, held.code).next.map((code) => rule(d, code)) : [];
}

/**
 * Processing is over (approved or refused): the dossier is judged against its due time, and the result waits at
 * the return step, or goes back electronically to the partner system that handed the dossier over.
 */
export function finishProcessing(
  d: Dossier,
  now: Date,
  outcome: DossierOutcome,
  actor: Actor,
  payload: Record<string, unknown>,
  type: 'PROCESSED' | 'REFUSED',
  returnRule: StepRule | null | undefined = d.rules.steps.find(isReturnStep),
  assignee?: Actor,
): TransitionEvent[] {
  const at = now.toISOString();
  const due = new Date(d.deadline.dueAt as string);
  d.finishedAt = at;
  d.outcome = outcome;
  d.timeliness = returnsAtOnce(d) ? judgedOnTheDay(d, now, due) : judgeTimeliness(d.calendar, now, due, d.policy);
  if (d.deadline.indexDueAt) {
    d.deadline.indexTimeliness = judgeTimeliness(d.calendar, now, new Date(d.deadline.indexDueAt), d.policy);
  }
  returnRule = returnRule && atReceivingDesk(d, returnRule);
  d.state = 'READY_FOR_RETURN';
  d.nationalStatus = NationalStatus.PROCESSED;
  ledger(d, at, 'FINISHED', { explanation: ledgerLine.finished(d, now, due), by: actor.officerId });
  const notifications: NotificationDraft[] = [];
  if (returnRule) {
    const holder = assignee ? { id: assignee.officerId, name: assignee.fullName } : null;
    const step = openStep(d, returnRule, at, holder);
    notifications.push(holder ? assigned(d, step) : stepArrived(d, step));
  }
  const finished = event(d, type, at, {
    actorId: actor.officerId,
    payload: { ...payload, outcome, timeliness: d.timeliness, dueAt: d.deadline.dueAt },
    notifications,
  });
  const origin = d.input.handoff;
  if (!origin || returnRule) {
    return [finished];
  }
  // Handed over by a partner system: the result goes back to it electronically, there is no desk to return it.
  d.state = 'RESULT_RETURNED';
  d.nationalStatus = NationalStatus.RESULT_RETURNED;
  return [
    finished,
    event(d, 'RESULT_RETURNED', at, {
      payload: { deliveryMethod: 'ELECTRONIC', outcome, to: origin.partner, handoffId: origin.handoffId },
    }),
  ];
}

/** A result handed over with no appointment is on time on the day it was asked for, late on a later day. */
function judgedOnTheDay(d: Dossier, finishedAt: Date, due: Date): Timeliness {
  return d.calendar.local(finishedAt.getTime()).day <= d.calendar.local(due.getTime()).day ? 'ON_TIME' : 'LATE';
}

/** The dossier stops before any result (withdrawn, or closed for want of documents): its clocks stop for good. */
export function stopProcessing(
  d: Dossier,
  now: Date,
  end: { state: DossierState; outcome: DossierOutcome; nationalStatus: NationalStatus; note: string },
): void {
  const at = now.toISOString();
  closePauses(d, at);
  closeStep(d, now, end.state === 'CLOSED' ? 'CLOSED' : 'WITHDRAWN', end.note);
  const partner = d.delegated?.external ? d.delegated.segment : null;
  if (partner && d.patches.segmentOutcomes) {
    // The partner's share ends here too (the partner hears of it through the hand-off notice).
    partner.completedAt = at;
    partner.outcome = end.state === 'CLOSED' ? 'CLOSED' : 'WITHDRAWN';
    d.delegated = null;
  }
  d.state = end.state;
  d.outcome = end.outcome;
  d.nationalStatus = end.nationalStatus;
  d.finishedAt = at;
  d.supplement = null;
  project(d);
}
