/**
 * Connected procedures: the dossier handed from agency to agency. A segment runs in its agency's child workflow
 * (reported back here and mirrored onto the control sheet) or in a partner's system (one step stands for it).
 */
import {
  type Audience,
  budgetMs,
  type DeadlineClock,
  dueAt,
  type NotificationDraft,
  segmentOwnSteps,
  type TransitionEvent,
  withPayload,
} from '../../libs/domain/src';
import {
  type Actor,
  type DossierOutcome,
  type SegmentInstance,
  type SegmentOutcome,
  type SegmentReport,
  type SegmentRule,
  type StepInstance,
} from '../dossier.types';
import { perform } from './actions/action-table';
import { closeForNoSupplement } from './ladder';
import { type Delegation, type Dossier, DOSSIER_LEVEL_ACTIONS, event, rule } from './state';
import { finishProcessing, openStep } from './steps';
import { notice, sheet } from './texts';

/** The states in which a segment's child workflow still holds the dossier. */
const SEGMENT_ACTIVE = ['IN_PROGRESS', 'AWAITING_SUPPLEMENT', 'AWAITING_PAYMENT'];

/** How a segment ended, by how its child workflow's processing ended. */
const SEGMENT_OUTCOME: Record<DossierOutcome, SegmentOutcome> = {
  APPROVED: 'COMPLETED',
  REFUSED: 'REFUSED',
  WITHDRAWN: 'WITHDRAWN',
  CLOSED_NO_SUPPLEMENT: 'CLOSED',
};

/** Hands the dossier to segment `index`: its clock starts at `at` (the hand-over instant on the control sheet). */
export function handOver(d: Dossier, index: number, at: string, occurredAt: string = at): TransitionEvent[] {
  const segments = d.segments as SegmentInstance[];
  const segmentRule = (d.rules.segments as SegmentRule[])[index];
  const previous = segments.at(-1) ?? null;
  const anchor = d.calendar.anchor(new Date(at), {});
  const clock: DeadlineClock = {
    startedAt: anchor.toISOString(),
    unit: segmentRule.budget.unit,
    budgetMs: budgetMs(segmentRule.budget.amount, segmentRule.budget.unit),
    pauses: [],
  };
  const segment: SegmentInstance = {
    code: segmentRule.code,
    name: segmentRule.name,
    agency: segmentRule.agency,
    budget: segmentRule.budget,
    workflowId: `${d.input.dossierCode}/${segmentRule.code}`,
    taskQueue: segmentRule.taskQueue,
    handedOverAt: at,
    dueAt: dueAt(d.calendar, clock)?.toISOString() ?? null,
    completedAt: null,
    result: null,
    breached: false,
  };
  segments.push(segment);
  const base = d.steps.length;
  if (segmentRule.partner) {
    return handOverToPartner(d, segment, segmentRule, at, occurredAt, previous);
  }
  d.delegated = { segment, rule: segmentRule, base, count: 0, external: false };
  d.handedOver = {
    dossierCode: d.input.dossierCode,
    procedureCode: d.input.procedureCode,
    receivingUnitCode: d.input.receivingUnitCode,
    receivedBy: index === 0 ? d.input.receivedBy : undefined,
    segment: segmentRule,
    handedOverAt: at,
    rules: {
      ...d.rules,
      processingTime: segmentRule.budget,
      cutoff: undefined,
      steps: segmentOwnSteps(d.rules.steps, segmentRule.steps),
      segments: undefined,
      // The segment's agency handles the dossier while it has it: its head signs form 04.
      ...(d.patches.signatories ? { agency: segmentRule.agency } : {}),
    },
    extended: d.deadline.extended,
    ...(d.patches.supplementsPerDossier ? { supplementRequests: d.deadline.supplementRequests } : {}),
    // The segment runs with the dossier's rules (none for a dossier started before them).
    ...(Object.values(d.patches).some(Boolean) ? { patches: d.patches } : {}),
    ...(d.legacyClock ? {} : { lawClock: true }),
  };
  return [
    handedOverEvent(d, segment, previous, occurredAt, [
      {
        kind: 'SEGMENT_HANDED_OVER',
        audience: [{ kind: 'UNIT_HEAD', unit: segmentRule.agency }],
        message: notice.segmentHandedOver(d, segment),
      },
    ]),
  ];
}

/**
 * Hands a segment to a partner's system: one step on the control sheet stands for its work, with the segment's
 * budget as its clock (a partner silent past it breaches, attributed to the agency), until its callback says.
 */
function handOverToPartner(
  d: Dossier,
  segment: SegmentInstance,
  segmentRule: SegmentRule,
  at: string,
  occurredAt: string,
  previous: SegmentInstance | null,
): TransitionEvent[] {
  segment.workflowId = null;
  segment.partner = segmentRule.partner;
  segment.handoffId = d.newId();
  const step = openStep(
    d,
    {
      code: segmentRule.code,
      name: sheet.partnerStepName(segmentRule.name, segmentRule.partner),
      unit: segmentRule.agency,
      role: 'AGENCY_SYSTEM',
      budget: segmentRule.budget,
      counted: true,
      next: [],
    },
    at,
    null,
  );
  step.holderName = segmentRule.partner as string;
  d.delegated = { segment, rule: segmentRule, base: d.steps.length - 1, count: 1, external: true };
  return [handedOverEvent(d, segment, previous, occurredAt, undefined)];
}

/** The control sheet's record of a hand-over: to whom, when its clock starts, its budget and due time. */
function handedOverEvent(
  d: Dossier,
  segment: SegmentInstance,
  previous: SegmentInstance | null,
  occurredAt: string,
  notifications: NotificationDraft[] | undefined,
): TransitionEvent {
  return event(d, 'SEGMENT_HANDED_OVER', occurredAt, {
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
    notifications,
  });
}

/** The child workflow to start for a segment just handed over (once). */
export function takeHandOver(d: Dossier) {
  const input = d.handedOver;
  d.handedOver = null;
  return input;
}

/**
 * Takes in what a segment's child workflow did. Its step transitions go onto the control sheet as they are. The
 * dossier-level consequences (pause, extension, refusal, withdrawal, closing) are carried out on the dossier's own
 * clock. The segment's own deadline events are attributed to its agency. When the segment is over, the dossier
 * goes on to the next agency or to the return desk. Returns the events to persist, in order.
 */
export function mirror(d: Dossier, report: SegmentReport): TransitionEvent[] {
  const delegation = d.delegated;
  if (!delegation || delegation.external || delegation.segment.code !== report.segment) {
    return [];
  }
  const at = new Date(report.at);
  const child = report.snapshot;
  const events: TransitionEvent[] = [];
  let own = false;
  if (report.command && DOSSIER_LEVEL_ACTIONS.includes(report.command.request.action)) {
    events.push(...perform(d, report.command, at));
    own = true;
  } else if (child.state === 'CLOSED') {
    events.push(...closeForNoSupplement(d, at));
    own = true;
  }
  // Steps opened here after the segment's (the return step after a refusal) keep their place after them.
  const { base } = delegation;
  const after = d.steps.slice(base + delegation.count);
  const mirrored = child.steps.map((s) => ({ ...s, no: s.no + base }));
  d.steps.splice(
    base,
    d.steps.length - base,
    ...mirrored,
    ...after.map((s, i) => ({ ...s, no: base + mirrored.length + i + 1 })),
  );
  delegation.count = mirrored.length;
  delegation.segment.dueAt = child.deadline.dueAt;
  if (!own) {
    for (const segmentEvent of report.events) {
      const translated = fromSegment(d, segmentEvent, delegation);
      if (translated) {
        events.push(translated);
      }
    }
  }
  if (!SEGMENT_ACTIVE.includes(child.state)) {
    delegation.segment.completedAt = child.finishedAt ?? report.at;
    delegation.segment.result = child.timeliness;
    if (d.patches.segmentOutcomes) {
      delegation.segment.outcome = SEGMENT_OUTCOME[child.outcome ?? 'APPROVED'];
    }
    d.delegated = null;
    if (child.state === 'READY_FOR_RETURN' && child.outcome === 'APPROVED') {
      events.push(...segmentCompleted(d, delegation.segment, at, report.command?.actor));
    }
  }
  return events;
}

/** A segment's last step is done: the next agency receives the dossier at once, or the desk returns the result. */
export function segmentCompleted(
  d: Dossier,
  segment: SegmentInstance,
  now: Date,
  actor: Actor | undefined,
): TransitionEvent[] {
  const rules = d.rules.segments as SegmentRule[];
  const index = rules.findIndex((r) => r.code === segment.code);
  const next = rules[index + 1];
  const last = d.steps.at(-1) as StepInstance;
  const nextUnit = next ? rule(d, next.steps[0]).unit : null;
  if (nextUnit) {
    last.handedTo = nextUnit;
  }
  const at = now.toISOString();
  const events = [
    event(d, 'SEGMENT_COMPLETED', at, {
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
    return [...events, ...handOver(d, index + 1, at)];
  }
  const by = actor ?? ({ officerId: null } as unknown as Actor);
  return [...events, ...finishProcessing(d, now, 'APPROVED', by, { step: last.code }, 'PROCESSED')];
}

/** A segment's own event as the dossier records it: step numbers on the control sheet, deadlines the agency's. */
function fromSegment(
  d: Dossier,
  segmentEvent: TransitionEvent,
  { segment, base }: Pick<Delegation, 'segment' | 'base'>,
): TransitionEvent | null {
  const { stepNo } = segmentEvent.payload;
  const about = {
    segment: segment.code,
    agency: segment.agency,
    ...(typeof stepNo === 'number' ? { stepNo: stepNo + base } : {}),
  };
  const facts = segmentEvent.facts.map((f) => ({ ...f, stepNo: f.stepNo === null ? null : f.stepNo + base }));
  const own: TransitionEvent = { ...withPayload(segmentEvent, about), nationalStatus: d.nationalStatus, facts };
  const type = segmentEvent.type;
  if (type === 'PROCESSING_STARTED') {
    return { ...own, type: 'SEGMENT_STARTED' };
  }
  if (type === 'PROCESSED') {
    // The dossier workflow judges the segment and hands the dossier on (SEGMENT_COMPLETED).
    return null;
  }
  if (type === 'DOSSIER_DUE_SOON') {
    return {
      ...own,
      type: 'SEGMENT_DUE_SOON',
      notifications: segmentEvent.notifications.map((n) => ({ ...n, message: notice.segmentDueSoon(d, segment) })),
    };
  }
  if (type === 'DOSSIER_BREACHED') {
    segment.breached = true;
    const heads: Audience[] = [{ kind: 'UNIT_HEAD', unit: segment.agency }];
    if (segment.agency !== d.input.receivingUnitCode) {
      heads.push({ kind: 'UNIT_HEAD', unit: d.input.receivingUnitCode });
    }
    return {
      ...own,
      type: 'SEGMENT_BREACHED',
      facts: facts.map((f) => ({ ...f, kind: 'SEGMENT_BREACH' as const, unitCode: segment.agency })),
      notifications: [{ kind: 'SEGMENT_BREACHED', audience: heads, message: notice.segmentBreached(d, segment) }],
    };
  }
  if (type === 'DEADLINE_REPROJECTED') {
    return { ...own, type: 'SEGMENT_DEADLINE_REPROJECTED' };
  }
  return own;
}
