import { DEFAULT_SIGNING } from '../../libs/domain/src';
import { NO_PATCHES } from '../dossier/patches';
import { type DossierMachine } from '../dossier.machine';
import { type Actor } from '../dossier.types';
import {
  act,
  actors,
  ASKED,
  at,
  awaitingSupplement,
  CENTRE,
  exampleA,
  iso,
  RECEIVED,
  refusal,
  type Request,
  SUPPLEMENT,
  toReturnDesk,
  toSpecialist,
  types,
  withClockPolicy,
} from '../dossier-machine.test-support';

/** A week after receipt: S05 (the specialist's) is well within its time. */
const LATER = ASKED;
const atSpecialist = (): DossierMachine => toSpecialist(exampleA());
const PAYMENT = { action: 'request-payment', amount: 500_000, reason: 'Phí thẩm định' } as const;
const awaitingPayment = (): DossierMachine => {
  const machine = atSpecialist();
  act(machine, 'specialist', PAYMENT, LATER);
  return machine;
};

describe('request-supplement', () => {
  it('asks the applicant for documents: the dossier waits (status 5) and the desk’s head is told', () => {
    const machine = atSpecialist();
    const [requested] = act(machine, 'specialist', SUPPLEMENT, LATER);
    expect(requested).toMatchObject({
      type: 'SUPPLEMENT_REQUESTED',
      nationalStatus: 5,
      payload: {
        items: SUPPLEMENT.items,
        policy: 'PAUSE',
        windowEndsAt: iso('2030-06-03T09:40'),
        dueBefore: iso('2030-06-17T09:40'),
        request: 1,
      },
      notifications: [{ kind: 'SUPPLEMENT_REQUESTED', audience: [{ kind: 'UNIT_HEAD', unit: CENTRE }] }],
    });
    expect(machine.state).toBe('AWAITING_SUPPLEMENT');
    expect(machine.deadline.supplementRequests).toBe(1);
  });

  it('refuses a second request with LIMIT_REACHED when the procedure allows one', () => {
    const machine = awaitingSupplement();
    act(machine, 'clerk', { action: 'submit-supplement' }, '2030-05-20T09:40');
    expect(refusal(machine, 'specialist', SUPPLEMENT, '2030-05-21T09:40')).toEqual({
      type: 'LIMIT_REACHED',
      message: 'This procedure allows 1 supplement request; 1 already made.',
    });
  });

  it('allows a second request when the procedure allows two', () => {
    const machine = toSpecialist(withClockPolicy({ maxSupplementRequests: 2 }));
    awaitingSupplement(machine);
    act(machine, 'clerk', { action: 'submit-supplement' }, '2030-05-20T09:40');
    const [again] = act(machine, 'specialist', SUPPLEMENT, '2030-05-21T09:40');
    expect(again.payload.request).toBe(2);
  });

  it('refuses an empty list of items with INVALID_REQUEST', () => {
    expect(refusal(atSpecialist(), 'specialist', { ...SUPPLEMENT, items: [] }, LATER).type).toBe('INVALID_REQUEST');
  });

  it('refuses a blank item with INVALID_REQUEST', () => {
    expect(refusal(atSpecialist(), 'specialist', { ...SUPPLEMENT, items: ['Giấy tờ', ' '] }, LATER)).toMatchObject({
      type: 'INVALID_REQUEST',
      message: 'items must list every document or correction needed.',
    });
  });

  it('refuses an empty reason with INVALID_REQUEST', () => {
    expect(refusal(atSpecialist(), 'specialist', { ...SUPPLEMENT, reason: '' }, LATER).type).toBe('INVALID_REQUEST');
  });

  it('refuses an officer who does not hold the step with NOT_HOLDER', () => {
    expect(refusal(atSpecialist(), 'division-head', SUPPLEMENT, LATER).type).toBe('NOT_HOLDER');
  });

  it('refuses while the dossier already waits for the applicant with INVALID_STATE', () => {
    expect(refusal(awaitingSupplement(), 'specialist', SUPPLEMENT, LATER).type).toBe('INVALID_STATE');
  });
});

describe('submit-supplement', () => {
  it('takes the applicant’s documents at the desk: processing resumes and the holder is told', () => {
    const machine = awaitingSupplement();
    const [submitted] = act(machine, 'clerk', { action: 'submit-supplement', note: 'Đã nhận đủ' }, '2030-05-20T09:40');
    expect(submitted).toMatchObject({
      type: 'SUPPLEMENT_SUBMITTED',
      nationalStatus: 4,
      actorId: actors.clerk.officerId,
      payload: { note: 'Đã nhận đủ', policy: 'PAUSE', dueBefore: null, dueAfter: iso('2030-06-24T09:40') },
      notifications: [{ kind: 'SUPPLEMENT_SUBMITTED', audience: [{ kind: 'OFFICER', officerId: 'id-specialist' }] }],
    });
    expect(machine.state).toBe('IN_PROGRESS');
  });

  it('takes them from a connected system', () => {
    expect(types(act(awaitingSupplement(), 'agency-system', { action: 'submit-supplement' }, LATER))).toEqual([
      'SUPPLEMENT_SUBMITTED',
    ]);
  });

  it('refuses an officer who is not the receiving desk with ROLE_NOT_ALLOWED', () => {
    expect(refusal(awaitingSupplement(), 'specialist', { action: 'submit-supplement' }, LATER)).toMatchObject({
      type: 'ROLE_NOT_ALLOWED',
      message: expect.stringContaining(`Only the receiving desk (${CENTRE}) or a connected system`),
    });
  });

  it('refuses the desk clerk of another unit with ROLE_NOT_ALLOWED', () => {
    expect(refusal(awaitingSupplement(), 'commune-clerk', { action: 'submit-supplement' }, LATER).type).toBe(
      'ROLE_NOT_ALLOWED',
    );
  });

  it('refuses when nothing was asked for with INVALID_STATE', () => {
    expect(refusal(atSpecialist(), 'clerk', { action: 'submit-supplement' }, LATER).type).toBe('INVALID_STATE');
  });
});

describe('refuse', () => {
  const REFUSE: Request<'refuse'> = { action: 'refuse', reasons: ['Địa điểm không hợp pháp', 'Thiếu văn bản đồng ý'] };
  /** S01–S02 done: the department's leader holds S03 (example A's refusals are its leaders'). */
  const atLeader = (): DossierMachine => {
    const machine = exampleA();
    act(machine, 'clerk', { action: 'complete' }, RECEIVED);
    act(machine, 'head', { action: 'claim' }, RECEIVED);
    act(machine, 'head', { action: 'complete' }, RECEIVED);
    act(machine, 'dept-leader', { action: 'claim' }, RECEIVED);
    return machine;
  };

  it('ends processing with the leader’s refusal, which goes back through the desk', () => {
    const machine = atLeader();
    const [refused] = act(machine, 'dept-leader', REFUSE, LATER);
    expect(refused).toMatchObject({
      type: 'REFUSED',
      nationalStatus: 9,
      payload: { reasons: REFUSE.reasons, step: 'S03', outcome: 'REFUSED', timeliness: 'EARLY' },
    });
    expect(machine.steps[2]).toMatchObject({
      exit: 'REFUSED',
      note: 'Địa điểm không hợp pháp; Thiếu văn bản đồng ý',
    });
    expect(machine).toMatchObject({ state: 'READY_FOR_RETURN', outcome: 'REFUSED' });
    expect(machine.current?.code).toBe('S10');
  });

  it('refuses a specialist’s refusal with ROLE_NOT_ALLOWED: the competent leader decides, not the specialist alone', () => {
    const refused = refusal(atSpecialist(), 'specialist', REFUSE, LATER);
    expect(refused.type).toBe('ROLE_NOT_ALLOWED');
    expect(refused.message).toMatch(
      /^A refusal on the merits is decided by the competent leader \(AGENCY_LEADER\); step S05 ".*" is a SPECIALIST's: complete it with the draft refusal for the leader to decide\.$/,
    );
  });

  it('refuses a desk clerk’s refusal with ROLE_NOT_ALLOWED', () => {
    expect(refusal(exampleA(), 'clerk', REFUSE, RECEIVED).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('takes the leaders the procedure names (DEFAULT_SIGNING: agency leaders and unit heads)', () => {
    const machine = exampleA({ rules: { signing: DEFAULT_SIGNING } });
    act(machine, 'clerk', { action: 'complete' }, RECEIVED);
    act(machine, 'head', { action: 'claim' }, RECEIVED);
    expect(types(act(machine, 'head', REFUSE, LATER))).toEqual(['REFUSED']);
  });

  it('keeps the rule a dossier started with before the change: the holder refuses', () => {
    const machine = toSpecialist(exampleA({ patches: NO_PATCHES }));
    expect(types(act(machine, 'specialist', REFUSE, LATER))).toEqual(['REFUSED']);
  });

  it('refuses without reasons with INVALID_REQUEST', () => {
    expect(refusal(atLeader(), 'dept-leader', { action: 'refuse', reasons: [] }, LATER)).toEqual({
      type: 'INVALID_REQUEST',
      message: 'reasons must state why the dossier is refused (form 03).',
    });
  });

  it('refuses a blank reason with INVALID_REQUEST', () => {
    expect(refusal(atLeader(), 'dept-leader', { action: 'refuse', reasons: ['x', ''] }, LATER).type).toBe(
      'INVALID_REQUEST',
    );
  });

  it('refuses an officer who does not hold the step with NOT_HOLDER', () => {
    expect(refusal(atSpecialist(), 'division-head', REFUSE, LATER)).toMatchObject({
      type: 'NOT_HOLDER',
      message: expect.stringContaining('held by Lê Minh Châu'),
    });
  });

  it('refuses while the dossier waits for a payment with INVALID_STATE', () => {
    expect(refusal(awaitingPayment(), 'specialist', REFUSE, LATER).type).toBe('INVALID_STATE');
  });
});

describe('request-extension', () => {
  const EXTEND = { action: 'request-extension', extraWorkingDays: 5, reason: 'Cần xác minh thực địa' } as const;

  it('sets a new return time once, signed by the head of the agency handling it, telling the desk to send form 04', () => {
    const machine = atSpecialist();
    const [extended] = act(machine, 'dept-leader', EXTEND, '2030-06-03T10:00');
    expect(extended).toMatchObject({
      type: 'EXTENSION_GRANTED',
      payload: {
        originalDueAt: iso('2030-06-17T09:40'),
        newDueAt: iso('2030-06-24T09:40'),
        extraWorkingDays: 5,
        signedBy: actors['dept-leader'].officerId,
        signedByName: 'Hoàng Văn Khải',
      },
      notifications: [{ kind: 'EXTENSION_GRANTED', audience: [{ kind: 'UNIT_HEAD', unit: CENTRE }] }],
    });
  });

  it('refuses form 04 signed by the head of the step’s division with ROLE_NOT_ALLOWED: the agency’s head signs it', () => {
    expect(refusal(atSpecialist(), 'division-head', EXTEND, LATER)).toEqual({
      type: 'ROLE_NOT_ALLOWED',
      message:
        'Form 04 (apology and new return time) is signed by the head of 000.00.12.H36, the agency handling the ' +
        'dossier, or its delegated deputy (AGENCY_LEADER of 000.00.12.H36); division-head is not.',
    });
  });

  it('refuses form 04 signed by the head of a unit above the handling agency with ROLE_NOT_ALLOWED', () => {
    expect(refusal(atSpecialist(), 'ppc-leader', EXTEND, LATER).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('lets the agency’s delegated deputy sign (a leader of the agency who does not head it)', () => {
    const deputy: Actor = {
      ...actors['dept-leader'],
      officerId: 'id-deputy',
      username: 'deputy',
      fullName: 'Phó Giám đốc',
      headOfUnits: [],
    };
    const machine = atSpecialist();
    machine.apply({ actor: deputy, request: EXTEND }, at(LATER));
    expect(machine.deadline.extended).toBe(true);
  });

  it('keeps the rule a dossier started with before the change: any head above the step signs', () => {
    const machine = toSpecialist(exampleA({ patches: NO_PATCHES }));
    expect(types(act(machine, 'division-head', EXTEND, LATER))).toEqual(['EXTENSION_GRANTED']);
  });

  it('refuses a second extension with LIMIT_REACHED', () => {
    const machine = atSpecialist();
    act(machine, 'dept-leader', EXTEND, LATER);
    expect(refusal(machine, 'dept-leader', { ...EXTEND, extraWorkingDays: 2 }, LATER)).toEqual({
      type: 'LIMIT_REACHED',
      message: 'A new return time may be set only once (form 04); this dossier has already been extended.',
    });
  });

  it('refuses an officer who does not lead the agency with ROLE_NOT_ALLOWED, even the step’s holder', () => {
    expect(refusal(atSpecialist(), 'specialist', EXTEND, LATER).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('accepts an extension asked exactly 1 WD before the due time', () => {
    expect(types(act(atSpecialist(), 'dept-leader', EXTEND, '2030-06-14T09:40'))).toEqual(['EXTENSION_GRANTED']);
  });

  it('refuses an extension asked later than 1 WD before the due time with TOO_LATE', () => {
    expect(refusal(atSpecialist(), 'dept-leader', EXTEND, '2030-06-14T09:41')).toEqual({
      type: 'TOO_LATE',
      message:
        'An extension must be asked for at least 1 working day before the due time 09:40 17/06/2030, i.e. by 09:40 14/06/2030.',
    });
  });

  it('refuses with TOO_LATE when the dossier never had a full working day (an execution from before issue 15)', () => {
    const machine = exampleA({ rules: { processingTime: { amount: 1, unit: 'WD' } }, legacyClock: true });
    expect(refusal(toSpecialist(machine), 'dept-leader', EXTEND, '2030-05-06T09:40')).toMatchObject({
      type: 'TOO_LATE',
      message: expect.stringContaining('never had a full working day left'),
    });
  });

  it('accepts quarter days (2.5 WD)', () => {
    expect(types(act(atSpecialist(), 'dept-leader', { ...EXTEND, extraWorkingDays: 2.5 }, LATER))).toEqual([
      'EXTENSION_GRANTED',
    ]);
  });

  it.each([0, -1, 0.3])('refuses %p extra working days with INVALID_REQUEST', (extraWorkingDays) => {
    expect(refusal(atSpecialist(), 'dept-leader', { ...EXTEND, extraWorkingDays }, LATER)).toEqual({
      type: 'INVALID_REQUEST',
      message: 'extraWorkingDays must be positive, in quarter days (e.g. 5 or 2.5).',
    });
  });

  it('refuses an empty reason with INVALID_REQUEST', () => {
    expect(refusal(atSpecialist(), 'dept-leader', { ...EXTEND, reason: ' ' }, LATER).type).toBe('INVALID_REQUEST');
  });

  it('refuses while the dossier waits for the applicant with INVALID_STATE', () => {
    expect(refusal(awaitingSupplement(), 'dept-leader', EXTEND, LATER).type).toBe('INVALID_STATE');
  });
});

describe('withdraw', () => {
  const WITHDRAW = { action: 'withdraw', reason: 'Công dân đề nghị rút hồ sơ' } as const;

  it('ends the dossier at the applicant’s request, recorded at the desk (status 7)', () => {
    const machine = atSpecialist();
    const [withdrawn] = act(machine, 'clerk', WITHDRAW, LATER);
    expect(withdrawn).toMatchObject({ type: 'WITHDRAWN', nationalStatus: 7, payload: { reason: WITHDRAW.reason } });
    expect(machine).toMatchObject({ state: 'WITHDRAWN', outcome: 'WITHDRAWN', finishedAt: iso(LATER), terminal: true });
    expect(machine.steps[4]).toMatchObject({ exit: 'WITHDRAWN', note: WITHDRAW.reason, completedAt: iso(LATER) });
    expect(machine.nextWakeAt()).toBeNull();
  });

  it('ends a dossier waiting for the applicant, closing the pause and the window', () => {
    const machine = awaitingSupplement();
    act(machine, 'clerk', WITHDRAW, '2030-05-15T09:40');
    expect(machine.deadline).toMatchObject({ pausedSince: null, pauseReason: null });
    expect(machine.deadline.clock.pauses).toEqual([
      { from: iso(LATER), to: iso('2030-05-15T09:40'), reason: 'SUPPLEMENT' },
    ]);
    expect(machine.supplement).toBeNull();
    expect(machine.nextWakeAt()).toBeNull();
  });

  it('ends a dossier waiting for a payment', () => {
    expect(types(act(awaitingPayment(), 'clerk', WITHDRAW, LATER))).toEqual(['WITHDRAWN']);
  });

  it('is recorded by a connected system too', () => {
    expect(types(act(atSpecialist(), 'agency-system', WITHDRAW, LATER))).toEqual(['WITHDRAWN']);
  });

  it('refuses an officer who is not the receiving desk with ROLE_NOT_ALLOWED', () => {
    expect(refusal(atSpecialist(), 'specialist', WITHDRAW, LATER).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('refuses an empty reason with INVALID_REQUEST', () => {
    expect(refusal(atSpecialist(), 'clerk', { ...WITHDRAW, reason: '' }, LATER).type).toBe('INVALID_REQUEST');
  });

  it('refuses once the decision is made with INVALID_STATE', () => {
    const machine = atSpecialist();
    toReturnDesk(machine, LATER);
    expect(refusal(machine, 'clerk', WITHDRAW, LATER).type).toBe('INVALID_STATE');
  });
});

describe('request-payment', () => {
  it('asks the applicant to pay: the dossier waits (status 6) with its clock paused', () => {
    const machine = atSpecialist();
    const [requested] = act(machine, 'specialist', PAYMENT, LATER);
    expect(requested).toMatchObject({
      type: 'PAYMENT_REQUESTED',
      nationalStatus: 6,
      payload: { amount: 500_000, reason: 'Phí thẩm định' },
    });
    expect(machine.state).toBe('AWAITING_PAYMENT');
    expect(machine.deadline).toMatchObject({ dueAt: null, pausedSince: iso(LATER), pauseReason: 'PAYMENT' });
  });

  it('refuses an amount of 0 with INVALID_REQUEST', () => {
    expect(refusal(atSpecialist(), 'specialist', { ...PAYMENT, amount: 0 }, LATER)).toEqual({
      type: 'INVALID_REQUEST',
      message: 'amount must be the sum to pay in đồng, above 0.',
    });
  });

  it('refuses an empty reason with INVALID_REQUEST', () => {
    expect(refusal(atSpecialist(), 'specialist', { ...PAYMENT, reason: '' }, LATER).type).toBe('INVALID_REQUEST');
  });

  it('refuses an officer who does not hold the step with NOT_HOLDER', () => {
    expect(refusal(atSpecialist(), 'clerk', PAYMENT, LATER).type).toBe('NOT_HOLDER');
  });

  it('refuses while the dossier already waits for a payment with INVALID_STATE', () => {
    expect(refusal(awaitingPayment(), 'specialist', PAYMENT, LATER).type).toBe('INVALID_STATE');
  });
});

describe('record-payment', () => {
  const PAID = { action: 'record-payment', amount: 500_000, method: 'CASH', reference: 'BL-01' } as const;

  it('resumes a dossier waiting for the payment (status 4 again)', () => {
    const machine = awaitingPayment();
    const [recorded] = act(machine, 'clerk', PAID, '2030-05-15T09:40');
    expect(recorded).toMatchObject({
      type: 'PAYMENT_RECORDED',
      nationalStatus: 4,
      payload: { amount: 500_000, method: 'CASH', reference: 'BL-01' },
    });
    expect(machine).toMatchObject({ state: 'IN_PROGRESS', paid: true });
  });

  it('records a payment made before it was asked for, leaving the dossier where it is', () => {
    const machine = atSpecialist();
    const [recorded] = act(machine, 'agency-system', { ...PAID, reference: undefined }, LATER);
    expect(recorded).toMatchObject({ nationalStatus: 4, payload: { reference: null } });
    expect(machine).toMatchObject({ state: 'IN_PROGRESS', paid: true });
    expect(machine.deadline.ledger.map((e) => e.kind)).toEqual(['ANCHOR']);
  });

  it('records a payment once processing is finished', () => {
    const machine = atSpecialist();
    toReturnDesk(machine, LATER);
    expect(types(act(machine, 'clerk', PAID, LATER))).toEqual(['PAYMENT_RECORDED']);
    expect(machine.state).toBe('READY_FOR_RETURN');
  });

  it('refuses a closed dossier with INVALID_STATE', () => {
    const machine = atSpecialist();
    act(machine, 'clerk', { action: 'withdraw', reason: 'Rút' }, LATER);
    expect(refusal(machine, 'clerk', PAID, LATER)).toEqual({
      type: 'INVALID_STATE',
      message: 'Dossier 000.00.20.H36-300506-0001 is closed (WITHDRAWN).',
    });
  });

  it('refuses an officer who is not the receiving desk with ROLE_NOT_ALLOWED', () => {
    expect(refusal(awaitingPayment(), 'specialist', PAID, LATER).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('lets the payment gateway record an online payment: the dossier resumes, the event names the gateway', () => {
    const machine = awaitingPayment();
    const online = { ...PAID, method: 'ONLINE', reference: 'TXN-1' } as const;
    const [recorded] = act(machine, 'payment-gateway', online, '2030-05-15T09:40');
    expect(recorded).toMatchObject({ type: 'PAYMENT_RECORDED', actorId: 'id-payment-gateway', nationalStatus: 4 });
    expect(machine).toMatchObject({ state: 'IN_PROGRESS', paid: true });
  });

  it('refuses the payment gateway with ROLE_NOT_ALLOWED for a dossier started before the payment-gateway patch', () => {
    const machine = toSpecialist(exampleA({ patches: NO_PATCHES }));
    act(machine, 'specialist', PAYMENT, LATER);
    expect(refusal(machine, 'payment-gateway', { ...PAID, method: 'ONLINE' }, LATER).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('refuses an amount of 0 with INVALID_REQUEST', () => {
    expect(refusal(awaitingPayment(), 'clerk', { ...PAID, amount: 0 }, LATER)).toEqual({
      type: 'INVALID_REQUEST',
      message: 'amount must be the sum paid in đồng, above 0.',
    });
  });
});
