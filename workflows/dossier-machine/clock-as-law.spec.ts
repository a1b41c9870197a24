/**
 * Issue 15, "the rules as the law has them": the clock's items, each pinned by tests named after it, with an
 * execution from before the rules (`legacyClock`, replayed histories) keeping the time it kept.
 */
import { type DossierMachine } from '../dossier.machine';
import { type DossierRules } from '../dossier.types';
import {
  act,
  ASKED,
  at,
  awaitingSupplement,
  exampleA,
  iso,
  refusal,
  SUPPLEMENT,
  toReturnDesk,
  toSpecialist,
  types,
  withClockPolicy,
} from '../dossier-machine.test-support';

const EXTEND = { action: 'request-extension', extraWorkingDays: 5, reason: 'Cần xác minh' } as const;

describe('7. due at the close of a day', () => {
  // Received on Monday 6 May 2030 after hours: counting starts on Tuesday 7 May at 07:00; 30 WD fill Monday 17 June.
  const afterHours = (legacyClock = false): DossierMachine => exampleA({ receivedAt: '2030-05-06T18:00', legacyClock });

  it('promises 17:00 of the last day when counting starts at 07:00, not 07:00 of the next working day', () => {
    const { deadline } = afterHours();
    expect(deadline).toMatchObject({
      anchorAt: iso('2030-05-07T07:00'),
      promisedAt: iso('2030-06-17T17:00'),
      dueAt: iso('2030-06-17T17:00'),
      warningAt: iso('2030-06-14T17:00'),
    });
    expect(deadline.ledger[0].explanation).toContain('gives 17:00 17/06/2030');
  });

  it('judges work finished on the last day on time, not early', () => {
    const machine = toSpecialist(afterHours(), '2030-05-07T09:00');
    toReturnDesk(machine, '2030-06-17T16:00');
    expect(machine.timeliness).toBe('ON_TIME');
  });

  it('fires the dossier’s breach at the close of the last day', () => {
    const machine = toSpecialist(afterHours(), '2030-05-07T09:00');
    expect(types(machine.fire(at('2030-06-17T17:00')))).toContain('DOSSIER_BREACHED');
  });

  it('keeps 07:00 of the next working day for an execution from before the rule', () => {
    const machine = toSpecialist(afterHours(true), '2030-05-07T09:00');
    expect(machine.deadline.promisedAt).toBe(iso('2030-06-18T07:00'));
    toReturnDesk(machine, '2030-06-17T16:00');
    expect(machine.timeliness).toBe('EARLY');
  });
});

describe('11. calendar days', () => {
  const inCalendarDays = (processingTime: DossierRules['processingTime'], legacyClock = false) =>
    toSpecialist(exampleA({ rules: { processingTime }, legacyClock }));

  it('gives the applicant 15 calendar days, not 45 working days, when the window is in calendar days', () => {
    const machine = toSpecialist(withClockPolicy({ applicantWindow: { amount: 15, unit: 'CD' } }));
    act(machine, 'specialist', SUPPLEMENT, ASKED);
    expect(machine.supplement?.windowEndsAt).toBe(iso('2030-05-28T09:40'));
    expect(machine.nextWakeAt()).toEqual(at('2030-05-28T09:40'));
  });

  it('ends a calendar-day window falling on a day off at the close of the next working day', () => {
    const machine = toSpecialist(withClockPolicy({ applicantWindow: { amount: 12, unit: 'CD' } }));
    act(machine, 'specialist', SUPPLEMENT, ASKED);
    // 13 May + 12 days is Saturday 25 May: the window ends with Monday 27 May.
    expect(machine.supplement?.windowEndsAt).toBe(iso('2030-05-27T17:00'));
  });

  it('still adds a window in working days as working time', () => {
    expect(awaitingSupplement().supplement?.windowEndsAt).toBe(iso('2030-06-03T09:40'));
  });

  it('puts the warning point of a procedure in calendar days one calendar day before its due time', () => {
    const { deadline } = inCalendarDays({ amount: 30, unit: 'CD' });
    expect(deadline).toMatchObject({ dueAt: iso('2030-06-05T09:40'), warningAt: iso('2030-06-04T09:40') });
  });

  it('puts it at the close of the working day before when the day before the due time is a day off', () => {
    // 27 days after Monday 6 May is Sunday 2 June: due at the close of Monday 3 June, warned by Friday 31 May.
    const { deadline } = inCalendarDays({ amount: 27, unit: 'CD' });
    expect(deadline).toMatchObject({ dueAt: iso('2030-06-03T17:00'), warningAt: iso('2030-05-31T17:00') });
  });

  it('lets the head extend a procedure in calendar days before its warning point, by working days', () => {
    const machine = inCalendarDays({ amount: 30, unit: 'CD' });
    expect(types(act(machine, 'dept-leader', EXTEND, '2030-06-03T10:00'))).toEqual(['EXTENSION_GRANTED']);
    // Five working days after Wednesday 5 June 09:40 is Wednesday 12 June 09:40: seven calendar days more.
    expect(machine.deadline).toMatchObject({ dueAt: iso('2030-06-12T09:40'), warningAt: iso('2030-06-11T09:40') });
  });

  it('refuses it after the warning point with TOO_LATE', () => {
    expect(refusal(inCalendarDays({ amount: 30, unit: 'CD' }), 'dept-leader', EXTEND, '2030-06-04T10:00').type).toBe(
      'TOO_LATE',
    );
  });

  it('gives a procedure of 1 WD a warning point at its midpoint, so an extension can be asked before it', () => {
    const machine = inCalendarDays({ amount: 1, unit: 'WD' });
    expect(machine.deadline).toMatchObject({ dueAt: iso('2030-05-07T09:40'), warningAt: iso('2030-05-06T15:40') });
    expect(types(act(machine, 'dept-leader', EXTEND, '2030-05-06T10:00'))).toEqual(['EXTENSION_GRANTED']);
  });

  it('gives one in working hours a warning point too', () => {
    const { deadline } = inCalendarDays({ amount: 2, unit: 'WH' });
    expect(deadline).toMatchObject({ dueAt: iso('2030-05-06T13:40'), warningAt: iso('2030-05-06T10:40') });
  });

  it('keeps no warning point for them in an execution from before the rule', () => {
    expect(inCalendarDays({ amount: 30, unit: 'CD' }, true).deadline.warningAt).toBeNull();
    expect(inCalendarDays({ amount: 1, unit: 'WD' }, true).deadline.warningAt).toBeNull();
  });
});

describe('6. same-day transfer rule', () => {
  const transfer = (
    receivedAt: string,
    medium: 'ELECTRONIC' | 'PAPER' = 'ELECTRONIC',
    legacyClock = false,
  ): DossierMachine => exampleA({ receivedAt, rules: { transfer: { medium, nextDayFrom: '15:00' } }, legacyClock });

  it('gives the desk until the close of the day to transfer an electronic dossier received before 15:00', () => {
    const machine = transfer('2030-05-06T09:40');
    expect(machine.current).toMatchObject({ code: 'S01', dueAt: iso('2030-05-06T17:00') });
    // Transferred at 16:30 the same day: on time by law (on the 0.5 WD budget it was late from 13:40).
    act(machine, 'clerk', { action: 'complete' }, '2030-05-06T16:30');
    expect(machine.steps[0]).toMatchObject({ result: 'ON_TIME', dueAt: iso('2030-05-06T17:00') });
  });

  it('gives it the next working day when the dossier is received at or after 15:00', () => {
    const machine = transfer('2030-05-10T15:30');
    expect(machine.current?.dueAt).toBe(iso('2030-05-13T17:00'));
    act(machine, 'clerk', { action: 'complete' }, '2030-05-13T14:00');
    expect(machine.steps[0].result).toBe('ON_TIME');
  });

  it('judges a transfer after that day late, however much of a budget would be left', () => {
    const machine = transfer('2030-05-06T09:40');
    act(machine, 'clerk', { action: 'complete' }, '2030-05-07T08:00');
    expect(machine.steps[0].result).toBe('LATE');
  });

  it('gives a paper dossier one working day', () => {
    expect(transfer('2030-05-06T09:40', 'PAPER').current?.dueAt).toBe(iso('2030-05-07T09:40'));
  });

  it('runs the step’s ladder on the transfer clock', () => {
    const machine = transfer('2030-05-06T09:40');
    // 5 h 20 min of office time until 17:00: half of it (2 h 40) is used at 14:20, after the lunch break.
    expect(machine.nextWakeAt()).toEqual(at('2030-05-06T14:20'));
  });

  it('keeps the step’s budget in an execution from before the rule', () => {
    expect(transfer('2030-05-06T09:40', 'ELECTRONIC', true).current?.dueAt).toBe(iso('2030-05-06T15:40'));
  });

  it('keeps the budget of a later step, and of a desk step with no rule in the snapshot', () => {
    expect(exampleA({ rules: { transfer: undefined } }).current?.dueAt).toBe(iso('2030-05-06T15:40'));
    const machine = transfer('2030-05-06T09:40');
    act(machine, 'clerk', { action: 'complete' }, '2030-05-06T10:00');
    expect(machine.current).toMatchObject({ code: 'S02', dueAt: iso('2030-05-06T16:00') });
  });
});

describe('8. RESTART', () => {
  /** Example A under RESTART: asked on 13 May, the documents brought a week (5 WD) later, on 20 May. */
  const restarted = (legacyClock = false): DossierMachine => {
    const machine = toSpecialist(
      exampleA({
        rules: {
          clockPolicy: {
            supplement: 'RESTART',
            maxSupplementRequests: 1,
            applicantWindow: { amount: 15, unit: 'WD' },
          },
        },
        legacyClock,
      }),
    );
    act(machine, 'specialist', SUPPLEMENT, ASKED);
    act(machine, 'clerk', { action: 'submit-supplement' }, '2030-05-20T09:40');
    return machine;
  };

  it('makes the restarted due time the new appointment the receipt promises', () => {
    const machine = restarted();
    expect(machine.deadline).toMatchObject({ dueAt: iso('2030-07-01T09:40'), promisedAt: iso('2030-07-01T09:40') });
  });

  it('tells the stores the new appointment with the submission', () => {
    const machine = toSpecialist(withClockPolicy({ supplement: 'RESTART' }));
    act(machine, 'specialist', SUPPLEMENT, ASKED);
    const [submitted] = act(machine, 'clerk', { action: 'submit-supplement' }, '2030-05-20T09:40');
    expect(submitted.payload).toMatchObject({
      policy: 'RESTART',
      dueAfter: iso('2030-07-01T09:40'),
      promisedAt: iso('2030-07-01T09:40'),
      indexDueAt: iso('2030-06-24T09:40'),
    });
  });

  it('keeps Decision 766 judging by the first due time plus the wait (5 WD), not the new appointment', () => {
    const machine = restarted();
    expect(machine.deadline.indexDueAt).toBe(iso('2030-06-24T09:40'));
    toReturnDesk(machine, '2030-06-27T10:00');
    expect(machine.timeliness).toBe('EARLY');
    expect(machine.deadline.indexTimeliness).toBe('LATE');
  });

  it('moves the 766 due time by later waits too (a payment)', () => {
    const machine = restarted();
    act(
      machine,
      'specialist',
      { action: 'request-payment', amount: 500_000, reason: 'Phí thẩm định' },
      '2030-05-21T09:40',
    );
    expect(machine.deadline.indexDueAt).toBeNull();
    act(machine, 'clerk', { action: 'record-payment', amount: 500_000, method: 'ONLINE' }, '2030-05-23T09:40');
    expect(machine.deadline).toMatchObject({ dueAt: iso('2030-07-03T09:40'), indexDueAt: iso('2030-06-26T09:40') });
  });

  it('judges a dossier finished by the first appointment plus the wait on time for 766 as well', () => {
    const machine = restarted();
    toReturnDesk(machine, '2030-06-21T10:00');
    expect(machine.deadline.indexTimeliness).toBe('EARLY');
  });

  it('keeps the first appointment and no 766 clock in an execution from before the rule', () => {
    const { deadline } = restarted(true);
    expect(deadline).toMatchObject({ dueAt: iso('2030-07-01T09:40'), promisedAt: iso('2030-06-17T09:40') });
    expect(deadline.indexDueAt).toBeUndefined();
  });

  it('has no 766 clock of its own under PAUSE (the dossier’s clock already subtracts the wait)', () => {
    const machine = awaitingSupplement();
    act(machine, 'clerk', { action: 'submit-supplement' }, '2030-05-20T09:40');
    expect(machine.deadline.indexDueAt).toBeUndefined();
    expect(machine.deadline.promisedAt).toBe(iso('2030-06-17T09:40'));
  });
});
