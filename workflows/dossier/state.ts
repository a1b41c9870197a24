import { formatFormTime, type WorkingCalendar } from '../../libs/calendar/src';
import {
  type EventPayload,
  type NationalStatus,
  type PayloadOf,
  type TimelinessPolicy,
  type TransitionEvent,
  type TransitionEventOf,
  type TransitionEventType,
  type TransitionPayloads,
} from '../../libs/domain/src';
import {
  type DossierAction,
  type DossierDeadline,
  type DossierOutcome,
  type DossierRules,
  type DossierState,
  type DossierWorkflowInput,
  type DossierWorkflowSnapshot,
  type LedgerEntry,
  type SegmentInstance,
  type SegmentRule,
  type SegmentWorkflowInput,
  type StepInstance,
  type StepRule,
  TERMINAL_STATES,
} from '../dossier.types';
import { type Patches } from './patches';
import { RuleViolation } from './rule-violation';

/** A request of one action, e.g. `Request<'refuse'>`. */
export type Request<A extends DossierAction['action']> = Extract<DossierAction, { action: A }>;

/** Actions a segment's child workflow takes whose consequences are the dossier's (its clock, state, outcome). */
export const DOSSIER_LEVEL_ACTIONS: DossierAction['action'][] = [
  'request-supplement',
  'submit-supplement',
  'refuse',
  'request-extension',
  'withdraw',
  'request-payment',
  'record-payment',
];

export interface Supplement {
  requestedAt: string;
  windowEndsAt: string;
  items: string[];
  reason: string;
}

/** The segment whose child workflow (or partner system) holds the dossier, and where its steps sit on the sheet. */
export interface Delegation {
  segment: SegmentInstance;
  rule: SegmentRule;
  base: number;
  count: number;
  /** With a partner's system: one step on the control sheet stands for the partner's work. */
  external: boolean;
}

/**
 * The one record of a dossier's process: what it was started with (read-only) and everything the actions, timers,
 * hand-overs and calendar edits change. Every module of the machine works on it; nothing else holds state.
 */
export interface Dossier {
  readonly input: DossierWorkflowInput;
  readonly rules: DossierRules;
  readonly policy: TimelinessPolicy;
  /** Names hand-offs (the workflow's deterministic UUIDs). */
  readonly newId: () => string;
  /** The rule changes this dossier runs with (see patches.ts). */
  readonly patches: Patches;
  /**
   * The clock of executions started before the rules as the law has them (replay): a due time filling its last day
   * is the next day's opening, a calendar-day window is added as working time, no warning point for calendar days or
   * budgets of 1 WD or less, the desk step on its budget, and a restart keeps the receipt's appointment.
   */
  readonly legacyClock: boolean;
  calendar: WorkingCalendar;
  state: DossierState;
  nationalStatus: NationalStatus;
  outcome: DossierOutcome | null;
  readonly steps: StepInstance[];
  deadline: DossierDeadline;
  finishedAt: string | null;
  timeliness: DossierWorkflowSnapshot['timeliness'];
  paid: boolean;
  supplement: Supplement | null;
  /** A connected procedure's segments as handed over so far; undefined for a single-agency procedure. */
  readonly segments?: SegmentInstance[];
  delegated: Delegation | null;
  /** A segment handed over whose child workflow the dossier workflow has yet to start. */
  handedOver: SegmentWorkflowInput | null;
  /** The dossier's warning point and due time have fired (re-armed by an extension or a restart). */
  warned: boolean;
  breached: boolean;
}

export const current = (d: Dossier): StepInstance | null => {
  const last = d.steps.at(-1);
  return last && last.completedAt === null ? last : null;
};

export const isTerminal = (d: Dossier): boolean => TERMINAL_STATES.includes(d.state);

export function rule(d: Dossier, code: string): StepRule {
  const found = d.rules.steps.find((s) => s.code === code);
  if (!found) {
    throw new RuleViolation('WRONG_STEP', `The procedure has no step ${code}.`);
  }
  return atReceivingDesk(d, found);
}

/** The step that returns the result at the desk: not counted, and with no step after it. */
export const isReturnStep = (r: StepRule): boolean => !r.counted && r.next.length === 0;

/**
 * One-stop: the applicant collects the result where they applied, so a desk's return step is the receiving desk's,
 * whichever agency's desk the procedure names (a connected procedure ends at another agency's).
 */
export const atReceivingDesk = (d: Dossier, r: StepRule): StepRule =>
  d.patches.returnAtReceivingDesk && isReturnStep(r) && r.role === 'DESK_CLERK'
    ? { ...r, unit: d.input.receivingUnitCode }
    : r;

/**
 * The result is handed over in the visit it was asked for: the case says so, or its first step already returns it.
 * No appointment, so no ladder; the desk returns it from that step.
 */
export const returnsAtOnce = (d: Dossier): boolean =>
  d.patches.immediateReturn &&
  (d.rules.returnsImmediately === true || (d.rules.steps.length > 0 && isReturnStep(d.rules.steps[0])));

export function snapshot(d: Dossier, lastEventSeq: number): DossierWorkflowSnapshot {
  return {
    dossierCode: d.input.dossierCode,
    state: d.state,
    nationalStatus: d.nationalStatus,
    outcome: d.outcome,
    currentStep: current(d),
    steps: d.steps,
    deadline: d.deadline,
    finishedAt: d.finishedAt,
    timeliness: d.timeliness,
    paid: d.paid,
    lastEventSeq,
    ...(d.segments ? { segments: d.segments } : {}),
    ...(d.input.handoff ? { origin: d.input.handoff } : {}),
  };
}

/** An event at the dossier's national status as it is now. */
export function event<T extends TransitionEventType>(
  d: Dossier,
  type: T,
  occurredAt: string,
  extra: Partial<Pick<TransitionEvent, 'actorId' | 'facts' | 'notifications'>> &
    (T extends keyof TransitionPayloads ? { payload: PayloadOf<T> } : { payload?: EventPayload }),
): TransitionEventOf<T> {
  const payload: EventPayload = extra.payload ?? {};
  // TypeScript cannot see that a generic type and its payload stay paired; the parameter types above pair them.
  return {
    type,
    nationalStatus: d.nationalStatus,
    occurredAt,
    actorId: extra.actorId,
    payload,
    facts: extra.facts ?? [],
    notifications: extra.notifications ?? [],
  } as TransitionEventOf<T>;
}

/** Adds an entry to the deadline ledger, with the due time as it is now. */
export function ledger(
  d: Dossier,
  at: string,
  kind: LedgerEntry['kind'],
  entry: Omit<LedgerEntry, 'at' | 'kind' | 'dueAt'>,
): void {
  d.deadline.ledger.push({ at, kind, dueAt: d.deadline.dueAt, ...entry });
}

/** `hh:mm dd/mm/yyyy` in the deployment's zone, as forms print it. */
export const fmt = (d: Pick<Dossier, 'calendar'>, at: Date): string => formatFormTime(d.calendar, at);

export const fmtIso = (d: Pick<Dossier, 'calendar'>, iso: string | null | undefined): string =>
  iso ? fmt(d, new Date(iso)) : '—';
