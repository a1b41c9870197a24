import { DossierMachine } from '../dossier.machine';
import { type CalendarChangedSignal } from '../dossier.types';
import {
  act,
  actors,
  ASKED,
  at,
  awaitingSupplement,
  CENTRE,
  exampleA,
  exampleAInput,
  fixedCalendar,
  iso,
  SUPPLEMENT,
  toReturnDesk,
  toSpecialist,
  types,
} from '../dossier-machine.test-support';

/** The applicant brings them a week (5 WD) later. */
const BROUGHT = '2030-05-20T09:40';
/** Example A under RESTART (the seed's RESTART policy), the specialist holding S05. */
const restart = (): DossierMachine =>
  toSpecialist(
    exampleA({
      rules: {
        clockPolicy: { supplement: 'RESTART', maxSupplementRequests: 1, applicantWindow: { amount: 15, unit: 'WD' } },
      },
    }),
  );

describe('start', () => {
  it('takes the dossier into processing at S01, held by the clerk who received it, with no notice', () => {
    const machine = new DossierMachine(exampleAInput(), fixedCalendar());
    const [started] = machine.start();
    expect(started).toMatchObject({
      type: 'PROCESSING_STARTED',
      nationalStatus: 4,
      payload: { procedureCode: '2.000908', step: 'S01', promisedAt: iso('2030-06-17T09:40') },
      notifications: [],
    });
    expect(machine.current).toMatchObject({ no: 1, code: 'S01', holderId: actors.clerk.officerId });
    // The desk transfers the dossier (received before 15:00) by the close of the day.
    expect(machine.current?.dueAt).toBe(iso('2030-05-06T17:00'));
  });

  it('leaves S01 for the desk to claim, telling its head, when nobody is named as the receiver', () => {
    const machine = new DossierMachine(exampleAInput({ receivedBy: null }), fixedCalendar());
    const [started] = machine.start();
    expect(machine.current?.holderId).toBeNull();
    expect(started.notifications).toEqual([
      expect.objectContaining({ kind: 'STEP_ARRIVED', audience: [{ kind: 'UNIT_HEAD', unit: CENTRE }] }),
    ]);
  });

  it('promises 30 WD from receipt and explains it in the ledger', () => {
    const { deadline } = exampleA();
    expect(deadline).toMatchObject({ promisedAt: iso('2030-06-17T09:40'), warningAt: iso('2030-06-14T09:40') });
    expect(deadline.ledger[0].explanation).toBe('30 working days from 09:40 06/05/2030 gives 09:40 17/06/2030.');
  });

  it('counts a dossier received after hours from the next working morning', () => {
    const { deadline } = exampleA({ receivedAt: '2030-05-06T18:00' });
    expect(deadline.anchorAt).toBe(iso('2030-05-07T07:00'));
    expect(deadline.ledger[0].explanation).toContain('outside office hours or after the cut-off');
  });
});

describe('supplement under PAUSE', () => {
  it('stops the clock while the applicant is asked: no due time, the ledger says what was left', () => {
    const { deadline } = awaitingSupplement();
    expect(deadline).toMatchObject({
      dueAt: null,
      warningAt: null,
      pausedSince: iso(ASKED),
      pauseReason: 'SUPPLEMENT',
    });
    expect(deadline.ledger.at(-1)).toEqual({
      at: iso(ASKED),
      kind: 'PAUSE',
      dueAt: null,
      previousDueAt: iso('2030-06-17T09:40'),
      by: actors.specialist.officerId,
      explanation:
        "Paused at 09:40 13/05/2030: waiting for the applicant's documents (request 1 of 1). 25 WD were left; the wait is not counted. The applicant has until 09:40 03/06/2030.",
    });
  });

  it('moves the due times by exactly the wait (5 WD) when the documents arrive, keeping the promised time', () => {
    const machine = awaitingSupplement();
    act(machine, 'clerk', { action: 'submit-supplement' }, BROUGHT);
    expect(machine.deadline).toMatchObject({
      dueAt: iso('2030-06-24T09:40'),
      promisedAt: iso('2030-06-17T09:40'),
      pausedSince: null,
      pauseReason: null,
    });
    expect(machine.current?.dueAt).toBe(iso('2030-06-04T09:40'));
    expect(machine.deadline.ledger.at(-1)).toMatchObject({
      kind: 'RESUME',
      previousDueAt: null,
      explanation:
        'The complete dossier arrived at 09:40 20/05/2030: 5 WD of waiting not counted (policy PAUSE); due 09:40 24/06/2030.',
    });
  });
});

describe('supplement under RESTART', () => {
  it('says at the pause that the full time will start again', () => {
    const { deadline } = awaitingSupplement(restart());
    expect(deadline.ledger.at(-1)?.explanation).toContain(
      'Policy RESTART: the full time starts again when the complete dossier arrives.',
    );
  });

  it('starts the full 30 WD again from the moment the complete dossier arrives, a new appointment', () => {
    const machine = awaitingSupplement(restart());
    const [submitted] = act(machine, 'clerk', { action: 'submit-supplement' }, BROUGHT);
    expect(submitted.payload).toMatchObject({ policy: 'RESTART', dueAfter: iso('2030-07-01T09:40') });
    expect(machine.deadline).toMatchObject({
      anchorAt: iso(BROUGHT),
      dueAt: iso('2030-07-01T09:40'),
      promisedAt: iso('2030-07-01T09:40'),
      clock: { startedAt: iso(BROUGHT), pauses: [] },
    });
    expect(machine.deadline.ledger.at(-1)).toMatchObject({
      kind: 'RESTART',
      previousDueAt: null,
      legalBasis: exampleAInput().rules?.legalBasis,
      explanation:
        'The complete dossier arrived at 09:40 20/05/2030: policy RESTART, so 30 working days start again from 09:40 20/05/2030, due 09:40 01/07/2030.',
    });
  });

  it('restarts the holder’s step clock and its ladder', () => {
    const machine = restart();
    expect(types(machine.fire(at('2030-05-16T09:40')))).toEqual(['STEP_HALF_USED']);
    act(machine, 'specialist', SUPPLEMENT, '2030-05-17T09:40');
    act(machine, 'clerk', { action: 'submit-supplement' }, '2030-05-24T09:40');
    expect(machine.current).toMatchObject({
      dueAt: iso('2030-06-17T09:40'),
      clock: { startedAt: iso('2030-05-24T09:40'), pauses: [] },
      rungs: { half: false, threeQuarters: false, breach: false },
    });
    expect(machine.nextWakeAt()).toEqual(at('2030-06-05T09:40'));
  });

  it('counts from the next working morning when the documents arrive on a Saturday, due at a day’s close', () => {
    const machine = awaitingSupplement(restart());
    act(machine, 'clerk', { action: 'submit-supplement' }, '2030-05-25T10:00');
    expect(machine.deadline).toMatchObject({ anchorAt: iso('2030-05-27T07:00'), dueAt: iso('2030-07-05T17:00') });
  });
});

describe('the applicant’s window', () => {
  it('closes the dossier (status 8) when the applicant lets the 15 WD window lapse', () => {
    const machine = awaitingSupplement();
    expect(machine.nextWakeAt()).toEqual(at('2030-06-03T09:40'));
    const [closed] = machine.fire(at('2030-06-03T12:00'));
    expect(closed).toMatchObject({
      type: 'CLOSED',
      nationalStatus: 8,
      occurredAt: iso('2030-06-03T09:40'),
      notifications: [{ kind: 'DOSSIER_CLOSED', audience: [{ kind: 'UNIT_HEAD', unit: CENTRE }] }],
    });
    expect(machine).toMatchObject({
      state: 'CLOSED',
      outcome: 'CLOSED_NO_SUPPLEMENT',
      finishedAt: iso('2030-06-03T09:40'),
      supplement: null,
      terminal: true,
    });
    expect(machine.steps[4]).toMatchObject({ exit: 'CLOSED', note: 'Hết hạn bổ sung hồ sơ' });
    expect(machine.deadline.clock.pauses.at(-1)?.to).toBe(iso('2030-06-03T09:40'));
    expect(machine.nextWakeAt()).toBeNull();
  });

  it('keeps the dossier open until the window’s last minute', () => {
    expect(awaitingSupplement().fire(at('2030-06-03T09:39'))).toEqual([]);
  });
});

describe('payment', () => {
  const paymentAsked = (): DossierMachine => {
    const machine = toSpecialist(exampleA());
    act(machine, 'specialist', { action: 'request-payment', amount: 500_000, reason: 'Phí thẩm định' }, ASKED);
    return machine;
  };

  it('stops the clock while the applicant pays, saying why in the ledger', () => {
    const { deadline } = paymentAsked();
    expect(deadline.ledger.at(-1)).toMatchObject({
      kind: 'PAUSE',
      dueAt: null,
      explanation:
        'Paused at 09:40 13/05/2030: waiting for the applicant to pay 500000 đồng (Phí thẩm định); the wait is not counted.',
    });
  });

  it('moves the due times by the wait (2 WD) once paid', () => {
    const machine = paymentAsked();
    act(machine, 'clerk', { action: 'record-payment', amount: 500_000, method: 'BANK_TRANSFER' }, '2030-05-15T09:40');
    expect(machine.deadline.dueAt).toBe(iso('2030-06-19T09:40'));
    expect(machine.current?.dueAt).toBe(iso('2030-05-30T09:40'));
    expect(machine.deadline.ledger.at(-1)).toMatchObject({
      kind: 'RESUME',
      explanation: 'Paid at 09:40 15/05/2030: 2 WD of waiting not counted; due 09:40 19/06/2030.',
    });
  });
});

describe('extension', () => {
  it('adds the extra working days to the due time and the warning, keeping the promised time', () => {
    const machine = toSpecialist(exampleA());
    act(machine, 'dept-leader', { action: 'request-extension', extraWorkingDays: 5, reason: 'Cần xác minh' }, ASKED);
    expect(machine.deadline).toMatchObject({
      extended: true,
      promisedAt: iso('2030-06-17T09:40'),
      dueAt: iso('2030-06-24T09:40'),
      warningAt: iso('2030-06-21T09:40'),
    });
    expect(machine.deadline.ledger.at(-1)).toEqual({
      at: iso(ASKED),
      kind: 'EXTENSION',
      dueAt: iso('2030-06-24T09:40'),
      previousDueAt: iso('2030-06-17T09:40'),
      by: actors['dept-leader'].officerId,
      legalBasis: 'Mẫu số 04 (Thông tư 03/2025/TT-VPCP): thư xin lỗi và hẹn lại ngày trả kết quả',
      explanation:
        'Extended by 5 WD by Hoàng Văn Khải (reason: Cần xác minh): new return time 09:40 24/06/2030 instead of 09:40 17/06/2030.',
    });
  });

  it('counts quarter days in working hours: 2.5 WD after 09:40 ends at 15:40', () => {
    const machine = toSpecialist(exampleA());
    act(machine, 'dept-leader', { action: 'request-extension', extraWorkingDays: 2.5, reason: 'Cần xác minh' }, ASKED);
    expect(machine.deadline.dueAt).toBe(iso('2030-06-19T15:40'));
  });

  it('leaves the holder’s step due time alone', () => {
    const machine = toSpecialist(exampleA());
    act(machine, 'dept-leader', { action: 'request-extension', extraWorkingDays: 5, reason: 'Cần xác minh' }, ASKED);
    expect(machine.current?.dueAt).toBe(iso('2030-05-28T09:40'));
  });
});

describe('recalendar', () => {
  const change = (date: string): CalendarChangedSignal => ({
    scope: 'VN',
    year: 2030,
    changedDates: [date],
    legalBasis: 'Thông báo 99/TB-BNV',
    changedBy: 'id-admin',
  });
  const dayOff = (date: string) => fixedCalendar([{ date, name: 'Nghỉ bù (thử nghiệm)' }]);
  const EDITED = '2030-05-08T10:00';

  it('moves the due time by one working day when a day off is added inside the remaining time', () => {
    const machine = toSpecialist(exampleA());
    const [reprojected] = machine.recalendar(dayOff('2030-06-10'), change('2030-06-10'), at(EDITED));
    expect(reprojected).toMatchObject({
      type: 'DEADLINE_REPROJECTED',
      occurredAt: iso(EDITED),
      payload: {
        change: change('2030-06-10'),
        before: { due: iso('2030-06-17T09:40'), step: iso('2030-05-28T09:40'), window: null },
        after: { due: iso('2030-06-18T09:40'), step: iso('2030-05-28T09:40'), window: null },
      },
    });
    expect(machine.deadline.ledger.at(-1)).toEqual({
      at: iso(EDITED),
      kind: 'CALENDAR_CHANGE',
      dueAt: iso('2030-06-18T09:40'),
      previousDueAt: iso('2030-06-17T09:40'),
      by: 'id-admin',
      legalBasis: 'Thông báo 99/TB-BNV',
      explanation:
        'The calendar VN 2030 edited (2030-06-10), Thông báo 99/TB-BNV: due time moved from 09:40 17/06/2030 to 09:40 18/06/2030.',
    });
  });

  it('moves the step’s due time and its rung timers with the days off', () => {
    const machine = toSpecialist(exampleA());
    machine.recalendar(dayOff('2030-05-15'), change('2030-05-15'), at(EDITED));
    expect(machine.current?.dueAt).toBe(iso('2030-05-29T09:40'));
    expect(machine.nextWakeAt()).toEqual(at('2030-05-17T09:40'));
  });

  it('records nothing when the edit moves no deadline', () => {
    const machine = toSpecialist(exampleA());
    expect(machine.recalendar(dayOff('2030-08-15'), change('2030-08-15'), at(EDITED))).toEqual([]);
    expect(machine.deadline.ledger).toHaveLength(1);
  });

  it('moves the applicant’s window while paused, saying the due time is unchanged', () => {
    const machine = awaitingSupplement();
    const [reprojected] = machine.recalendar(dayOff('2030-05-20'), change('2030-05-20'), at('2030-05-14T10:00'));
    expect(reprojected.payload).toMatchObject({
      before: { due: null, step: null, window: iso('2030-06-03T09:40') },
      after: { due: null, step: null, window: iso('2030-06-04T09:40') },
    });
    expect(machine.deadline.ledger.at(-1)?.explanation).toBe(
      "The calendar VN 2030 edited (2030-05-20), Thông báo 99/TB-BNV: step and window deadlines re-projected; the dossier's due time is unchanged.",
    );
    expect(machine.nextWakeAt()).toEqual(at('2030-06-04T09:40'));
  });

  it('leaves a dossier whose processing is finished as it is', () => {
    const machine = toSpecialist(exampleA());
    toReturnDesk(machine, '2030-05-20T10:00');
    expect(machine.recalendar(dayOff('2030-06-10'), change('2030-06-10'), at('2030-05-21T10:00'))).toEqual([]);
    expect(machine.deadline.dueAt).toBe(iso('2030-06-17T09:40'));
  });
});
