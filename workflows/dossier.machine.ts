import { type WorkingCalendar } from '../libs/calendar/src';
import { NationalStatus, type TimelinessPolicy, type TransitionEvent } from '../libs/domain/src';
import { permit, perform, validate } from './dossier/actions/action-table';
import { openDeadline, project, recalendar, transferClock } from './dossier/clock';
import { fire, nextWakeAt } from './dossier/ladder';
import { applyCallback, checkCallback } from './dossier/partner';
import { RuleViolation } from './dossier/rule-violation';
import { ALL_PATCHES, type Patches } from './dossier/patches';
import { handOver, mirror, takeHandOver } from './dossier/segments';
import {
  atReceivingDesk,
  current,
  type Dossier,
  event,
  fmt,
  isTerminal,
  snapshot,
  type Supplement,
} from './dossier/state';
import { nextSteps, openStep, returnTargets, stepArrived } from './dossier/steps';
import {
  type Actor,
  type CalendarChangedSignal,
  type DossierAction,
  type DossierActionCommand,
  type DossierDeadline,
  type DossierOutcome,
  type DossierState,
  type DossierWorkflowInput,
  type DossierWorkflowSnapshot,
  type HandoffCallback,
  type SegmentInstance,
  type SegmentReport,
  type SegmentWorkflowInput,
  type StepInstance,
  type StepRule,
  DOSSIER_ACTIONS,
} from './dossier.types';

export { RuleViolation, type RuleViolationType } from './dossier/rule-violation';

export interface DossierMachineOptions {
  /** How a finished dossier or step is judged against its due time. */
  policy?: TimelinessPolicy;
  /** Names hand-offs to partner systems; the dossier workflow supplies its deterministic UUIDs. */
  newId?: () => string;
  /** The dossier's return time was already set once (a segment of a dossier extended before it was handed over). */
  extended?: boolean;
  /** Supplement requests the dossier made before this segment was handed over (the limit is the dossier's). */
  supplementRequests?: number;
  /** The rule changes in force for this dossier (all of them unless its workflow started before some). */
  patches?: Patches;
  /** The clock of executions started before the rules as the law has them (see `Dossier.legacyClock`). */
  legacyClock?: boolean;
}

const noIds = (): string => {
  throw new Error('the dossier workflow supplies hand-off IDs');
};

/**
 * The dossier's process, as pure state: the procedure's steps, the clocks, the escalation ladder and the deadline
 * ledger. Deterministic (instants come in as arguments), so the workflow wraps it and unit tests drive it directly.
 * A facade: the state is one record (`dossier/state.ts`), and each concern is a module of `dossier/`.
 */
export class DossierMachine {
  private readonly d: Dossier;
  /** The control sheet: every step instance so far, in order. */
  readonly steps: StepInstance[];
  /** The dossier's clock, due time, warning point and ledger. */
  readonly deadline: DossierDeadline;
  /** A connected procedure's segments as handed over so far; undefined for a single-agency procedure. */
  readonly segments?: SegmentInstance[];

  constructor(input: DossierWorkflowInput, calendar: WorkingCalendar, options: DossierMachineOptions = {}) {
    if (!input.rules) {
      throw new Error('the step interpreter needs the procedure snapshot (rules)');
    }
    const rules = input.rules;
    const legacyClock = options.legacyClock ?? false;
    calendar = calendar.withDueAtClose(!legacyClock);
    this.d = {
      input,
      rules,
      policy: options.policy ?? 'DUE_DAY',
      newId: options.newId ?? noIds,
      patches: options.patches ?? ALL_PATCHES,
      legacyClock,
      calendar,
      state: 'IN_PROGRESS',
      nationalStatus: NationalStatus.PROCESSING,
      outcome: null,
      steps: [],
      deadline: openDeadline({ input, rules, calendar }, options.extended ?? false),
      finishedAt: null,
      timeliness: null,
      paid: false,
      supplement: null,
      ...(rules.segments?.length ? { segments: [] } : {}),
      delegated: null,
      handedOver: null,
      warned: false,
      breached: false,
    };
    this.d.deadline.supplementRequests = options.supplementRequests ?? 0;
    project(this.d);
    ({ steps: this.steps, deadline: this.deadline, segments: this.segments } = this.d);
  }

  /** Where the dossier is in its process (in progress, waiting for the applicant, ready for return, ended). */
  get state(): DossierState {
    return this.d.state;
  }

  /** The status the national portal shows. */
  get nationalStatus(): NationalStatus {
    return this.d.nationalStatus;
  }

  /** The step open now, if any. */
  get current(): StepInstance | null {
    return current(this.d);
  }

  get terminal(): boolean {
    return isTerminal(this.d);
  }

  /** When processing ended (or the dossier was withdrawn or closed); null until then. */
  get finishedAt(): string | null {
    return this.d.finishedAt;
  }

  /** Takes the dossier into processing at its first step. */
  start(): TransitionEvent[] {
    const d = this.d;
    const first = atReceivingDesk(d, d.rules.steps[0]);
    const started = (notifications: TransitionEvent['notifications']): TransitionEvent =>
      event(d, 'PROCESSING_STARTED', d.input.receivedAt, {
        payload: {
          procedureCode: d.input.procedureCode,
          procedureVersionId: d.rules.procedureVersionId,
          step: first.code,
          promisedAt: d.deadline.promisedAt,
        },
        notifications,
      });
    if (d.segments) {
      // The first agency's child workflow opens the first step: its clock starts with the dossier's.
      return [started([]), ...handOver(d, 0, d.deadline.anchorAt, d.input.receivedAt)];
    }
    const desk = first.unit === d.input.receivingUnitCode && first.role === 'DESK_CLERK' && d.input.receivedBy;
    const holder = desk ? { id: desk, name: null } : null;
    const step = openStep(d, first, d.deadline.anchorAt, holder, transferClock(d, first, d.deadline.anchorAt));
    return [started(holder ? [] : [stepArrived(d, step)])];
  }

  /** Everything the dossier's workflow persists and answers queries with (national status, payment, finish…). */
  snapshot(lastEventSeq: number): DossierWorkflowSnapshot {
    return snapshot(this.d, lastEventSeq);
  }

  /** How processing ended (approved, refused, withdrawn, closed); null until it does. */
  get outcome(): DossierOutcome | null {
    return this.d.outcome;
  }

  /** How the dossier was judged against its due time when processing ended. */
  get timeliness(): DossierWorkflowSnapshot['timeliness'] {
    return this.d.timeliness;
  }

  // ── actions ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Throws a RuleViolation naming the reason when the action is not allowed now; changes nothing. */
  check({ actor, request }: DossierActionCommand, now: Date): void {
    permit(this.d, actor, request.action, now);
    validate(this.d, request);
  }

  /** Applies an action that passed `check`; returns the events to persist, in order. */
  apply(command: DossierActionCommand, now: Date): TransitionEvent[] {
    this.check(command, now);
    return perform(this.d, command, now);
  }

  /**
   * The actions `actor` may take now: those `check` lets through on who and when, before any input is given. A
   * dossier with an agency segment answers from that segment's workflow (`delegatedTo`).
   */
  allowedActions(actor: Actor, now: Date): DossierAction['action'][] {
    return DOSSIER_ACTIONS.filter((action) => {
      try {
        permit(this.d, actor, action, now);
      } catch (e) {
        if (e instanceof RuleViolation) {
          return false;
        }
        throw e;
      }
      return action !== 'return' || returnTargets(this.d).length > 0;
    });
  }

  /** The child workflow of the segment holding the dossier, which takes its actions; null when it is here. */
  get delegatedTo(): string | null {
    const delegated = this.d.delegated;
    return delegated && !delegated.external ? (delegated.segment.workflowId ?? null) : null;
  }

  /** Earlier steps the holder may send the dossier back to. */
  returnTargets(): StepInstance[] {
    return returnTargets(this.d);
  }

  /** Where `complete` may send the dossier from the step open now. */
  nextSteps(): StepRule[] {
    return nextSteps(this.d);
  }

  // ── timers and calendar changes ────────────────────────────────────────────────────────────────────────────

  /** The open request for documents, with the applicant's window; null when none is open. */
  get supplement(): Supplement | null {
    return this.d.supplement;
  }

  /** A payment was recorded (asked for or not). */
  get paid(): boolean {
    return this.d.paid;
  }

  /** The next instant a timer must fire at, or null when nothing is pending (paused, finished). */
  nextWakeAt(): Date | null {
    return nextWakeAt(this.d);
  }

  /**
   * The timers due by `now` that have not fired, fired before an action taken at `now` (rule `timersBeforeActions`):
   * the action must not overtake the clock, so a step completed past its due time keeps its rungs and its breach.
   */
  overdueBefore(now: Date): TransitionEvent[] {
    return this.d.patches.timersBeforeActions ? fire(this.d, now) : [];
  }

  /** Fires every timer due by `now`, oldest first; each fires once. */
  fire(now: Date): TransitionEvent[] {
    return fire(this.d, now);
  }

  /** Re-projects every deadline on an edited calendar; a ledger entry names the change when a due time moves. */
  recalendar(calendar: WorkingCalendar, change: CalendarChangedSignal, now: Date): TransitionEvent[] {
    return recalendar(this.d, calendar, change, now);
  }

  // ── agency segments and partner systems (connected procedures) ─────────────────────────────────────────────

  /** The segment whose child workflow (or partner system) holds the dossier now. */
  get activeSegment() {
    return this.d.delegated?.segment ?? null;
  }

  /** A segment was handed over whose child workflow is not started yet. */
  get handOverPending(): boolean {
    return this.d.handedOver !== null;
  }

  /** The child workflow to start for a segment just handed over (once). */
  takeHandOver(): SegmentWorkflowInput | null {
    return takeHandOver(this.d);
  }

  /** Takes in what a segment's child workflow did (see `dossier/segments.ts`); returns the events to persist. */
  mirror(report: SegmentReport): TransitionEvent[] {
    return mirror(this.d, report);
  }

  /** Throws a RuleViolation when a partner's answer does not fit (no such hand-off open, a second supplement…). */
  checkCallback(callback: HandoffCallback): void {
    checkCallback(this.d, callback);
  }

  /** Takes in a partner's answer: acceptance, a supplement request (the clock pauses), the result or a refusal. */
  applyCallback(callback: HandoffCallback, now: Date): TransitionEvent[] {
    return applyCallback(this.d, callback, now);
  }

  /** `hh:mm dd/mm/yyyy` in the deployment's zone, as forms print it. */
  fmt(at: Date): string {
    return fmt(this.d, at);
  }
}
