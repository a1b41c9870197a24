/**
 * Shared helpers of the `DossierMachine` unit specs (`dossier-machine/*.spec.ts`): a fixed 2030 calendar, the demo
 * officers as actors, the seeded examples A and B, and drivers that act, fire timers and mirror segments as the
 * workflows do, with no Temporal and no database.
 */
import { type CalendarDay, createScopedCalendar, statutoryHolidays, type WorkingCalendar } from '../libs/calendar/src';
import { type TransitionEvent } from '../libs/domain/src';
import { dossierInput } from '../test/support/dossier-fixtures';
import { NO_PATCHES, type Patches } from './dossier/patches';
import { DossierMachine, RuleViolation, type RuleViolationType } from './dossier.machine';
import {
  type Actor,
  type DossierAction,
  type DossierRules,
  type DossierWorkflowInput,
  type HandoffCallback,
  type SegmentReport,
  type SegmentWorkflowInput,
} from './dossier.types';

export const CENTRE = '000.00.20.H36';
export const DEPARTMENT = '000.00.12.H36';
export const DIVISION = '000.12.01.H36';
export const PROVINCE = '000.00.00.H36';
export const COMMUNE = '000.31.01.H36';
export const POLICE = '000.00.05.H36';
export const POLICE_DIVISION = '000.05.01.H36';

/** Monday 6 May 2030, 09:40 in Hanoi: no holiday for the next seven weeks (as in the workflow tests). */
export const RECEIVED = '2030-05-06T09:40';

/** A local Hanoi time (`2030-05-06T09:40`) as an instant. */
export const at = (local: string): Date => new Date(`${local}+07:00`);
/** A local Hanoi time as the ISO string the machine stores. */
export const iso = (local: string): string => at(local).toISOString();

/** The national 2030 schedule as fixed data (the statutory holidays), plus any days off a test adds. */
export function fixedCalendar(extraHolidays: CalendarDay[] = []): WorkingCalendar {
  const year = statutoryHolidays(2030);
  return createScopedCalendar({
    timeZone: 'Asia/Ho_Chi_Minh',
    chain: ['VN'],
    entries: [
      {
        scope: 'VN',
        year: 2030,
        holidays: [...year.holidays, ...extraHolidays],
        makeupWorkdays: year.makeupWorkdays,
        legalBasis: 'Bộ luật Lao động 2019',
      },
    ],
  });
}

const officer = (
  username: string,
  fullName: string,
  roles: string[],
  unitCodes: string[],
  headOfUnits: string[] = [],
): Actor => ({ officerId: `id-${username}`, username, fullName, roles, unitCodes, headOfUnits });

/** The demo officers (libs/persistence seed), with the units each heads and everything below them. */
export const actors = {
  clerk: officer('clerk', 'Nguyễn Thị Lan', ['DESK_CLERK'], [CENTRE]),
  head: officer('head', 'Phạm Quốc Dũng', ['UNIT_HEAD'], [CENTRE], [CENTRE, '000.20.01.H36', '000.20.02.H36']),
  specialist: officer('specialist', 'Lê Minh Châu', ['SPECIALIST'], [DIVISION]),
  'division-head': officer('division-head', 'Đỗ Thị Hạnh', ['DIVISION_HEAD'], [DIVISION], [DIVISION]),
  'dept-leader': officer(
    'dept-leader',
    'Hoàng Văn Khải',
    ['AGENCY_LEADER'],
    [DEPARTMENT],
    [DEPARTMENT, DIVISION, '000.12.02.H36'],
  ),
  'dept-clerk': officer('dept-clerk', 'Trịnh Thu Hà', ['SPECIALIST'], [DEPARTMENT]),
  'ppc-leader': officer(
    'ppc-leader',
    'Vũ Đức Long',
    ['AGENCY_LEADER', 'UNIT_HEAD'],
    [PROVINCE],
    [PROVINCE, CENTRE, DEPARTMENT, DIVISION, POLICE, POLICE_DIVISION, COMMUNE],
  ),
  'ppc-specialist': officer('ppc-specialist', 'Đinh Thị Thu', ['SPECIALIST'], [PROVINCE]),
  'police-officer': officer('police-officer', 'Bùi Quang Minh', ['SPECIALIST'], [POLICE_DIVISION]),
  'police-head': officer('police-head', 'Lý Văn Hùng', ['DIVISION_HEAD'], [POLICE_DIVISION]),
  'police-chief': officer('police-chief', 'Trương Quang Phúc', ['AGENCY_LEADER'], [POLICE], [POLICE, POLICE_DIVISION]),
  'commune-clerk': officer('commune-clerk', 'Trần Văn Bình', ['DESK_CLERK'], [COMMUNE]),
  'commune-officer': officer('commune-officer', 'Mai Thị Hoa', ['SPECIALIST'], [COMMUNE]),
  'commune-chair': officer('commune-chair', 'Ngô Thị Mai', ['UNIT_HEAD'], [COMMUNE], [COMMUNE]),
  'agency-system': officer('agency-system', 'Cổng dịch vụ công tỉnh', ['AGENCY_SYSTEM'], [CENTRE]),
  'payment-gateway': officer('payment-gateway', 'Cổng thanh toán', ['PAYMENT_GATEWAY'], []),
} satisfies Record<string, Actor>;
export type Officer = keyof typeof actors;

/** Example A (2.000908: 30 WD, ten steps) received by the clerk at RECEIVED, not yet started. */
export function exampleAInput(
  options: { rules?: Partial<DossierRules>; receivedAt?: string; receivedBy?: string | null; patches?: Patches } = {},
): DossierWorkflowInput {
  return dossierInput('000.00.20.H36-300506-0001', iso(options.receivedAt ?? RECEIVED), {
    // null: received with nobody named at the desk (S01 waits to be claimed).
    receivedBy: options.receivedBy === null ? undefined : (options.receivedBy ?? actors.clerk.officerId),
    rules: options.rules,
  });
}

/**
 * Example A taken into processing: the clerk holds S01 from RECEIVED. `legacyClock`: as an execution from before the
 * clock as the law has it (replayed) would keep time.
 */
export function exampleA(
  options: Parameters<typeof exampleAInput>[0] & { legacyClock?: boolean } = {},
): DossierMachine {
  const machine = new DossierMachine(exampleAInput(options), fixedCalendar(), {
    patches: options.patches,
    legacyClock: options.legacyClock,
  });
  machine.start();
  return machine;
}

/** Example A with a clock policy of its own (e.g. RESTART, or two supplement requests). */
export const withClockPolicy = (clockPolicy: Partial<DossierRules['clockPolicy']>): DossierMachine =>
  exampleA({
    rules: {
      clockPolicy: {
        supplement: 'PAUSE',
        maxSupplementRequests: 1,
        applicantWindow: { amount: 15, unit: 'WD' },
        ...clockPolicy,
      },
    },
  });

export const act = (machine: DossierMachine, who: Officer, request: DossierAction, local: string): TransitionEvent[] =>
  machine.apply({ actor: actors[who], request }, at(local));

/** The violation an action is refused with; fails when it is accepted or when the refusal changed the dossier. */
export function refusal(
  machine: DossierMachine,
  who: Officer | Actor,
  request: DossierAction,
  local: string,
): { type: RuleViolationType; message: string; details?: Record<string, unknown> } {
  const actor = typeof who === 'string' ? actors[who] : who;
  return refused(machine, () => machine.apply({ actor, request }, at(local)));
}

/** The violation `attempt` throws, checked to have left the machine as it was. */
export function refused(
  machine: DossierMachine,
  attempt: () => unknown,
): { type: RuleViolationType; message: string; details?: Record<string, unknown> } {
  const before = JSON.stringify(machine.snapshot(0));
  try {
    attempt();
  } catch (e) {
    if (!(e instanceof RuleViolation)) {
      throw e;
    }
    if (JSON.stringify(machine.snapshot(0)) !== before) {
      throw new Error(`the refusal (${e.type}) changed the dossier`);
    }
    return { type: e.type, message: e.message, ...(e.details ? { details: e.details } : {}) };
  }
  throw new Error('the action was accepted');
}

export const types = (events: TransitionEvent[]): string[] => events.map((e) => e.type);

/** S01–S04 done at `local`: the specialist holds S05 from then. */
export function toSpecialist(machine: DossierMachine, local = RECEIVED): DossierMachine {
  act(machine, 'clerk', { action: 'complete', note: 'Hồ sơ đầy đủ' }, local);
  act(machine, 'head', { action: 'claim' }, local);
  act(machine, 'head', { action: 'complete' }, local);
  act(machine, 'dept-leader', { action: 'claim' }, local);
  act(machine, 'dept-leader', { action: 'complete', assignee: actors['division-head'] }, local);
  act(machine, 'division-head', { action: 'complete', assignee: actors.specialist }, local);
  return machine;
}

/** S05–S09 done at `local`: the result waits at the desk (S10, unheld); returns the events of S09's completion. */
export function toReturnDesk(machine: DossierMachine, local: string): TransitionEvent[] {
  act(machine, 'specialist', { action: 'complete', note: 'Dự thảo quyết định' }, local);
  act(machine, 'division-head', { action: 'claim' }, local);
  act(machine, 'division-head', { action: 'complete' }, local);
  act(machine, 'dept-leader', { action: 'claim' }, local);
  act(machine, 'dept-leader', { action: 'complete' }, local);
  act(machine, 'ppc-leader', { action: 'claim' }, local);
  act(machine, 'ppc-leader', { action: 'complete' }, local);
  act(machine, 'dept-clerk', { action: 'claim' }, local);
  return act(machine, 'dept-clerk', { action: 'complete' }, local);
}

/** A request of one action, e.g. `Request<'refuse'>`. */
export type Request<A extends DossierAction['action']> = Extract<DossierAction, { action: A }>;

export const SUPPLEMENT: Request<'request-supplement'> = {
  action: 'request-supplement',
  items: ['Bản sao có chứng thực giấy tờ về địa điểm'],
  reason: 'Giấy tờ địa điểm là bản chụp',
};

/** A week after receipt, when the specialist asks for documents in several specs (25 of the 30 WD left). */
export const ASKED = '2030-05-13T09:40';

/** Example A with the specialist's request for documents made at `local`: the dossier waits for the applicant. */
export function awaitingSupplement(machine = toSpecialist(exampleA()), local = ASKED): DossierMachine {
  act(machine, 'specialist', SUPPLEMENT, local);
  return machine;
}

/** Example B (1.014390: commune → police → province, 16 WD) received by the commune's clerk at RECEIVED. */
export function exampleBInput(partners?: { id: string; agencies: string[] }[]): DossierWorkflowInput {
  return dossierInput('000.31.01.H36-300506-0001', iso(RECEIVED), {
    procedure: '1.014390',
    receivingUnitCode: COMMUNE,
    receivedBy: actors['commune-clerk'].officerId,
    agencyQueue: (agency) => `agency-${agency}`,
    partners,
  });
}

/** Example B not yet started, naming its hand-offs `handoff-1`, `handoff-2`… as the workflow's UUIDs would. */
export function newExampleB(partners?: { id: string; agencies: string[] }[], patches?: Patches): DossierMachine {
  let ids = 0;
  return new DossierMachine(exampleBInput(partners), fixedCalendar(), { newId: () => `handoff-${++ids}`, patches });
}

/** Example B taken into processing: the commune's segment is handed over (its child workflow not yet started). */
export function exampleB(partners?: { id: string; agencies: string[] }[], patches?: Patches): DossierMachine {
  const machine = newExampleB(partners, patches);
  machine.start();
  return machine;
}

/**
 * An agency's segment as its child workflow runs it (segment.workflow.ts): a machine of its own over the hand-over
 * input, whose every transition is reported to the dossier's machine (`mirror`), as the workflows do.
 */
export class SegmentChild {
  readonly machine: DossierMachine;
  private sent = 0;
  /** What the dossier's machine made of the first report (the segment starting). */
  readonly started: TransitionEvent[];

  constructor(
    private readonly dossier: DossierMachine,
    readonly input: SegmentWorkflowInput,
  ) {
    // As segment.workflow.ts does: the segment's clock starts at the hand-over, as if received then.
    const { dossierCode, procedureCode, receivingUnitCode, receivedBy, rules, handedOverAt: receivedAt } = input;
    const own = { dossierCode, procedureCode, receivingUnitCode, receivedAt, receivedBy, rules };
    this.machine = new DossierMachine(own, fixedCalendar(), {
      extended: input.extended,
      supplementRequests: input.supplementRequests,
      patches: input.patches ?? NO_PATCHES,
      legacyClock: !input.lawClock,
    });
    this.started = this.report(this.machine.start(), new Date(input.handedOverAt));
  }

  /** The child workflow of the segment the dossier's machine just handed over. */
  static take(dossier: DossierMachine): SegmentChild {
    const input = dossier.takeHandOver();
    if (!input) {
      throw new Error('no segment was handed over');
    }
    return new SegmentChild(dossier, input);
  }

  /** An officer's action on the segment; returns what the dossier's machine recorded of it. */
  act(who: Officer, request: DossierAction, local: string): TransitionEvent[] {
    const command = { actor: actors[who], request };
    return this.report(this.machine.apply(command, at(local)), at(local), command);
  }

  /** The segment's timers due by `local`; returns what the dossier's machine recorded of them. */
  fire(local: string): TransitionEvent[] {
    return this.report(this.machine.fire(at(local)), at(local));
  }

  private report(events: TransitionEvent[], now: Date, command?: SegmentReport['command']): TransitionEvent[] {
    if (events.length === 0) {
      return [];
    }
    this.sent += 1;
    const report: SegmentReport = {
      segment: this.input.segment.code,
      no: this.sent,
      command,
      at: now.toISOString(),
      events,
      snapshot: JSON.parse(JSON.stringify(this.machine.snapshot(this.sent))) as SegmentReport['snapshot'],
    };
    return this.dossier.mirror(report);
  }
}

/** The commune's segment of example B walked to its end at `local`: the dossier goes on to the police. */
export function throughCommune(
  dossier: DossierMachine,
  local = RECEIVED,
  commune = SegmentChild.take(dossier),
): TransitionEvent[] {
  commune.act('commune-clerk', { action: 'complete' }, local);
  commune.act('commune-officer', { action: 'claim' }, local);
  commune.act('commune-officer', { action: 'complete' }, local);
  commune.act('commune-chair', { action: 'claim' }, local);
  return commune.act('commune-chair', { action: 'complete' }, local);
}

/** Example B past the commune at `local`: the police's child workflow has the dossier. */
export function toPolice(dossier: DossierMachine, local = RECEIVED): SegmentChild {
  throughCommune(dossier, local);
  return SegmentChild.take(dossier);
}

/** Example B whose police share is served by the partner system `police-system`, handed to it at `local`. */
export function toPartner(local = RECEIVED): DossierMachine {
  const dossier = exampleB([{ id: 'police-system', agencies: [POLICE] }]);
  throughCommune(dossier, local);
  return dossier;
}

/** One well-formed request of every action (the mapped type fails to compile when an action is missing). */
const ONE_OF_EACH: { [A in DossierAction['action']]: Request<A> } = {
  claim: { action: 'claim' },
  assign: { action: 'assign', assignee: actors['police-officer'] },
  complete: { action: 'complete' },
  return: { action: 'return', toStep: 'C1', reason: 'Thiếu giấy tờ' },
  'request-supplement': { action: 'request-supplement', items: ['Bản sao giấy tờ'], reason: 'Bản chụp' },
  'submit-supplement': { action: 'submit-supplement' },
  refuse: { action: 'refuse', reasons: ['Không đủ điều kiện'] },
  'request-extension': { action: 'request-extension', extraWorkingDays: 2, reason: 'Cần xác minh' },
  withdraw: { action: 'withdraw', reason: 'Công dân rút hồ sơ' },
  'request-payment': { action: 'request-payment', amount: 100_000, reason: 'Lệ phí' },
  'record-payment': { action: 'record-payment', amount: 100_000, method: 'CASH' },
  'return-result': { action: 'return-result', deliveryMethod: 'IN_PERSON' },
};
export const EVERY_ACTION: DossierAction[] = Object.values(ONE_OF_EACH);

/** A partner system's answer about the segment handed to it (the open hand-off by default). */
export function callback(
  dossier: DossierMachine,
  kind: HandoffCallback['kind'],
  extra: Partial<HandoffCallback> = {},
): HandoffCallback {
  const segment = dossier.activeSegment;
  return {
    handoffId: segment?.handoffId ?? 'none',
    partner: segment?.partner ?? 'police-system',
    callbackId: `${kind}-1`,
    kind,
    reportedAt: iso(RECEIVED),
    ...extra,
  };
}
