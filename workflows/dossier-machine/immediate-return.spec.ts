import { dossierInput } from '../../test/support/dossier-fixtures';
import { NO_PATCHES } from '../dossier/patches';
import { DossierMachine } from '../dossier.machine';
import {
  act,
  actors,
  at,
  COMMUNE,
  fixedCalendar,
  iso,
  RECEIVED,
  refusal,
  types,
} from '../dossier-machine.test-support';

/**
 * 2.000635 (a copy of a civil-status extract): returned at once, 0 WD, one uncounted desk step R1 and nothing after
 * it. The commune's clerk receives it and hands the copy over in the same visit.
 */
const CODE = '000.31.01.H36-300506-0001';
const RETURN = { action: 'return-result', deliveryMethod: 'IN_PERSON' } as const;

function received(options: { patches?: typeof NO_PATCHES; receivedAt?: string } = {}): DossierMachine {
  const input = dossierInput(CODE, iso(options.receivedAt ?? RECEIVED), {
    procedure: '2.000635',
    receivingUnitCode: COMMUNE,
    receivedBy: actors['commune-clerk'].officerId,
  });
  const machine = new DossierMachine(input, fixedCalendar(), { patches: options.patches });
  machine.start();
  return machine;
}

describe('procedures that return at once (2.000635)', () => {
  it('finishes a procedure that returns at once: the desk hands the result over from its one step, on time', () => {
    const machine = received();
    expect(machine.current).toMatchObject({ code: 'R1', unit: COMMUNE, holderId: 'id-commune-clerk' });
    const events = act(machine, 'commune-clerk', RETURN, '2030-05-06T09:50');
    expect(types(events)).toEqual(['PROCESSED', 'RESULT_RETURNED']);
    expect(events[0]).toMatchObject({
      nationalStatus: 9,
      payload: { outcome: 'APPROVED', timeliness: 'ON_TIME', step: 'R1' },
    });
    expect(events[1]).toMatchObject({
      nationalStatus: 10,
      payload: { deliveryMethod: 'IN_PERSON', outcome: 'APPROVED' },
    });
    expect(machine).toMatchObject({
      state: 'RESULT_RETURNED',
      outcome: 'APPROVED',
      timeliness: 'ON_TIME',
      finishedAt: iso('2030-05-06T09:50'),
      terminal: true,
    });
    expect(machine.steps).toEqual([
      expect.objectContaining({ no: 1, code: 'R1', exit: 'RESULT_RETURNED', completedAt: iso('2030-05-06T09:50') }),
    ]);
  });

  it('offers the desk return-result from the one step, and still refuses complete there', () => {
    const machine = received();
    expect(machine.allowedActions(actors['commune-clerk'], at(RECEIVED))).toContain('return-result');
    expect(refusal(machine, 'commune-clerk', { action: 'complete' }, RECEIVED)).toMatchObject({
      type: 'WRONG_STEP',
      message: 'Step R1 returns the result: use return-result.',
    });
  });

  it('sets no timer: a 0 WD case is not breached the instant it is received, nor later that day', () => {
    const machine = received();
    expect(machine.nextWakeAt()).toBeNull();
    expect(machine.fire(at('2030-05-06T16:59'))).toEqual([]);
  });

  it('judges a result handed over on a later day late', () => {
    const machine = received();
    act(machine, 'commune-clerk', RETURN, '2030-05-07T08:00');
    expect(machine.timeliness).toBe('LATE');
  });

  it('refuses an officer who is not of the desk step with ROLE_NOT_ALLOWED', () => {
    expect(refusal(received(), 'clerk', RETURN, RECEIVED).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('keeps the rule a dossier started with before the change: return-result refused in progress', () => {
    const machine = received({ patches: NO_PATCHES });
    expect(refusal(machine, 'commune-clerk', RETURN, RECEIVED).type).toBe('INVALID_STATE');
    expect(types(machine.fire(at(RECEIVED)))).toEqual(['DOSSIER_BREACHED']);
  });
});
