import { formatFormTime, WORKING_DAY_MS, type WorkingCalendar } from '../libs/calendar/src';
import {
  type Audience,
  budgetMs,
  type DeadlineClock,
  dueAt,
  inWorkingDays,
  instantAt,
  isPaused,
  judgeTimeliness,
  NationalStatus,
  remainingAt,
  segmentOwnSteps,
  type NotificationDraft,
  type TimelinessPolicy,
  type TransitionEvent,
} from '../libs/domain/src';
import {
  type Actor,
  type CalendarChangedSignal,
  type ClockPauseReasonLabel,
  type DossierAction,
  type DossierActionCommand,
  type DossierDeadline,
  type DossierOutcome,
  type DossierRules,
  type DossierState,
  type DossierWorkflowInput,
  type DossierWorkflowSnapshot,
  type HandoffCallback,
  type LedgerEntry,
  type SegmentInstance,
  type SegmentReport,
  type SegmentRule,
  type SegmentWorkflowInput,
  type StepInstance,
  type StepRule,
  DOSSIER_ACTIONS,
  TERMINAL_STATES,
} from './dossier.types';

/** Why an action was refused; the workflow turns it into a non-retryable failure of that type. */
export type RuleViolationType =
  | 'INVALID_STATE'
  | 'NOT_HOLDER'
  | 'ROLE_NOT_ALLOWED'
  | 'WRONG_STEP'
  | 'INVALID_REQUEST'
  | 'LIMIT_REACHED'
  | 'TOO_LATE'
  /** The dossier is with an agency segment: its child workflow takes the action (`workflowId` says which). */
  | 'DELEGATED';

export class RuleViolation extends Error {
  constructor(
    readonly type: RuleViolationType,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}

const LEADING_ROLES = ['UNIT_HEAD', 'DIVISION_HEAD', 'AGENCY_LEADER'];
/** Actions a segment's child workflow takes whose consequences are the dossier's (its clock, state, outcome). */
const DOSSIER_LEVEL_ACTIONS: DossierAction['action'][] = [
  'request-supplement',
  'submit-supplement',
  'refuse',
  'request-extension',
  'withdraw',
  'request-payment',
  'record-payment',
];
const EXTENSION_BASIS = 'Mẫu số 04 (Thông tư 03/2025/TT-VPCP): thư xin lỗi và hẹn lại ngày trả kết quả';

type Rung = 'half' | 'threeQuarters' | 'breach';

interface Supplement {
  requestedAt: string;
  windowEndsAt: string;
  items: string[];
  reason: string;
}

/**
 * The dossier's process, as pure state: the procedure's steps, the clocks, the escalation ladder and the deadline
 * ledger. Deterministic (instants come in as arguments), so the workflow wraps it and unit tests drive it directly.
 */
export class DossierMachine {
  state: DossierState = 'IN_PROGRESS';
  nationalStatus: NationalStatus = NationalStatus.PROCESSING;
  outcome: DossierOutcome | null = null;
  readonly steps: StepInstance[] = [];
  deadline: DossierDeadline;
  finishedAt: string | null = null;
  timeliness: DossierWorkflowSnapshot['timeliness'] = null;
  paid = false;
  supplement: Supplement | null = null;
  /** A connected procedure's segments as handed over so far; undefined for a single-agency procedure. */
  readonly segments?: SegmentInstance[];
  /** The segment whose child workflow holds the dossier now, and where its steps sit on the control sheet. */
  private delegated: {
    segment: SegmentInstance;
    rule: SegmentRule;
    base: number;
    count: number;
    /** With a partner's system: one step on the control sheet stands for the partner's work. */
    external: boolean;
  } | null = null;
  /** Names hand-offs; the workflow supplies its deterministic UUIDs. */
  newId: () => string = () => {
    throw new Error('the dossier workflow supplies hand-off IDs');
  };
  /** A segment handed over whose child workflow the dossier workflow has yet to start. */
  private handedOver: SegmentWorkflowInput | null = null;
  private warned = false;
  private breached = false;
  private readonly rules: DossierRules;

  constructor(
    private readonly input: DossierWorkflowInput,
    private calendar: WorkingCalendar,
    private readonly policy: TimelinessPolicy = 'DUE_DAY',
  ) {
    if (!input.rules) {
      throw new Error('the step interpreter needs the procedure snapshot (rules)');
    }
    this.rules = input.rules;
    if (this.rules.segments?.length) {
      this.segments = [];
    }
    const receivedAt = new Date(input.receivedAt);
    const { processingTime, cutoff } = this.rules;
    const anchor = calendar.anchor(receivedAt, cutoff ?? {});
    const clock: DeadlineClock = {
      startedAt: anchor.toISOString(),
      unit: processingTime.unit,
      budgetMs: budgetMs(processingTime.amount, processingTime.unit),
      pauses: [],
    };
    const due = dueAt(calendar, clock) as Date;
    const cutoffNote =
      anchor.getTime() > receivedAt.getTime()
        ? ` Received at ${this.fmt(receivedAt)}, outside office hours or after the cut-off, so counting starts at ${this.fmt(anchor)}.`
        : '';
    this.deadline = {
      anchorAt: anchor.toISOString(),
      budget: processingTime,
      promisedAt: due.toISOString(),
      dueAt: due.toISOString(),
      warningAt: null,
      clock,
      pausedSince: null,
      pauseReason: null,
      extended: false,
      supplementRequests: 0,
      ledger: [
        {
          at: input.receivedAt,
          kind: 'ANCHOR',
          dueAt: due.toISOString(),
          explanation: `${this.describeBudget()} from ${this.fmt(anchor)} gives ${this.fmt(due)}.${cutoffNote}`,
          legalBasis: this.rules.legalBasis,
        },
      ],
    };
    this.project();
  }

  /** Takes the dossier into processing at its first step. */
  start(): TransitionEvent[] {
    const first = this.rules.steps[0];
    const started = (notifications: NotificationDraft[]): TransitionEvent =>
      this.event('PROCESSING_STARTED', this.input.receivedAt, {
        payload: {
          procedureCode: this.input.procedureCode,
          procedureVersionId: this.rules.procedureVersionId,
          step: first.code,
          promisedAt: this.deadline.promisedAt,
        },
        notifications,
      });
    if (this.segments) {
      // The first agency's child workflow opens the first step: its clock starts with the dossier's.
      return [started([]), ...this.handOver(0, this.deadline.anchorAt, this.input.receivedAt)];
    }
    const holder =
      first.unit === this.input.receivingUnitCode && first.role === 'DESK_CLERK' && this.input.receivedBy
        ? { id: this.input.receivedBy, name: null }
        : null;
    this.openStep(first, this.deadline.anchorAt, holder);
    return [started(holder ? [] : [this.stepArrived(this.current as StepInstance)])];
  }

  get current(): StepInstance | null {
    const last = this.steps.at(-1);
    return last && last.completedAt === null ? last : null;
  }

  get terminal(): boolean {
    return TERMINAL_STATES.includes(this.state);
  }

  snapshot(lastEventSeq: number): DossierWorkflowSnapshot {
    return {
      dossierCode: this.input.dossierCode,
      state: this.state,
      nationalStatus: this.nationalStatus,
      outcome: this.outcome,
      currentStep: this.current,
      steps: this.steps,
      deadline: this.deadline,
      finishedAt: this.finishedAt,
      timeliness: this.timeliness,
      paid: this.paid,
      lastEventSeq,
      ...(this.segments ? { segments: this.segments } : {}),
      ...(this.input.handoff ? { origin: this.input.handoff } : {}),
    };
  }

  // ── actions ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Throws a RuleViolation naming the reason when the action is not allowed now; changes nothing. */
  check({ actor, request }: DossierActionCommand, now: Date): void {
    this.permit(actor, request.action, now);
    this.validate(request);
  }

  /**
   * The actions `actor` may take now: those `check` lets through on who and when, before any input is given. A
   * dossier with an agency segment answers from that segment's workflow (`delegatedTo`).
   */
  allowedActions(actor: Actor, now: Date): DossierAction['action'][] {
    return DOSSIER_ACTIONS.filter((action) => {
      try {
        this.permit(actor, action, now);
      } catch (e) {
        if (e instanceof RuleViolation) {
          return false;
        }
        throw e;
      }
      return action !== 'return' || this.returnTargets().length > 0;
    });
  }

  /** The child workflow of the segment holding the dossier, which takes its actions; null when it is here. */
  get delegatedTo(): string | null {
    return this.delegated && !this.delegated.external ? (this.delegated.segment.workflowId ?? null) : null;
  }

  /** Earlier steps the holder may send the dossier back to. */
  returnTargets(): StepInstance[] {
    const held = this.current;
    const seen = new Set<string>();
    return this.steps.slice(0, -1).filter((s) => s.code !== held?.code && !seen.has(s.code) && seen.add(s.code));
  }

  /** Where `complete` may send the dossier from the step open now. */
  nextSteps(): StepRule[] {
    const held = this.current;
    return held ? this.rule(held.code).next.map((code) => this.rule(code)) : [];
  }

  /** Who may take the action, and when: state, step, holder, role, limits and time. Changes nothing. */
  private permit(actor: Actor, action: DossierAction['action'], now: Date): void {
    if (this.delegated?.external) {
      if (!DOSSIER_LEVEL_ACTIONS.includes(action) || action === 'refuse') {
        const { segment } = this.delegated;
        throw new RuleViolation(
          'INVALID_STATE',
          `Dossier ${this.input.dossierCode} is with partner system ${segment.partner} (segment ${segment.code} "${segment.name}"); its answer comes through the hand-off callback, not an action here.`,
        );
      }
      if (['request-supplement', 'request-extension', 'request-payment'].includes(action)) {
        throw new RuleViolation(
          'INVALID_STATE',
          `Only partner system ${this.delegated.segment.partner} may ${action} while it has the dossier.`,
        );
      }
    } else if (this.delegated) {
      const { segment } = this.delegated;
      throw new RuleViolation(
        'DELEGATED',
        `Dossier ${this.input.dossierCode} is with ${segment.agency} (segment ${segment.code} "${segment.name}"); its workflow ${segment.workflowId} takes the action.`,
        { workflowId: segment.workflowId, segment: segment.code },
      );
    }
    switch (action) {
      case 'claim': {
        const held = this.requireStep(['IN_PROGRESS', 'READY_FOR_RETURN'], action);
        if (held.holderId !== null) {
          throw new RuleViolation(
            'INVALID_STATE',
            `Step ${held.code} "${held.name}" is already held by ${held.holderName ?? held.holderId}.`,
          );
        }
        this.requireFits(actor, held, 'claim');
        return;
      }
      case 'assign': {
        const held = this.requireStep(['IN_PROGRESS', 'READY_FOR_RETURN'], action);
        if (!actor.headOfUnits.includes(held.unit) && !this.leads(actor, held.unit)) {
          throw new RuleViolation(
            'ROLE_NOT_ALLOWED',
            `Only a head or leader of unit ${held.unit} may assign step ${held.code}; ${actor.username} is not one.`,
          );
        }
        return;
      }
      case 'complete': {
        const held = this.requireHolder(actor, action);
        if (!held.counted && this.rule(held.code).next.length === 0) {
          throw new RuleViolation('WRONG_STEP', `Step ${held.code} returns the result: use return-result.`);
        }
        return;
      }
      case 'return':
      case 'refuse':
      case 'request-payment':
        this.requireHolder(actor, action);
        return;
      case 'request-supplement': {
        this.requireHolder(actor, action);
        const max = this.rules.clockPolicy.maxSupplementRequests;
        if (this.deadline.supplementRequests >= max) {
          throw new RuleViolation(
            'LIMIT_REACHED',
            `This procedure allows ${max} supplement request${max === 1 ? '' : 's'}; ${this.deadline.supplementRequests} already made.`,
          );
        }
        return;
      }
      case 'submit-supplement':
        this.requireState(['AWAITING_SUPPLEMENT'], action);
        this.requireDesk(actor, 'hand in the supplement');
        return;
      case 'request-extension': {
        const held = this.requireStep(['IN_PROGRESS'], action);
        if (this.deadline.extended) {
          throw new RuleViolation(
            'LIMIT_REACHED',
            'A new return time may be set only once (form 04); this dossier has already been extended.',
          );
        }
        if (!actor.headOfUnits.includes(held.unit)) {
          throw new RuleViolation(
            'ROLE_NOT_ALLOWED',
            `The apology and new return time must be signed by the head of unit ${held.unit} (or of the agency above it); ${actor.username} is not.`,
          );
        }
        const warningAt = this.deadline.warningAt;
        if (warningAt === null || now.getTime() > Date.parse(warningAt)) {
          throw new RuleViolation(
            'TOO_LATE',
            `An extension must be asked for at least 1 working day before the due time ${this.fmt(new Date(this.deadline.dueAt as string))}` +
              (warningAt
                ? `, i.e. by ${this.fmt(new Date(warningAt))}.`
                : '; this dossier never had a full working day left.'),
          );
        }
        return;
      }
      case 'withdraw':
        this.requireState(['IN_PROGRESS', 'AWAITING_SUPPLEMENT', 'AWAITING_PAYMENT'], action);
        this.requireDesk(actor, 'record a withdrawal');
        return;
      case 'record-payment':
        if (this.terminal) {
          throw new RuleViolation('INVALID_STATE', `Dossier ${this.input.dossierCode} is closed (${this.state}).`);
        }
        this.requireDesk(actor, 'record a payment');
        return;
      case 'return-result': {
        this.requireState(['READY_FOR_RETURN'], action);
        const step = this.current;
        if (step) {
          this.requireFits(actor, step, 'return the result of');
        } else {
          this.requireDesk(actor, 'return the result');
        }
        return;
      }
    }
  }

  /** What the action carries, once `permit` let it through: targets, assignees, reasons, amounts. */
  private validate(request: DossierAction): void {
    const held = this.current as StepInstance;
    switch (request.action) {
      case 'claim':
      case 'submit-supplement':
      case 'return-result':
        return;
      case 'assign':
        this.requireFits(request.assignee, held, 'be assigned');
        return;
      case 'complete': {
        const rule = this.rule(held.code);
        if (rule.next.length > 1 && !request.nextStep) {
          throw new RuleViolation(
            'INVALID_REQUEST',
            `Step ${held.code} can go on to ${rule.next.join(' or ')}: say which in nextStep.`,
          );
        }
        if (request.nextStep && !rule.next.includes(request.nextStep)) {
          throw new RuleViolation(
            'WRONG_STEP',
            rule.next.length > 0
              ? `Step ${held.code} goes on to ${rule.next.join(' or ')}, not ${request.nextStep}.`
              : `Step ${held.code} is the last step; it has no next step ${request.nextStep}.`,
          );
        }
        const nextCode = request.nextStep ?? rule.next[0];
        if (request.assignee) {
          if (!nextCode) {
            throw new RuleViolation(
              'INVALID_REQUEST',
              `Step ${held.code} is the last step: there is nobody to assign.`,
            );
          }
          this.requireFits(request.assignee, this.asInstance(this.rule(nextCode)), 'be assigned');
        }
        return;
      }
      case 'return': {
        const earlier = this.steps.slice(0, -1).map((s) => s.code);
        if (request.toStep === held.code || !earlier.includes(request.toStep)) {
          throw new RuleViolation(
            'WRONG_STEP',
            `A dossier can only be sent back to a step it has been through (${[...new Set(earlier)].join(', ') || 'none'}); not ${request.toStep}.`,
          );
        }
        this.requireText(request.reason, 'reason');
        return;
      }
      case 'request-supplement':
        if (request.items.length === 0 || request.items.some((i) => i.trim() === '')) {
          throw new RuleViolation('INVALID_REQUEST', 'items must list every document or correction needed.');
        }
        this.requireText(request.reason, 'reason');
        return;
      case 'refuse':
        if (request.reasons.length === 0 || request.reasons.some((r) => r.trim() === '')) {
          throw new RuleViolation('INVALID_REQUEST', 'reasons must state why the dossier is refused (form 03).');
        }
        return;
      case 'request-extension':
        if (!(request.extraWorkingDays > 0) || !Number.isInteger(request.extraWorkingDays * 4)) {
          throw new RuleViolation(
            'INVALID_REQUEST',
            'extraWorkingDays must be positive, in quarter days (e.g. 5 or 2.5).',
          );
        }
        this.requireText(request.reason, 'reason');
        return;
      case 'withdraw':
        this.requireText(request.reason, 'reason');
        return;
      case 'request-payment':
        if (!(request.amount > 0)) {
          throw new RuleViolation('INVALID_REQUEST', 'amount must be the sum to pay in đồng, above 0.');
        }
        this.requireText(request.reason, 'reason');
        return;
      case 'record-payment':
        if (!(request.amount > 0)) {
          throw new RuleViolation('INVALID_REQUEST', 'amount must be the sum paid in đồng, above 0.');
        }
        return;
    }
  }

  /** Applies an action that passed `check`; returns the events to persist, in order. */
  apply(command: DossierActionCommand, now: Date): TransitionEvent[] {
    this.check(command, now);
    return this.perform(command, now);
  }

  /** Carries an action out (checked here, or by the segment's child workflow that holds the step). */
  private perform(command: DossierActionCommand, now: Date): TransitionEvent[] {
    const { actor, request } = command;
    const at = now.toISOString();
    const by = { actorId: actor.officerId };
    switch (request.action) {
      case 'claim': {
        const step = this.current as StepInstance;
        step.holderId = actor.officerId;
        step.holderName = actor.fullName;
        return [this.event('STEP_CLAIMED', at, { ...by, payload: { step: step.code, stepNo: step.no } })];
      }
      case 'assign': {
        const step = this.current as StepInstance;
        step.holderId = request.assignee.officerId;
        step.holderName = request.assignee.fullName;
        return [
          this.event('STEP_ASSIGNED', at, {
            ...by,
            payload: { step: step.code, stepNo: step.no, assigneeId: request.assignee.officerId },
            notifications: [this.assigned(step)],
          }),
        ];
      }
      case 'complete':
        return this.complete(actor, request, now);
      case 'return': {
        const step = this.closeStep(now, 'RETURNED', request.reason);
        const target = this.rule(request.toStep);
        const previous = [...this.steps].reverse().find((s) => s.code === target.code);
        step.handedTo = target.unit;
        const next = this.openStep(
          target,
          at,
          previous?.holderId ? { id: previous.holderId, name: previous.holderName } : null,
        );
        return [
          this.event('STEP_RETURNED', at, {
            ...by,
            payload: { from: step.code, to: target.code, reason: request.reason, result: step.result },
            notifications: [next.holderId ? this.assigned(next) : this.stepArrived(next)],
          }),
        ];
      }
      case 'request-supplement': {
        const dueBefore = this.deadline.dueAt;
        this.pause(at, 'SUPPLEMENT');
        this.deadline.supplementRequests += 1;
        const windowMs = budgetMs(
          this.rules.clockPolicy.applicantWindow.amount,
          this.rules.clockPolicy.applicantWindow.unit,
        );
        const windowEndsAt = this.calendar.addWorking(this.calendar.nextWorkingInstant(now), windowMs);
        this.supplement = {
          requestedAt: at,
          windowEndsAt: windowEndsAt.toISOString(),
          items: request.items,
          reason: request.reason,
        };
        this.state = 'AWAITING_SUPPLEMENT';
        this.nationalStatus = NationalStatus.SUPPLEMENT_REQUESTED;
        const policy = this.rules.clockPolicy.supplement;
        this.ledger(at, 'PAUSE', {
          explanation:
            `Paused at ${this.fmt(now)}: waiting for the applicant's documents (request ${this.deadline.supplementRequests} of ${this.rules.clockPolicy.maxSupplementRequests}). ` +
            (policy === 'PAUSE'
              ? `${inWorkingDays(remainingAt(this.calendar, this.deadline.clock, now))} WD were left; the wait is not counted.`
              : 'Policy RESTART: the full time starts again when the complete dossier arrives.') +
            ` The applicant has until ${this.fmt(windowEndsAt)}.`,
          by: actor.officerId,
          previousDueAt: dueBefore,
        });
        return [
          this.event('SUPPLEMENT_REQUESTED', at, {
            ...by,
            payload: {
              items: request.items,
              reason: request.reason,
              policy,
              windowEndsAt: this.supplement.windowEndsAt,
              dueBefore,
              request: this.deadline.supplementRequests,
            },
            notifications: [
              {
                kind: 'SUPPLEMENT_REQUESTED',
                audience: [{ kind: 'UNIT_HEAD', unit: this.input.receivingUnitCode }],
                message: `Hồ sơ ${this.input.dossierCode}: yêu cầu bổ sung (mẫu 02) cần gửi cho người nộp; hạn bổ sung ${this.fmt(windowEndsAt)}.`,
              },
            ],
          }),
        ];
      }
      case 'submit-supplement':
        return this.resumeAfterSupplement(actor, request.note ?? null, now);
      case 'refuse': {
        const step = this.closeStep(now, 'REFUSED', request.reasons.join('; '));
        return this.finishProcessing(now, 'REFUSED', actor, { reasons: request.reasons, step: step.code }, 'REFUSED');
      }
      case 'request-extension': {
        const before = this.deadline.dueAt;
        this.deadline.clock.budgetMs += Math.round(request.extraWorkingDays * WORKING_DAY_MS);
        this.deadline.extended = true;
        this.warned = false;
        this.project();
        const after = this.deadline.dueAt as string;
        this.ledger(at, 'EXTENSION', {
          explanation: `Extended by ${request.extraWorkingDays} WD by ${actor.fullName} (reason: ${request.reason}): new return time ${this.fmt(new Date(after))} instead of ${this.fmt(new Date(before as string))}.`,
          by: actor.officerId,
          legalBasis: EXTENSION_BASIS,
          previousDueAt: before,
        });
        return [
          this.event('EXTENSION_GRANTED', at, {
            ...by,
            payload: {
              originalDueAt: before,
              newDueAt: after,
              extraWorkingDays: request.extraWorkingDays,
              reason: request.reason,
              signedBy: actor.officerId,
              signedByName: actor.fullName,
            },
            notifications: [
              {
                kind: 'EXTENSION_GRANTED',
                audience: [{ kind: 'UNIT_HEAD', unit: this.input.receivingUnitCode }],
                message: `Hồ sơ ${this.input.dossierCode}: gia hạn đến ${this.fmt(new Date(after))}; gửi thư xin lỗi (mẫu 04) cho người nộp.`,
              },
            ],
          }),
        ];
      }
      case 'withdraw': {
        this.closePauses(at);
        this.closeStep(now, 'WITHDRAWN', request.reason);
        this.state = 'WITHDRAWN';
        this.outcome = 'WITHDRAWN';
        this.nationalStatus = NationalStatus.WITHDRAWN;
        this.finishedAt = at;
        this.supplement = null;
        this.project();
        return [this.event('WITHDRAWN', at, { ...by, payload: { reason: request.reason } })];
      }
      case 'request-payment': {
        this.pause(at, 'PAYMENT');
        this.state = 'AWAITING_PAYMENT';
        this.nationalStatus = NationalStatus.FINANCIAL_OBLIGATION;
        this.ledger(at, 'PAUSE', {
          explanation: `Paused at ${this.fmt(now)}: waiting for the applicant to pay ${request.amount} đồng (${request.reason}); the wait is not counted.`,
          by: actor.officerId,
        });
        return [
          this.event('PAYMENT_REQUESTED', at, { ...by, payload: { amount: request.amount, reason: request.reason } }),
        ];
      }
      case 'record-payment': {
        this.paid = true;
        const events = [
          this.event('PAYMENT_RECORDED', at, {
            ...by,
            payload: { amount: request.amount, method: request.method, reference: request.reference ?? null },
          }),
        ];
        if (this.state === 'AWAITING_PAYMENT') {
          const waited = this.resume(at);
          this.state = 'IN_PROGRESS';
          this.nationalStatus = NationalStatus.PROCESSING;
          this.ledger(at, 'RESUME', {
            explanation: `Paid at ${this.fmt(now)}: ${inWorkingDays(waited)} WD of waiting not counted; due ${this.fmtIso(this.deadline.dueAt)}.`,
            by: actor.officerId,
          });
          events[0].nationalStatus = this.nationalStatus;
        }
        return events;
      }
      case 'return-result': {
        if (this.current) {
          const step = this.closeStep(now, 'RESULT_RETURNED', request.note ?? null);
          step.holderId ??= actor.officerId;
          step.holderName ??= actor.fullName;
        }
        this.state = 'RESULT_RETURNED';
        this.nationalStatus = NationalStatus.RESULT_RETURNED;
        return [
          this.event('RESULT_RETURNED', at, {
            ...by,
            payload: { deliveryMethod: request.deliveryMethod, note: request.note ?? null, outcome: this.outcome },
          }),
        ];
      }
    }
  }

  // ── timers ─────────────────────────────────────────────────────────────────────────────────────────────────

  /** The next instant a timer must fire at, or null when nothing is pending (paused, finished). */
  nextWakeAt(): Date | null {
    const pending = this.pendingTimers().map((t) => t.at);
    return pending.length > 0 ? new Date(Math.min(...pending)) : null;
  }

  /** Fires every timer due by `now`, oldest first; each fires once. */
  fire(now: Date): TransitionEvent[] {
    const events: TransitionEvent[] = [];
    for (;;) {
      const due = this.pendingTimers()
        .filter((t) => t.at <= now.getTime())
        .sort((a, b) => a.at - b.at)[0];
      if (!due) {
        return events;
      }
      events.push(...due.fire());
    }
  }

  private pendingTimers(): { at: number; fire: () => TransitionEvent[] }[] {
    const timers: { at: number; fire: () => TransitionEvent[] }[] = [];
    // While a segment's child workflow holds the dossier, its step clocks and the applicant's window are its own.
    const delegated = this.delegated !== null && !this.delegated.external;
    if (this.state === 'AWAITING_SUPPLEMENT' && this.supplement && !delegated) {
      const at = Date.parse(this.supplement.windowEndsAt);
      timers.push({ at, fire: () => this.closeForNoSupplement(new Date(at)) });
    }
    if (this.state !== 'IN_PROGRESS') {
      return timers;
    }
    const step = this.current;
    if (step?.clock && !isPaused(step.clock) && !delegated) {
      const clock = step.clock;
      const rungs: [Rung, number][] = [
        ['half', 0.5],
        ['threeQuarters', 0.75],
        ['breach', 1],
      ];
      for (const [rung, share] of rungs) {
        if (!step.rungs[rung]) {
          const at = instantAt(this.calendar, clock, Math.round(clock.budgetMs * share));
          if (at) {
            timers.push({ at: at.getTime(), fire: () => this.fireRung(step, rung, at) });
          }
        }
      }
    }
    if (!this.warned && this.deadline.warningAt) {
      const at = new Date(this.deadline.warningAt);
      timers.push({ at: at.getTime(), fire: () => this.fireWarning(at) });
    }
    if (!this.breached && this.deadline.dueAt) {
      const at = new Date(this.deadline.dueAt);
      timers.push({ at: at.getTime(), fire: () => this.fireDossierBreach(at) });
    }
    return timers;
  }

  private fireRung(step: StepInstance, rung: Rung, at: Date): TransitionEvent[] {
    step.rungs[rung] = true;
    const iso = at.toISOString();
    const holder = step.holderId ? [{ kind: 'OFFICER' as const, officerId: step.holderId }] : [];
    const where = `bước ${step.code} "${step.name}" (hạn ${this.fmtIso(step.dueAt)})`;
    const partner = this.delegated?.external && this.delegated.segment.code === step.code ? this.delegated : null;
    if (rung === 'breach' && partner) {
      // The partner is silent past its share of the deadline: a breach attributed to its agency.
      partner.segment.breached = true;
      const fact = { unitCode: step.unit, officerId: null, stepNo: step.no, stepCode: step.code, occurredAt: iso };
      return [
        this.event('SEGMENT_BREACHED', iso, {
          payload: { segment: step.code, agency: step.unit, partner: partner.segment.partner, dueAt: step.dueAt },
          facts: [
            { kind: 'STEP_BREACH', ...fact, dueAt: step.dueAt ?? iso },
            { kind: 'SEGMENT_BREACH', ...fact, dueAt: step.dueAt ?? iso },
          ],
          notifications: [
            {
              kind: 'SEGMENT_BREACHED',
              audience: [{ kind: 'UNIT_HEAD', unit: this.input.receivingUnitCode }],
              message: `Hồ sơ ${this.input.dossierCode}: hệ thống ${partner.segment.partner} (đơn vị ${step.unit}) chưa trả kết quả phần việc "${partner.segment.name}" đúng hạn (${this.fmtIso(step.dueAt)}).`,
            },
          ],
        }),
      ];
    }
    if (rung === 'breach') {
      return [
        this.event('STEP_BREACHED', iso, {
          payload: { step: step.code, stepNo: step.no, unit: step.unit, holderId: step.holderId, dueAt: step.dueAt },
          facts: [
            {
              kind: 'STEP_BREACH',
              unitCode: step.unit,
              officerId: step.holderId,
              stepNo: step.no,
              stepCode: step.code,
              dueAt: step.dueAt ?? iso,
              occurredAt: iso,
            },
          ],
          notifications: [
            {
              kind: 'STEP_BREACHED',
              audience: [{ kind: 'UNIT_HEAD', unit: step.unit }],
              message: `Hồ sơ ${this.input.dossierCode} quá hạn ở ${where}; người xử lý: ${step.holderName ?? 'chưa có'}.`,
            },
          ],
        }),
      ];
    }
    const half = rung === 'half';
    return [
      this.event(half ? 'STEP_HALF_USED' : 'STEP_THREE_QUARTERS_USED', iso, {
        payload: { step: step.code, stepNo: step.no, dueAt: step.dueAt },
        notifications: [
          {
            kind: half ? 'STEP_HALF_USED' : 'STEP_THREE_QUARTERS_USED',
            audience: half
              ? holder.length > 0
                ? holder
                : [{ kind: 'UNIT_HEAD', unit: step.unit }]
              : [...holder, { kind: 'DIVISION_HEADS', unit: step.unit }],
            message: `Hồ sơ ${this.input.dossierCode}: đã dùng ${half ? '50%' : '75%'} thời gian của ${where}.`,
          },
        ],
      }),
    ];
  }

  private fireWarning(at: Date): TransitionEvent[] {
    this.warned = true;
    const step = this.current;
    const audience: Audience[] = step
      ? [
          ...(step.holderId ? [{ kind: 'OFFICER' as const, officerId: step.holderId }] : []),
          { kind: 'UNIT_HEAD', unit: step.unit },
        ]
      : [{ kind: 'UNIT_HEAD', unit: this.input.receivingUnitCode }];
    return [
      this.event('DOSSIER_DUE_SOON', at.toISOString(), {
        payload: { dueAt: this.deadline.dueAt, step: step?.code ?? null },
        notifications: [
          {
            kind: 'DOSSIER_DUE_SOON',
            audience,
            message: `Hồ sơ ${this.input.dossierCode} còn 1 ngày làm việc đến hạn trả ${this.fmtIso(this.deadline.dueAt)}: nếu không kịp, thủ trưởng ký thư xin lỗi và hẹn lại (mẫu 04) trước hạn.`,
          },
        ],
      }),
    ];
  }

  private fireDossierBreach(at: Date): TransitionEvent[] {
    this.breached = true;
    const step = this.current;
    const iso = at.toISOString();
    const unit = step?.unit ?? this.input.receivingUnitCode;
    const heads: Audience[] = [{ kind: 'UNIT_HEAD', unit }];
    if (unit !== this.input.receivingUnitCode) {
      heads.push({ kind: 'UNIT_HEAD', unit: this.input.receivingUnitCode });
    }
    return [
      this.event('DOSSIER_BREACHED', iso, {
        payload: { dueAt: this.deadline.dueAt, step: step?.code ?? null, unit, holderId: step?.holderId ?? null },
        facts: [
          {
            kind: 'DOSSIER_BREACH',
            unitCode: unit,
            officerId: step?.holderId ?? null,
            stepNo: step?.no ?? null,
            stepCode: step?.code ?? null,
            dueAt: this.deadline.dueAt ?? iso,
            occurredAt: iso,
          },
        ],
        notifications: [
          {
            kind: 'DOSSIER_BREACHED',
            audience: heads,
            message: `Hồ sơ ${this.input.dossierCode} đã quá hạn trả kết quả (${this.fmtIso(this.deadline.dueAt)}); đang ở ${step ? `bước ${step.code} "${step.name}", đơn vị ${unit}` : 'bộ phận một cửa'}.`,
          },
        ],
      }),
    ];
  }

  private closeForNoSupplement(at: Date): TransitionEvent[] {
    const iso = at.toISOString();
    this.closePauses(iso);
    this.closeStep(at, 'CLOSED', 'Hết hạn bổ sung hồ sơ');
    this.state = 'CLOSED';
    this.outcome = 'CLOSED_NO_SUPPLEMENT';
    this.nationalStatus = NationalStatus.STOPPED;
    this.finishedAt = iso;
    this.supplement = null;
    this.project();
    return [
      this.event('CLOSED', iso, {
        payload: { reason: 'The applicant did not complete the dossier within the window.' },
        notifications: [
          {
            kind: 'DOSSIER_CLOSED',
            audience: [{ kind: 'UNIT_HEAD', unit: this.input.receivingUnitCode }],
            message: `Hồ sơ ${this.input.dossierCode} dừng xử lý: người nộp không bổ sung trong thời hạn.`,
          },
        ],
      }),
    ];
  }

  // ── calendar changes ───────────────────────────────────────────────────────────────────────────────────────

  /** Re-projects every deadline on an edited calendar; a ledger entry names the change when a due time moves. */
  recalendar(calendar: WorkingCalendar, change: CalendarChangedSignal, now: Date): TransitionEvent[] {
    const before = {
      due: this.deadline.dueAt,
      step: this.current?.dueAt ?? null,
      window: this.supplement?.windowEndsAt ?? null,
    };
    this.calendar = calendar;
    if (this.supplement) {
      const windowMs = budgetMs(
        this.rules.clockPolicy.applicantWindow.amount,
        this.rules.clockPolicy.applicantWindow.unit,
      );
      const requested = new Date(this.supplement.requestedAt);
      this.supplement.windowEndsAt = calendar
        .addWorking(calendar.nextWorkingInstant(requested), windowMs)
        .toISOString();
    }
    if (!this.terminal && this.state !== 'READY_FOR_RETURN') {
      this.project();
    }
    const after = {
      due: this.deadline.dueAt,
      step: this.current?.dueAt ?? null,
      window: this.supplement?.windowEndsAt ?? null,
    };
    if (before.due === after.due && before.step === after.step && before.window === after.window) {
      return [];
    }
    const at = now.toISOString();
    const what = `calendar ${change.scope} ${change.year} edited${change.changedDates.length > 0 ? ` (${change.changedDates.join(', ')})` : ''}${change.legalBasis ? `, ${change.legalBasis}` : ''}`;
    this.ledger(at, 'CALENDAR_CHANGE', {
      explanation:
        before.due !== after.due
          ? `The ${what}: due time moved from ${this.fmtIso(before.due)} to ${this.fmtIso(after.due)}.`
          : `The ${what}: step and window deadlines re-projected; the dossier's due time is unchanged.`,
      by: change.changedBy,
      legalBasis: change.legalBasis,
      previousDueAt: before.due,
    });
    return [
      this.event('DEADLINE_REPROJECTED', at, {
        payload: { change, before, after },
      }),
    ];
  }

  // ── agency segments (connected procedures) ─────────────────────────────────────────────────────────────────

  /** The segment whose child workflow holds the dossier now. */
  get activeSegment(): SegmentInstance | null {
    return this.delegated?.segment ?? null;
  }

  /** A segment was handed over whose child workflow is not started yet. */
  get handOverPending(): boolean {
    return this.handedOver !== null;
  }

  /** The child workflow to start for a segment just handed over (once). */
  takeHandOver(): SegmentWorkflowInput | null {
    const input = this.handedOver;
    this.handedOver = null;
    return input;
  }

  /**
   * Takes in what a segment's child workflow did. Its step transitions go onto the control sheet as they are. The
   * dossier-level consequences (pause, extension, refusal, withdrawal, closing) are carried out on the dossier's own
   * clock. The segment's own deadline events are attributed to its agency. When the segment is over, the dossier
   * goes on to the next agency or to the return desk. Returns the events to persist, in order.
   */
  mirror(report: SegmentReport): TransitionEvent[] {
    const d = this.delegated;
    if (!d || d.external || d.segment.code !== report.segment) {
      return [];
    }
    const at = new Date(report.at);
    const child = report.snapshot;
    const events: TransitionEvent[] = [];
    let own = false;
    if (report.command && DOSSIER_LEVEL_ACTIONS.includes(report.command.request.action)) {
      events.push(...this.perform(report.command, at));
      own = true;
    } else if (child.state === 'CLOSED') {
      events.push(...this.closeForNoSupplement(at));
      own = true;
    }
    // Steps opened here after the segment's (the return step after a refusal) keep their place after them.
    const after = this.steps.slice(d.base + d.count);
    const mirrored = child.steps.map((s) => ({ ...s, no: s.no + d.base }));
    this.steps.splice(
      d.base,
      this.steps.length - d.base,
      ...mirrored,
      ...after.map((s, i) => ({ ...s, no: d.base + mirrored.length + i + 1 })),
    );
    d.count = mirrored.length;
    d.segment.dueAt = child.deadline.dueAt;
    if (!own) {
      for (const event of report.events) {
        const translated = this.fromSegment(event, d);
        if (translated) {
          events.push(translated);
        }
      }
    }
    if (!['IN_PROGRESS', 'AWAITING_SUPPLEMENT', 'AWAITING_PAYMENT'].includes(child.state)) {
      d.segment.completedAt = child.finishedAt ?? report.at;
      d.segment.result = child.timeliness;
      this.delegated = null;
      if (child.state === 'READY_FOR_RETURN' && child.outcome === 'APPROVED') {
        events.push(...this.segmentCompleted(d.segment, at, report.command?.actor));
      }
    }
    return events;
  }

  /** Hands the dossier to segment `index`: its clock starts at `at` (the hand-over instant on the control sheet). */
  private handOver(index: number, at: string, occurredAt: string = at): TransitionEvent[] {
    const segments = this.segments as SegmentInstance[];
    const rule = (this.rules.segments as SegmentRule[])[index];
    const previous = segments.at(-1) ?? null;
    const anchor = this.calendar.anchor(new Date(at), {});
    const clock: DeadlineClock = {
      startedAt: anchor.toISOString(),
      unit: rule.budget.unit,
      budgetMs: budgetMs(rule.budget.amount, rule.budget.unit),
      pauses: [],
    };
    const due = dueAt(this.calendar, clock)?.toISOString() ?? null;
    const segment: SegmentInstance = {
      code: rule.code,
      name: rule.name,
      agency: rule.agency,
      budget: rule.budget,
      workflowId: `${this.input.dossierCode}/${rule.code}`,
      taskQueue: rule.taskQueue,
      handedOverAt: at,
      dueAt: due,
      completedAt: null,
      result: null,
      breached: false,
    };
    segments.push(segment);
    const base = this.steps.length;
    if (rule.partner) {
      return this.handOverToPartner(segment, rule, at, occurredAt, previous);
    }
    this.delegated = { segment, rule, base, count: 0, external: false };
    this.handedOver = {
      dossierCode: this.input.dossierCode,
      procedureCode: this.input.procedureCode,
      receivingUnitCode: this.input.receivingUnitCode,
      receivedBy: index === 0 ? this.input.receivedBy : undefined,
      segment: rule,
      handedOverAt: at,
      rules: {
        ...this.rules,
        processingTime: rule.budget,
        cutoff: undefined,
        steps: segmentOwnSteps(this.rules.steps, rule.steps),
        segments: undefined,
      },
      extended: this.deadline.extended,
    };
    return [
      this.handedOverEvent(segment, previous, occurredAt, {
        notifications: [
          {
            kind: 'SEGMENT_HANDED_OVER',
            audience: [{ kind: 'UNIT_HEAD', unit: rule.agency }],
            message: `Hồ sơ ${this.input.dossierCode} được chuyển liên thông đến đơn vị ${rule.agency} ("${rule.name}", ${rule.budget.amount} ${rule.budget.unit}, hạn ${this.fmtIso(due)}).`,
          },
        ],
      }),
    ];
  }

  /**
   * Hands a segment to a partner's system: one step on the control sheet stands for its work, with the segment's
   * budget as its clock (a partner silent past it breaches, attributed to the agency), until its callback says.
   */
  private handOverToPartner(
    segment: SegmentInstance,
    rule: SegmentRule,
    at: string,
    occurredAt: string,
    previous: SegmentInstance | null,
  ): TransitionEvent[] {
    segment.workflowId = null;
    segment.partner = rule.partner;
    segment.handoffId = this.newId();
    const step = this.openStep(
      {
        code: rule.code,
        name: `${rule.name} (hệ thống ${rule.partner})`,
        unit: rule.agency,
        role: 'AGENCY_SYSTEM',
        budget: rule.budget,
        counted: true,
        next: [],
      },
      at,
      null,
    );
    step.holderName = rule.partner as string;
    this.delegated = { segment, rule, base: this.steps.length - 1, count: 1, external: true };
    return [this.handedOverEvent(segment, previous, occurredAt, {})];
  }

  /** The control sheet's record of a hand-over: to whom, when its clock starts, its budget and due time. */
  private handedOverEvent(
    segment: SegmentInstance,
    previous: SegmentInstance | null,
    occurredAt: string,
    extra: { notifications?: NotificationDraft[] },
  ): TransitionEvent {
    return this.event('SEGMENT_HANDED_OVER', occurredAt, {
      payload: {
        segment: segment.code,
        name: segment.name,
        agency: segment.agency,
        from: previous?.agency ?? null,
        handedOverAt: segment.handedOverAt,
        budget: segment.budget,
        dueAt: segment.dueAt,
        ...(segment.partner
          ? { partner: segment.partner, handoffId: segment.handoffId }
          : { workflowId: segment.workflowId }),
      },
      notifications: extra.notifications,
    });
  }

  /** Throws a RuleViolation when a partner's answer does not fit (no such hand-off open, a second supplement…). */
  checkCallback(callback: HandoffCallback): void {
    const d = this.delegated;
    if (!d?.external || d.segment.handoffId !== callback.handoffId || d.segment.partner !== callback.partner) {
      throw new RuleViolation(
        'INVALID_STATE',
        `Dossier ${this.input.dossierCode} has no hand-off ${callback.handoffId} open with ${callback.partner}.`,
      );
    }
    const waiting = this.state === 'AWAITING_SUPPLEMENT' || this.state === 'AWAITING_PAYMENT';
    if (callback.kind !== 'ACCEPTED' && waiting) {
      throw new RuleViolation(
        'INVALID_STATE',
        `Dossier ${this.input.dossierCode} is ${this.state}: the partner's ${callback.kind} waits for the applicant.`,
      );
    }
    if (callback.kind === 'SUPPLEMENT_REQUESTED') {
      const max = this.rules.clockPolicy.maxSupplementRequests;
      if (this.deadline.supplementRequests >= max) {
        throw new RuleViolation('LIMIT_REACHED', `This procedure allows ${max} supplement request(s); already made.`);
      }
      if (!callback.items?.length || callback.items.some((i) => i.trim() === '')) {
        throw new RuleViolation('INVALID_REQUEST', 'items must list every document or correction needed.');
      }
      this.requireText(callback.note ?? '', 'note');
    }
    if (callback.kind === 'REFUSED' && (!callback.reasons?.length || callback.reasons.some((r) => r.trim() === ''))) {
      throw new RuleViolation('INVALID_REQUEST', 'reasons must state why the partner refused the dossier.');
    }
  }

  /** Takes in a partner's answer: acceptance, a supplement request (the clock pauses), the result or a refusal. */
  applyCallback(callback: HandoffCallback, now: Date): TransitionEvent[] {
    this.checkCallback(callback);
    const d = this.delegated as NonNullable<typeof this.delegated>;
    const { segment } = d;
    const system = { officerId: null, fullName: segment.partner } as unknown as Actor;
    const at = now.toISOString();
    const about = { segment: segment.code, partner: segment.partner, handoffId: segment.handoffId };
    const step = this.current as StepInstance;
    switch (callback.kind) {
      case 'ACCEPTED':
        step.note = `Tiếp nhận tại hệ thống ${segment.partner}${callback.partnerDossierCode ? `: ${callback.partnerDossierCode}` : ''}`;
        return [
          this.event('SEGMENT_ACCEPTED', at, {
            payload: {
              ...about,
              partnerDossierCode: callback.partnerDossierCode ?? null,
              reportedAt: callback.reportedAt,
            },
          }),
        ];
      case 'SUPPLEMENT_REQUESTED':
        return this.perform(
          {
            actor: system,
            request: { action: 'request-supplement', items: callback.items ?? [], reason: callback.note ?? '' },
          },
          now,
        ).map((e) => ({ ...e, payload: { ...e.payload, ...about } }));
      case 'REFUSED': {
        const events = this.perform(
          { actor: system, request: { action: 'refuse', reasons: callback.reasons ?? [] } },
          now,
        );
        segment.completedAt = at;
        segment.result = step.result;
        this.delegated = null;
        return events.map((e) => ({ ...e, payload: { ...e.payload, ...about } }));
      }
      case 'RESULT': {
        this.closeStep(now, 'COMPLETED', callback.note ?? null);
        segment.completedAt = at;
        segment.result = step.result;
        this.delegated = null;
        const done = this.event('SEGMENT_RESULT_RECEIVED', at, {
          payload: {
            ...about,
            result: callback.result ?? null,
            note: callback.note ?? null,
            reportedAt: callback.reportedAt,
          },
        });
        return [done, ...this.segmentCompleted(segment, now, undefined)];
      }
    }
  }

  /** A segment's last step is done: the next agency receives the dossier at once, or the desk returns the result. */
  private segmentCompleted(segment: SegmentInstance, now: Date, actor: Actor | undefined): TransitionEvent[] {
    const rules = this.rules.segments as SegmentRule[];
    const index = rules.findIndex((r) => r.code === segment.code);
    const next = rules[index + 1];
    const last = this.steps.at(-1) as StepInstance;
    const nextUnit = next ? this.rule(next.steps[0]).unit : null;
    if (nextUnit) {
      last.handedTo = nextUnit;
    }
    const at = now.toISOString();
    const events = [
      this.event('SEGMENT_COMPLETED', at, {
        actorId: actor?.officerId,
        payload: {
          segment: segment.code,
          agency: segment.agency,
          handedOverAt: segment.handedOverAt,
          dueAt: segment.dueAt,
          result: segment.result,
          breached: segment.breached,
          next: next?.agency ?? null,
        },
      }),
    ];
    if (next) {
      return [...events, ...this.handOver(index + 1, at)];
    }
    const by = actor ?? ({ officerId: null } as unknown as Actor);
    return [...events, ...this.finishProcessing(now, 'APPROVED', by, { step: last.code }, 'PROCESSED')];
  }

  /** A segment's own event as the dossier records it: step numbers on the control sheet, deadlines the agency's. */
  private fromSegment(
    event: TransitionEvent,
    { segment, base }: { segment: SegmentInstance; base: number },
  ): TransitionEvent | null {
    const payload: Record<string, unknown> = { ...event.payload, segment: segment.code, agency: segment.agency };
    if (typeof payload.stepNo === 'number') {
      payload.stepNo += base;
    }
    const facts = event.facts.map((f) => ({ ...f, stepNo: f.stepNo === null ? null : f.stepNo + base }));
    const own: TransitionEvent = { ...event, nationalStatus: this.nationalStatus, payload, facts };
    const where = `phần việc liên thông "${segment.name}" của đơn vị ${segment.agency}`;
    switch (event.type) {
      case 'PROCESSING_STARTED':
        return { ...own, type: 'SEGMENT_STARTED' };
      case 'PROCESSED':
        // The dossier workflow judges the segment and hands the dossier on (SEGMENT_COMPLETED).
        return null;
      case 'DOSSIER_DUE_SOON':
        return {
          ...own,
          type: 'SEGMENT_DUE_SOON',
          notifications: event.notifications.map((n) => ({
            ...n,
            message: `Hồ sơ ${this.input.dossierCode}: ${where} còn 1 ngày làm việc (hạn ${this.fmtIso(segment.dueAt)}).`,
          })),
        };
      case 'DOSSIER_BREACHED': {
        segment.breached = true;
        const heads: Audience[] = [{ kind: 'UNIT_HEAD', unit: segment.agency }];
        if (segment.agency !== this.input.receivingUnitCode) {
          heads.push({ kind: 'UNIT_HEAD', unit: this.input.receivingUnitCode });
        }
        return {
          ...own,
          type: 'SEGMENT_BREACHED',
          facts: facts.map((f) => ({ ...f, kind: 'SEGMENT_BREACH' as const, unitCode: segment.agency })),
          notifications: [
            {
              kind: 'SEGMENT_BREACHED',
              audience: heads,
              message: `Hồ sơ ${this.input.dossierCode}: ${where} đã quá hạn (${this.fmtIso(segment.dueAt)}).`,
            },
          ],
        };
      }
      case 'DEADLINE_REPROJECTED':
        return { ...own, type: 'SEGMENT_DEADLINE_REPROJECTED' };
      default:
        return own;
    }
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────────────────

  private complete(
    actor: Actor,
    request: Extract<DossierAction, { action: 'complete' }>,
    now: Date,
  ): TransitionEvent[] {
    const at = now.toISOString();
    const rule = this.rule((this.current as StepInstance).code);
    const nextCode = request.nextStep ?? rule.next[0];
    const nextRule = nextCode ? this.rule(nextCode) : undefined;
    const step = this.closeStep(now, 'COMPLETED', request.note ?? null);
    step.handedTo = nextRule?.unit ?? this.input.receivingUnitCode;
    const completed = this.event('STEP_COMPLETED', at, {
      actorId: actor.officerId,
      payload: {
        step: step.code,
        stepNo: step.no,
        result: step.result,
        next: nextCode ?? null,
        note: request.note ?? null,
      },
    });
    const isReturnStep = (r: StepRule): boolean => !r.counted && r.next.length === 0;
    if (!nextRule || isReturnStep(nextRule)) {
      const events = this.finishProcessing(
        now,
        'APPROVED',
        actor,
        { step: step.code },
        'PROCESSED',
        nextRule,
        request.assignee,
      );
      return [completed, ...events];
    }
    const assignee = request.assignee ? { id: request.assignee.officerId, name: request.assignee.fullName } : null;
    const next = this.openStep(nextRule, at, assignee);
    completed.notifications.push(next.holderId ? this.assigned(next) : this.stepArrived(next));
    return [completed];
  }

  private finishProcessing(
    now: Date,
    outcome: DossierOutcome,
    actor: Actor,
    payload: Record<string, unknown>,
    type: string,
    returnRule: StepRule | undefined = this.rules.steps.find((r) => !r.counted && r.next.length === 0),
    assignee?: Actor,
  ): TransitionEvent[] {
    const at = now.toISOString();
    const due = new Date(this.deadline.dueAt as string);
    this.finishedAt = at;
    this.outcome = outcome;
    this.timeliness = judgeTimeliness(this.calendar, now, due, this.policy);
    this.state = 'READY_FOR_RETURN';
    this.nationalStatus = NationalStatus.PROCESSED;
    this.ledger(at, 'FINISHED', {
      explanation: `Processing finished at ${this.fmt(now)} against the due time ${this.fmt(due)}: ${this.timeliness.toLowerCase().replace('_', ' ')}.`,
      by: actor.officerId,
    });
    const notifications: NotificationDraft[] = [];
    if (returnRule) {
      const holder = assignee ? { id: assignee.officerId, name: assignee.fullName } : null;
      const step = this.openStep(returnRule, at, holder);
      notifications.push(holder ? this.assigned(step) : this.stepArrived(step));
    }
    const finished = this.event(type, at, {
      actorId: actor.officerId,
      payload: { ...payload, outcome, timeliness: this.timeliness, dueAt: this.deadline.dueAt },
      notifications,
    });
    const origin = this.input.handoff;
    if (!origin || returnRule) {
      return [finished];
    }
    // Handed over by a partner system: the result goes back to it electronically, there is no desk to return it.
    this.state = 'RESULT_RETURNED';
    this.nationalStatus = NationalStatus.RESULT_RETURNED;
    return [
      finished,
      this.event('RESULT_RETURNED', at, {
        payload: { deliveryMethod: 'ELECTRONIC', outcome, to: origin.partner, handoffId: origin.handoffId },
      }),
    ];
  }

  private resumeAfterSupplement(actor: Actor, note: string | null, now: Date): TransitionEvent[] {
    const at = now.toISOString();
    const before = this.deadline.dueAt;
    if (this.rules.clockPolicy.supplement === 'RESTART') {
      this.closePauses(at);
      const anchor = this.calendar.anchor(now, this.rules.cutoff ?? {});
      this.deadline.clock = { ...this.deadline.clock, startedAt: anchor.toISOString(), pauses: [] };
      this.deadline.anchorAt = anchor.toISOString();
      this.deadline.pausedSince = null;
      this.deadline.pauseReason = null;
      const step = this.current;
      if (step?.clock) {
        step.clock = { ...step.clock, startedAt: at, pauses: [] };
        step.rungs = { half: false, threeQuarters: false, breach: false };
      }
      this.warned = false;
      this.breached = false;
      this.project();
      this.ledger(at, 'RESTART', {
        explanation: `The complete dossier arrived at ${this.fmt(now)}: policy RESTART, so ${this.describeBudget()} start again from ${this.fmt(anchor)}, due ${this.fmtIso(this.deadline.dueAt)}.`,
        by: actor.officerId,
        legalBasis: this.rules.legalBasis,
        previousDueAt: before,
      });
    } else {
      const waited = this.resume(at);
      this.ledger(at, 'RESUME', {
        explanation: `The complete dossier arrived at ${this.fmt(now)}: ${inWorkingDays(waited)} WD of waiting not counted (policy PAUSE); due ${this.fmtIso(this.deadline.dueAt)}.`,
        by: actor.officerId,
        previousDueAt: before,
      });
    }
    this.supplement = null;
    this.state = 'IN_PROGRESS';
    this.nationalStatus = NationalStatus.PROCESSING;
    const step = this.current;
    return [
      this.event('SUPPLEMENT_SUBMITTED', at, {
        actorId: actor.officerId,
        payload: { note, policy: this.rules.clockPolicy.supplement, dueBefore: before, dueAfter: this.deadline.dueAt },
        notifications: step?.holderId
          ? [
              {
                kind: 'SUPPLEMENT_SUBMITTED',
                audience: [{ kind: 'OFFICER', officerId: step.holderId }],
                message: `Hồ sơ ${this.input.dossierCode}: người nộp đã bổ sung; hạn mới ${this.fmtIso(this.deadline.dueAt)}.`,
              },
            ]
          : [],
      }),
    ];
  }

  private pause(at: string, reason: ClockPauseReasonLabel): void {
    this.deadline.clock.pauses.push({ from: at, to: null, reason });
    this.current?.clock?.pauses.push({ from: at, to: null, reason });
    this.deadline.pausedSince = at;
    this.deadline.pauseReason = reason;
    this.project();
  }

  /** Closes the open pause; returns how much working time the wait took. */
  private resume(at: string): number {
    const open = this.deadline.clock.pauses.at(-1);
    const waited = open ? this.calendar.workingBetween(new Date(open.from), new Date(at)) : 0;
    this.closePauses(at);
    this.project();
    return waited;
  }

  private closePauses(at: string): void {
    for (const clock of [this.deadline.clock, this.current?.clock]) {
      const open = clock?.pauses.at(-1);
      if (open && open.to === null) {
        open.to = at;
      }
    }
    this.deadline.pausedSince = null;
    this.deadline.pauseReason = null;
  }

  /** Derives the due times from the clocks on the current calendar. */
  private project(): void {
    const clock = this.deadline.clock;
    const due = dueAt(this.calendar, clock);
    this.deadline.dueAt = due ? due.toISOString() : null;
    const warning =
      clock.unit !== 'CD' && clock.budgetMs > WORKING_DAY_MS
        ? instantAt(this.calendar, clock, clock.budgetMs - WORKING_DAY_MS)
        : null;
    this.deadline.warningAt = warning ? warning.toISOString() : null;
    const step = this.current;
    if (step?.clock) {
      const stepDue = dueAt(this.calendar, step.clock);
      step.dueAt = stepDue ? stepDue.toISOString() : null;
    }
  }

  private openStep(
    rule: StepRule,
    startedAt: string,
    holder: { id: string; name: string | null } | null,
  ): StepInstance {
    const timed = rule.counted && rule.budget.amount > 0;
    const step: StepInstance = {
      ...this.asInstance(rule),
      no: this.steps.length + 1,
      holderId: holder?.id ?? null,
      holderName: holder?.name ?? null,
      startedAt,
      clock: timed
        ? { startedAt, unit: rule.budget.unit, budgetMs: budgetMs(rule.budget.amount, rule.budget.unit), pauses: [] }
        : null,
    };
    this.steps.push(step);
    this.project();
    return step;
  }

  private asInstance(rule: StepRule): StepInstance {
    return {
      no: 0,
      code: rule.code,
      name: rule.name,
      unit: rule.unit,
      role: rule.role,
      counted: rule.counted,
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

  private closeStep(now: Date, exit: NonNullable<StepInstance['exit']>, note: string | null): StepInstance {
    const step = this.current as StepInstance;
    this.project();
    step.completedAt = now.toISOString();
    step.exit = exit;
    step.note = note;
    if (step.dueAt) {
      step.result = judgeTimeliness(this.calendar, now, new Date(step.dueAt), this.policy);
    }
    return step;
  }

  private rule(code: string): StepRule {
    const rule = this.rules.steps.find((s) => s.code === code);
    if (!rule) {
      throw new RuleViolation('WRONG_STEP', `The procedure has no step ${code}.`);
    }
    return rule;
  }

  private requireState(states: DossierState[], action: string): void {
    if (!states.includes(this.state)) {
      throw new RuleViolation(
        'INVALID_STATE',
        `Cannot ${action} dossier ${this.input.dossierCode}: it is ${this.state}, and ${action} needs ${states.join(' or ')}.`,
      );
    }
  }

  private requireStep(states: DossierState[], action: string): StepInstance {
    this.requireState(states, action);
    const step = this.current;
    if (!step) {
      throw new RuleViolation('INVALID_STATE', `Dossier ${this.input.dossierCode} has no open step to ${action}.`);
    }
    return step;
  }

  private requireHolder(actor: Actor, action: string): StepInstance {
    const step = this.requireStep(['IN_PROGRESS'], action);
    if (step.holderId === null) {
      throw new RuleViolation(
        'NOT_HOLDER',
        `Step ${step.code} "${step.name}" has no holder yet: claim it (or have it assigned) before you ${action}.`,
      );
    }
    if (step.holderId !== actor.officerId) {
      throw new RuleViolation(
        'NOT_HOLDER',
        `Step ${step.code} "${step.name}" is held by ${step.holderName ?? step.holderId}; only the holder may ${action}.`,
      );
    }
    return step;
  }

  private requireFits(officer: Actor, step: StepInstance, what: string): void {
    if (!officer.roles.includes(step.role) || !officer.unitCodes.includes(step.unit)) {
      throw new RuleViolation(
        'ROLE_NOT_ALLOWED',
        `Step ${step.code} "${step.name}" is for a ${step.role} of unit ${step.unit}; ${officer.username} cannot ${what} it.`,
      );
    }
  }

  private requireDesk(actor: Actor, what: string): void {
    const desk = actor.roles.includes('DESK_CLERK') && actor.unitCodes.includes(this.input.receivingUnitCode);
    if (!desk && !actor.roles.includes('AGENCY_SYSTEM')) {
      throw new RuleViolation(
        'ROLE_NOT_ALLOWED',
        `Only the receiving desk (${this.input.receivingUnitCode}) or a connected system may ${what}; ${actor.username} cannot.`,
      );
    }
  }

  private leads(actor: Actor, unit: string): boolean {
    return actor.unitCodes.includes(unit) && actor.roles.some((r) => LEADING_ROLES.includes(r));
  }

  private requireText(text: string, field: string): void {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new RuleViolation('INVALID_REQUEST', `${field} must not be empty.`);
    }
  }

  private stepArrived(step: StepInstance): NotificationDraft {
    return {
      kind: 'STEP_ARRIVED',
      audience: [{ kind: 'UNIT_HEAD', unit: step.unit }],
      message: `Hồ sơ ${this.input.dossierCode} đến bước ${step.code} "${step.name}" tại đơn vị ${step.unit}, chưa có người xử lý (hạn ${this.fmtIso(step.dueAt)}).`,
    };
  }

  private assigned(step: StepInstance): NotificationDraft {
    return {
      kind: 'STEP_ASSIGNED',
      audience: [{ kind: 'OFFICER', officerId: step.holderId as string }],
      message: `Hồ sơ ${this.input.dossierCode}: bạn được giao bước ${step.code} "${step.name}" (hạn ${this.fmtIso(step.dueAt)}).`,
    };
  }

  private ledger(at: string, kind: LedgerEntry['kind'], entry: Omit<LedgerEntry, 'at' | 'kind' | 'dueAt'>): void {
    this.deadline.ledger.push({ at, kind, dueAt: this.deadline.dueAt, ...entry });
  }

  private event(
    type: string,
    occurredAt: string,
    extra: Partial<Pick<TransitionEvent, 'actorId' | 'payload' | 'facts' | 'notifications'>> = {},
  ): TransitionEvent {
    return {
      type,
      nationalStatus: this.nationalStatus,
      occurredAt,
      actorId: extra.actorId,
      payload: extra.payload ?? {},
      facts: extra.facts ?? [],
      notifications: extra.notifications ?? [],
    };
  }

  private describeBudget(): string {
    const { amount, unit } = this.rules.processingTime;
    return `${amount} ${unit === 'WD' ? 'working days' : unit === 'WH' ? 'working hours' : 'calendar days'}`;
  }

  /** `hh:mm dd/mm/yyyy` in the deployment's zone, as forms print it. */
  fmt(at: Date): string {
    return formatFormTime(this.calendar, at);
  }

  private fmtIso(iso: string | null | undefined): string {
    return iso ? this.fmt(new Date(iso)) : '—';
  }
}
