import { ALL_PATCHES } from '../dossier/patches';
import { type DossierMachine } from '../dossier.machine';
import {
  act,
  at,
  CENTRE,
  DIVISION,
  exampleA,
  iso,
  RECEIVED,
  SUPPLEMENT,
  toReturnDesk,
  toSpecialist,
  types,
} from '../dossier-machine.test-support';

/**
 * The specialist holds S05 (16 WD) from 09:40 on 6 May: its rungs are 16 May (50 %), 22 May (75 %) and 28 May
 * (breach), all 09:40; the dossier (30 WD) is due soon on 14 June and due on 17 June, 09:40.
 */
const atSpecialist = (): DossierMachine => toSpecialist(exampleA());
const HALF = '2030-05-16T09:40';
const THREE_QUARTERS = '2030-05-22T09:40';
const BREACH = '2030-05-28T09:40';
const DUE_SOON = '2030-06-14T09:40';
const DUE = '2030-06-17T09:40';

describe('the step’s rungs', () => {
  it('wakes the workflow first at the held step’s 50 % rung', () => {
    expect(atSpecialist().nextWakeAt()).toEqual(at(HALF));
  });

  it('tells the holder at 50 %', () => {
    const [half] = atSpecialist().fire(at(HALF));
    expect(half).toMatchObject({
      type: 'STEP_HALF_USED',
      occurredAt: iso(HALF),
      payload: { step: 'S05', stepNo: 5, dueAt: iso(BREACH) },
      notifications: [{ kind: 'STEP_HALF_USED', audience: [{ kind: 'OFFICER', officerId: 'id-specialist' }] }],
    });
    expect(half.notifications[0].message).toBe(
      'Hồ sơ 000.00.20.H36-300506-0001: đã dùng 50% thời gian của bước S05 "Chuyên viên thẩm định, dự thảo" (hạn 09:40 28/05/2030).',
    );
  });

  it('fires each rung once', () => {
    const machine = atSpecialist();
    machine.fire(at(HALF));
    expect(machine.fire(at(HALF))).toEqual([]);
    expect(machine.current?.rungs).toEqual({ half: true, threeQuarters: false, breach: false });
    expect(machine.nextWakeAt()).toEqual(at(THREE_QUARTERS));
  });

  it('tells the unit’s head at 50 % when nobody holds the step', () => {
    const machine = exampleA();
    act(machine, 'clerk', { action: 'complete' }, RECEIVED);
    expect(machine.nextWakeAt()).toEqual(at('2030-05-06T13:40'));
    const [half] = machine.fire(at('2030-05-06T13:40'));
    expect(half).toMatchObject({
      type: 'STEP_HALF_USED',
      payload: { step: 'S02' },
      notifications: [{ audience: [{ kind: 'UNIT_HEAD', unit: CENTRE }] }],
    });
  });

  it('tells the holder and the division heads at 75 %', () => {
    const machine = atSpecialist();
    machine.fire(at(HALF));
    const [threeQuarters] = machine.fire(at(THREE_QUARTERS));
    expect(threeQuarters).toMatchObject({
      type: 'STEP_THREE_QUARTERS_USED',
      occurredAt: iso(THREE_QUARTERS),
      notifications: [
        {
          kind: 'STEP_THREE_QUARTERS_USED',
          audience: [
            { kind: 'OFFICER', officerId: 'id-specialist' },
            { kind: 'DIVISION_HEADS', unit: DIVISION },
          ],
        },
      ],
    });
  });

  it('attributes a breach to the step’s unit and holder, telling the unit’s head', () => {
    const machine = atSpecialist();
    machine.fire(at(THREE_QUARTERS));
    const [breach] = machine.fire(at(BREACH));
    expect(breach).toMatchObject({
      type: 'STEP_BREACHED',
      occurredAt: iso(BREACH),
      payload: { step: 'S05', stepNo: 5, unit: DIVISION, holderId: 'id-specialist', dueAt: iso(BREACH) },
      facts: [
        {
          kind: 'STEP_BREACH',
          unitCode: DIVISION,
          officerId: 'id-specialist',
          stepNo: 5,
          stepCode: 'S05',
          dueAt: iso(BREACH),
          occurredAt: iso(BREACH),
        },
      ],
      notifications: [{ kind: 'STEP_BREACHED', audience: [{ kind: 'UNIT_HEAD', unit: DIVISION }] }],
    });
    expect(breach.notifications[0].message).toContain('người xử lý: Lê Minh Châu');
  });

  it('fires every rung passed, oldest first and each at its own instant, when woken late', () => {
    const events = atSpecialist().fire(at('2030-05-28T12:00'));
    expect(events.map((e) => [e.type, e.occurredAt])).toEqual([
      ['STEP_HALF_USED', iso(HALF)],
      ['STEP_THREE_QUARTERS_USED', iso(THREE_QUARTERS)],
      ['STEP_BREACHED', iso(BREACH)],
    ]);
  });

  it('gives the next step a ladder of its own', () => {
    const machine = atSpecialist();
    machine.fire(at(HALF));
    act(machine, 'specialist', { action: 'complete' }, '2030-05-20T10:00');
    expect(machine.current).toMatchObject({ code: 'S06', dueAt: iso('2030-05-21T10:00') });
    expect(machine.nextWakeAt()).toEqual(at('2030-05-20T16:00'));
  });
});

describe('the dossier’s warning and breach', () => {
  it('warns 1 WD before the due time, telling the holder and the step’s unit head', () => {
    const machine = atSpecialist();
    machine.fire(at(BREACH));
    expect(machine.nextWakeAt()).toEqual(at(DUE_SOON));
    const [soon] = machine.fire(at(DUE_SOON));
    expect(soon).toMatchObject({
      type: 'DOSSIER_DUE_SOON',
      occurredAt: iso(DUE_SOON),
      payload: { dueAt: iso(DUE), step: 'S05' },
      notifications: [
        {
          kind: 'DOSSIER_DUE_SOON',
          audience: [
            { kind: 'OFFICER', officerId: 'id-specialist' },
            { kind: 'UNIT_HEAD', unit: DIVISION },
          ],
        },
      ],
    });
  });

  it('attributes the dossier’s breach to the step where it is, telling that unit’s head and the desk’s', () => {
    const machine = atSpecialist();
    machine.fire(at(DUE_SOON));
    const [breach] = machine.fire(at(DUE));
    expect(breach).toMatchObject({
      type: 'DOSSIER_BREACHED',
      occurredAt: iso(DUE),
      payload: { dueAt: iso(DUE), step: 'S05', unit: DIVISION, holderId: 'id-specialist' },
      facts: [{ kind: 'DOSSIER_BREACH', unitCode: DIVISION, officerId: 'id-specialist', stepNo: 5, dueAt: iso(DUE) }],
      notifications: [
        {
          kind: 'DOSSIER_BREACHED',
          audience: [
            { kind: 'UNIT_HEAD', unit: DIVISION },
            { kind: 'UNIT_HEAD', unit: CENTRE },
          ],
        },
      ],
    });
  });

  it('falls silent once every rung, the warning and the breach have fired', () => {
    const machine = atSpecialist();
    expect(types(machine.fire(at('2030-06-20T09:40')))).toEqual([
      'STEP_HALF_USED',
      'STEP_THREE_QUARTERS_USED',
      'STEP_BREACHED',
      'DOSSIER_DUE_SOON',
      'DOSSIER_BREACHED',
    ]);
    expect(machine.nextWakeAt()).toBeNull();
    expect(machine.fire(at('2030-07-31T09:40'))).toEqual([]);
  });

  it('warns again before a new due time set by an extension', () => {
    const machine = atSpecialist();
    machine.fire(at(DUE_SOON));
    act(machine, 'dept-leader', { action: 'request-extension', extraWorkingDays: 5, reason: 'Cần xác minh' }, DUE_SOON);
    expect(machine.nextWakeAt()).toEqual(at('2030-06-21T09:40'));
    expect(machine.fire(at('2030-06-24T09:40')).map((e) => [e.type, e.occurredAt])).toEqual([
      ['DOSSIER_DUE_SOON', iso('2030-06-21T09:40')],
      ['DOSSIER_BREACHED', iso('2030-06-24T09:40')],
    ]);
  });
});

describe('silence', () => {
  it('is silent while the applicant is asked for documents, waking only to close the window', () => {
    const machine = atSpecialist();
    act(machine, 'specialist', SUPPLEMENT, '2030-05-13T09:40');
    expect(machine.nextWakeAt()).toEqual(at('2030-06-03T09:40'));
    expect(machine.fire(at('2030-06-03T09:00'))).toEqual([]);
  });

  it('takes the ladder up again after the pause, shifted by the wait', () => {
    const machine = atSpecialist();
    act(machine, 'specialist', SUPPLEMENT, '2030-05-13T09:40');
    act(machine, 'clerk', { action: 'submit-supplement' }, '2030-05-20T09:40');
    expect(machine.nextWakeAt()).toEqual(at('2030-05-23T09:40'));
  });

  it('is silent while the applicant pays', () => {
    const machine = atSpecialist();
    act(machine, 'specialist', { action: 'request-payment', amount: 10_000, reason: 'Lệ phí' }, '2030-05-13T09:40');
    expect(machine.nextWakeAt()).toBeNull();
    expect(machine.fire(at('2030-07-01T09:40'))).toEqual([]);
  });

  it('is silent once processing is finished, however late the result is handed over', () => {
    const machine = atSpecialist();
    toReturnDesk(machine, '2030-05-20T10:00');
    expect(machine.nextWakeAt()).toBeNull();
    expect(machine.fire(at('2030-07-01T09:40'))).toEqual([]);
  });
});

describe('timers due before an officer’s action (its worker was down when they fell due)', () => {
  const LATE = '2030-05-29T10:00';

  it('fires the held step’s rungs and breach before the action that completes the step late', () => {
    const machine = atSpecialist();
    const events = [
      ...machine.overdueBefore(at(LATE)),
      ...act(machine, 'specialist', { action: 'complete', note: 'Dự thảo quyết định' }, LATE),
    ];
    expect(types(events).slice(0, 4)).toEqual([
      'STEP_HALF_USED',
      'STEP_THREE_QUARTERS_USED',
      'STEP_BREACHED',
      'STEP_COMPLETED',
    ]);
    expect(events[2].facts).toMatchObject([{ kind: 'STEP_BREACH', stepNo: 5, officerId: 'id-specialist' }]);
  });

  it('fires nothing twice: the loop finds no timer left due', () => {
    const machine = atSpecialist();
    machine.overdueBefore(at(LATE));
    expect(machine.fire(at(LATE))).toEqual([]);
  });

  it('leaves a dossier started before the rule as it was: the action first, no rung for the step', () => {
    const machine = toSpecialist(exampleA({ patches: { ...ALL_PATCHES, timersBeforeActions: false } }));
    expect(machine.overdueBefore(at(LATE))).toEqual([]);
  });
});
