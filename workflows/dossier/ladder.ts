/**
 * The escalation ladder and the dossier's timers: a step's 50 % / 75 % / breach rungs, the warning one working day
 * before the due time, the dossier's breach, and the end of the applicant's window. Silent while the clock is paused.
 */
import { type Audience, instantAt, isPaused, NationalStatus, type TransitionEvent } from '../../libs/domain/src';
import { type StepInstance } from '../dossier.types';
import { current, type Dossier, event, returnsAtOnce } from './state';
import { stopProcessing } from './steps';
import { notice, sheet } from './texts';

type Rung = 'half' | 'threeQuarters' | 'breach';

const RUNGS: [Rung, number][] = [
  ['half', 0.5],
  ['threeQuarters', 0.75],
  ['breach', 1],
];

interface Timer {
  at: number;
  fire: () => TransitionEvent[];
}

/** The next instant a timer must fire at, or null when nothing is pending (paused, finished). */
export function nextWakeAt(d: Dossier): Date | null {
  const pending = pendingTimers(d).map((t) => t.at);
  return pending.length > 0 ? new Date(Math.min(...pending)) : null;
}

/** Fires every timer due by `now`, oldest first; each fires once. */
export function fire(d: Dossier, now: Date): TransitionEvent[] {
  const events: TransitionEvent[] = [];
  for (;;) {
    const due = pendingTimers(d)
      .filter((t) => t.at <= now.getTime())
      .sort((a, b) => a.at - b.at)[0];
    if (!due) {
      return events;
    }
    events.push(...due.fire());
  }
}

function pendingTimers(d: Dossier): Timer[] {
  const timers: Timer[] = [];
  // While a segment's child workflow holds the dossier, its step clocks and the applicant's window are its own.
  const delegated = d.delegated !== null && !d.delegated.external;
  if (d.state === 'AWAITING_SUPPLEMENT' && d.supplement && !delegated) {
    const at = Date.parse(d.supplement.windowEndsAt);
    timers.push({ at, fire: () => closeForNoSupplement(d, new Date(at)) });
  }
  // A result handed over in the visit has no appointment to warn about or breach.
  if (d.state !== 'IN_PROGRESS' || returnsAtOnce(d)) {
    return timers;
  }
  const step = current(d);
  if (step?.clock && !isPaused(step.clock) && !delegated) {
    const clock = step.clock;
    for (const [rung, share] of RUNGS) {
      if (!step.rungs[rung]) {
        const at = instantAt(d.calendar, clock, Math.round(clock.budgetMs * share));
        if (at) {
          timers.push({ at: at.getTime(), fire: () => fireRung(d, step, rung, at) });
        }
      }
    }
  }
  if (!d.warned && d.deadline.warningAt) {
    const at = new Date(d.deadline.warningAt);
    timers.push({ at: at.getTime(), fire: () => fireWarning(d, at) });
  }
  if (!d.breached && d.deadline.dueAt) {
    const at = new Date(d.deadline.dueAt);
    timers.push({ at: at.getTime(), fire: () => fireDossierBreach(d, at) });
  }
  return timers;
}

function fireRung(d: Dossier, step: StepInstance, rung: Rung, at: Date): TransitionEvent[] {
  step.rungs[rung] = true;
  const iso = at.toISOString();
  const partner = d.delegated?.external && d.delegated.segment.code === step.code ? d.delegated : null;
  if (rung === 'breach' && partner) {
    // The partner is silent past its share of the deadline: a breach attributed to its agency.
    partner.segment.breached = true;
    const fact = { unitCode: step.unit, officerId: null, stepNo: step.no, stepCode: step.code, occurredAt: iso };
    return [
      event(d, 'SEGMENT_BREACHED', iso, {
        payload: { segment: step.code, agency: step.unit, partner: partner.segment.partner, dueAt: step.dueAt },
        facts: [
          { kind: 'STEP_BREACH', ...fact, dueAt: step.dueAt ?? iso },
          { kind: 'SEGMENT_BREACH', ...fact, dueAt: step.dueAt ?? iso },
        ],
        notifications: [
          {
            kind: 'SEGMENT_BREACHED',
            audience: [{ kind: 'UNIT_HEAD', unit: d.input.receivingUnitCode }],
            message: notice.partnerBreached(d, partner.segment, step),
          },
        ],
      }),
    ];
  }
  if (rung === 'breach') {
    return [
      event(d, 'STEP_BREACHED', iso, {
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
            message: notice.stepBreached(d, step),
          },
        ],
      }),
    ];
  }
  const half = rung === 'half';
  const holder = step.holderId ? [{ kind: 'OFFICER' as const, officerId: step.holderId }] : [];
  return [
    event(d, half ? 'STEP_HALF_USED' : 'STEP_THREE_QUARTERS_USED', iso, {
      payload: { step: step.code, stepNo: step.no, dueAt: step.dueAt },
      notifications: [
        {
          kind: half ? 'STEP_HALF_USED' : 'STEP_THREE_QUARTERS_USED',
          audience: half
            ? holder.length > 0
              ? holder
              : [{ kind: 'UNIT_HEAD', unit: step.unit }]
            : [...holder, { kind: 'DIVISION_HEADS', unit: step.unit }],
          message: notice.stepShareUsed(d, step, half ? '50%' : '75%'),
        },
      ],
    }),
  ];
}

function fireWarning(d: Dossier, at: Date): TransitionEvent[] {
  d.warned = true;
  const step = current(d);
  const audience: Audience[] = step
    ? [
        ...(step.holderId ? [{ kind: 'OFFICER' as const, officerId: step.holderId }] : []),
        { kind: 'UNIT_HEAD', unit: step.unit },
      ]
    : [{ kind: 'UNIT_HEAD', unit: d.input.receivingUnitCode }];
  return [
    event(d, 'DOSSIER_DUE_SOON', at.toISOString(), {
      payload: { dueAt: d.deadline.dueAt, step: step?.code ?? null },
      notifications: [{ kind: 'DOSSIER_DUE_SOON', audience, message: notice.dueSoon(d) }],
    }),
  ];
}

function fireDossierBreach(d: Dossier, at: Date): TransitionEvent[] {
  d.breached = true;
  const step = current(d);
  const iso = at.toISOString();
  const unit = step?.unit ?? d.input.receivingUnitCode;
  const heads: Audience[] = [{ kind: 'UNIT_HEAD', unit }];
  if (unit !== d.input.receivingUnitCode) {
    heads.push({ kind: 'UNIT_HEAD', unit: d.input.receivingUnitCode });
  }
  return [
    event(d, 'DOSSIER_BREACHED', iso, {
      payload: { dueAt: d.deadline.dueAt, step: step?.code ?? null, unit, holderId: step?.holderId ?? null },
      facts: [
        {
          kind: 'DOSSIER_BREACH',
          unitCode: unit,
          officerId: step?.holderId ?? null,
          stepNo: step?.no ?? null,
          stepCode: step?.code ?? null,
          dueAt: d.deadline.dueAt ?? iso,
          occurredAt: iso,
        },
      ],
      notifications: [{ kind: 'DOSSIER_BREACHED', audience: heads, message: notice.dossierBreached(d, step, unit) }],
    }),
  ];
}

/** The applicant's window ended without the documents: the dossier stops. */
export function closeForNoSupplement(d: Dossier, at: Date): TransitionEvent[] {
  const iso = at.toISOString();
  const end = { state: 'CLOSED', outcome: 'CLOSED_NO_SUPPLEMENT', nationalStatus: NationalStatus.STOPPED } as const;
  stopProcessing(d, at, { ...end, note: sheet.closedNoSupplement });
  return [
    event(d, 'CLOSED', iso, {
      payload: { reason: 'The applicant did not complete the dossier within the window.' },
      notifications: [
        {
          kind: 'DOSSIER_CLOSED',
          audience: [{ kind: 'UNIT_HEAD', unit: d.input.receivingUnitCode }],
          message: notice.closedNoSupplement(d),
        },
      ],
    }),
  ];
}
