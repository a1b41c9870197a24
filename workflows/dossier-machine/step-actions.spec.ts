import { DossierMachine } from '../dossier.machine';
import { type Actor, type StepRule } from '../dossier.types';
import {
  act,
  actors,
  at,
  CENTRE,
  DEPARTMENT,
  DIVISION,
  exampleA,
  exampleAInput,
  fixedCalendar,
  iso,
  RECEIVED,
  refusal,
  SUPPLEMENT,
  toReturnDesk,
  toSpecialist,
  types,
} from '../dossier-machine.test-support';

const LATER = '2030-05-07T10:00';
const stepsOfA = (): StepRule[] => exampleAInput().rules!.steps;
/** Example A whose S09 is its last step: no desk step to return the result at. */
const withoutReturnStep = (): StepRule[] =>
  stepsOfA()
    .slice(0, 9)
    .map((s) => (s.code === 'S09' ? { ...s, next: [] } : s));
/** Example A whose S01 may go on to S02 or straight to S03. */
const withBranch = (): StepRule[] => stepsOfA().map((s) => (s.code === 'S01' ? { ...s, next: ['S02', 'S03'] } : s));
/** A one-step procedure: S09, moved to the desk so the receiving clerk holds it from the start. */
const lastStepAtDesk = () =>
  exampleA({ rules: { steps: [{ ...withoutReturnStep()[8], unit: CENTRE, role: 'DESK_CLERK' }] } });
const leaderNotHead: Actor = { ...actors['dept-leader'], officerId: 'id-deputy', username: 'deputy', headOfUnits: [] };

describe('claim', () => {
  it('gives an unheld step to an officer of its unit and role', () => {
    const machine = exampleA();
    act(machine, 'clerk', { action: 'complete' }, RECEIVED);
    const events = act(machine, 'head', { action: 'claim' }, LATER);
    expect(events).toEqual([expect.objectContaining({ type: 'STEP_CLAIMED', payload: { step: 'S02', stepNo: 2 } })]);
    expect(machine.current).toMatchObject({ holderId: actors.head.officerId, holderName: 'Phạm Quốc Dũng' });
  });

  it('refuses a step already held with INVALID_STATE', () => {
    expect(refusal(exampleA(), 'clerk', { action: 'claim' }, RECEIVED)).toMatchObject({
      type: 'INVALID_STATE',
      message: expect.stringContaining('already held by'),
    });
  });

  it('refuses an officer of another role or unit with ROLE_NOT_ALLOWED', () => {
    const machine = exampleA();
    act(machine, 'clerk', { action: 'complete' }, RECEIVED);
    expect(refusal(machine, 'specialist', { action: 'claim' }, LATER).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('refuses while the dossier waits for the applicant with INVALID_STATE', () => {
    const machine = toSpecialist(exampleA());
    act(machine, 'specialist', SUPPLEMENT, LATER);
    expect(refusal(machine, 'specialist', { action: 'claim' }, LATER).type).toBe('INVALID_STATE');
  });

  it('lets the desk claim the return step once processing is finished', () => {
    const machine = toSpecialist(exampleA());
    toReturnDesk(machine, LATER);
    expect(types(act(machine, 'clerk', { action: 'claim' }, LATER))).toEqual(['STEP_CLAIMED']);
  });

  it('refuses with INVALID_STATE when processing finished with no step left open', () => {
    const machine = toSpecialist(exampleA({ rules: { steps: withoutReturnStep() } }));
    toReturnDesk(machine, LATER);
    expect(refusal(machine, 'clerk', { action: 'claim' }, LATER)).toMatchObject({
      type: 'INVALID_STATE',
      message: expect.stringContaining('has no open step'),
    });
  });
});

describe('assign', () => {
  const toS04 = (): DossierMachine => {
    const machine = exampleA();
    act(machine, 'clerk', { action: 'complete' }, RECEIVED);
    act(machine, 'head', { action: 'claim' }, RECEIVED);
    act(machine, 'head', { action: 'complete' }, RECEIVED);
    act(machine, 'dept-leader', { action: 'claim' }, RECEIVED);
    act(machine, 'dept-leader', { action: 'complete' }, RECEIVED);
    return machine;
  };

  it('lets the head of the step’s unit give it to an officer who fits, and tells the assignee', () => {
    const machine = toS04();
    const [assigned] = act(machine, 'dept-leader', { action: 'assign', assignee: actors['division-head'] }, LATER);
    expect(assigned).toMatchObject({
      type: 'STEP_ASSIGNED',
      payload: { step: 'S04', assigneeId: actors['division-head'].officerId },
      notifications: [{ kind: 'STEP_ASSIGNED', audience: [{ kind: 'OFFICER', officerId: 'id-division-head' }] }],
    });
    expect(machine.current?.holderId).toBe(actors['division-head'].officerId);
  });

  it('lets a leader of the step’s unit assign without heading it', () => {
    const machine = exampleA();
    toSpecialist(machine);
    act(machine, 'specialist', { action: 'complete' }, LATER);
    act(machine, 'division-head', { action: 'claim' }, LATER);
    act(machine, 'division-head', { action: 'complete' }, LATER);
    expect(machine.current?.unit).toBe(DEPARTMENT);
    const assignee = { ...leaderNotHead, officerId: 'id-other-leader' };
    expect(types(machine.apply({ actor: leaderNotHead, request: { action: 'assign', assignee } }, at(LATER)))).toEqual([
      'STEP_ASSIGNED',
    ]);
  });

  it('takes a held step from its holder to give it to another', () => {
    const machine = toSpecialist(exampleA());
    const other = { ...actors.specialist, officerId: 'id-specialist-2', fullName: 'Người khác' };
    act(machine, 'division-head', { action: 'assign', assignee: other }, LATER);
    expect(machine.current).toMatchObject({ code: 'S05', holderId: 'id-specialist-2', holderName: 'Người khác' });
  });

  it('refuses an officer who neither heads nor leads the unit with ROLE_NOT_ALLOWED', () => {
    const machine = toS04();
    expect(
      refusal(machine, 'specialist', { action: 'assign', assignee: actors['division-head'] }, LATER),
    ).toMatchObject({ type: 'ROLE_NOT_ALLOWED', message: expect.stringContaining(`unit ${DIVISION} may assign`) });
  });

  it('refuses an assignee who does not fit the step with ROLE_NOT_ALLOWED', () => {
    const machine = toS04();
    expect(refusal(machine, 'dept-leader', { action: 'assign', assignee: actors.specialist }, LATER)).toMatchObject({
      type: 'ROLE_NOT_ALLOWED',
      message: expect.stringContaining('cannot be assigned it'),
    });
  });

  it('refuses while the dossier waits for a payment with INVALID_STATE', () => {
    const machine = toSpecialist(exampleA());
    act(machine, 'specialist', { action: 'request-payment', amount: 50_000, reason: 'Phí thẩm định' }, LATER);
    expect(refusal(machine, 'division-head', { action: 'assign', assignee: actors.specialist }, LATER).type).toBe(
      'INVALID_STATE',
    );
  });
});

describe('complete', () => {
  it('hands the dossier on to the next step, judging the step and telling the next unit’s head', () => {
    const machine = exampleA();
    const [completed] = act(machine, 'clerk', { action: 'complete', note: 'Hồ sơ hợp lệ' }, RECEIVED);
    expect(completed).toMatchObject({
      type: 'STEP_COMPLETED',
      payload: { step: 'S01', stepNo: 1, result: 'ON_TIME', next: 'S02', note: 'Hồ sơ hợp lệ' },
      notifications: [{ kind: 'STEP_ARRIVED', audience: [{ kind: 'UNIT_HEAD', unit: CENTRE }] }],
    });
    expect(machine.steps[0]).toMatchObject({ exit: 'COMPLETED', handedTo: CENTRE, note: 'Hồ sơ hợp lệ' });
    expect(machine.current).toMatchObject({ no: 2, code: 'S02', holderId: null, startedAt: iso(RECEIVED) });
  });

  it('opens the next step held by the assignee and tells them', () => {
    const machine = toSpecialist(exampleA());
    expect(machine.current).toMatchObject({ code: 'S05', holderId: actors.specialist.officerId });
    expect(machine.steps[3].exit).toBe('COMPLETED');
  });

  it('finishes processing at the last counted step: processed early, the result waits at the desk', () => {
    const machine = toSpecialist(exampleA());
    const events = toReturnDesk(machine, '2030-05-20T10:00');
    expect(types(events)).toEqual(['STEP_COMPLETED', 'PROCESSED']);
    expect(events[1]).toMatchObject({
      nationalStatus: 9,
      payload: { outcome: 'APPROVED', timeliness: 'EARLY', dueAt: iso('2030-06-17T09:40') },
      notifications: [{ kind: 'STEP_ARRIVED', audience: [{ kind: 'UNIT_HEAD', unit: CENTRE }] }],
    });
    expect(machine).toMatchObject({
      state: 'READY_FOR_RETURN',
      outcome: 'APPROVED',
      finishedAt: iso('2030-05-20T10:00'),
    });
    expect(machine.current).toMatchObject({ code: 'S10', holderId: null });
    expect(machine.deadline.ledger.at(-1)).toMatchObject({ kind: 'FINISHED', by: actors['dept-clerk'].officerId });
  });

  it('judges processing finished after the due time as late', () => {
    const machine = toSpecialist(exampleA());
    toReturnDesk(machine, '2030-06-18T08:00');
    expect(machine.timeliness).toBe('LATE');
    expect(machine.steps.find((s) => s.code === 'S05')?.result).toBe('LATE');
  });

  it('sends a partner’s dossier back electronically when there is no desk step', () => {
    const origin = { partner: 'district-system', handoffId: 'h-1', originDossierCode: 'X-1' };
    const input = { ...exampleAInput({ rules: { steps: withoutReturnStep() } }), handoff: origin };
    const machine = new DossierMachine(input, fixedCalendar());
    machine.start();
    const events = toReturnDesk(toSpecialist(machine), LATER);
    expect(types(events)).toEqual(['STEP_COMPLETED', 'PROCESSED', 'RESULT_RETURNED']);
    expect(events[2].payload).toEqual({
      deliveryMethod: 'ELECTRONIC',
      outcome: 'APPROVED',
      to: 'district-system',
      handoffId: 'h-1',
    });
    expect(machine.snapshot(0)).toMatchObject({ state: 'RESULT_RETURNED', nationalStatus: 10, origin });
  });

  it('refuses an unheld step with NOT_HOLDER (claim it first)', () => {
    const machine = exampleA();
    act(machine, 'clerk', { action: 'complete' }, RECEIVED);
    expect(refusal(machine, 'head', { action: 'complete' }, LATER)).toMatchObject({
      type: 'NOT_HOLDER',
      message: expect.stringContaining('has no holder yet'),
    });
  });

  it('refuses an officer who does not hold the step with NOT_HOLDER', () => {
    expect(refusal(toSpecialist(exampleA()), 'division-head', { action: 'complete' }, LATER)).toMatchObject({
      type: 'NOT_HOLDER',
      message: expect.stringContaining('held by Lê Minh Châu'),
    });
  });

  it('refuses while the dossier waits for the applicant with INVALID_STATE', () => {
    const machine = toSpecialist(exampleA());
    act(machine, 'specialist', SUPPLEMENT, LATER);
    expect(refusal(machine, 'specialist', { action: 'complete' }, LATER).type).toBe('INVALID_STATE');
  });

  it('refuses to complete a step that returns the result with WRONG_STEP', () => {
    const returnOnly: StepRule[] = [{ ...stepsOfA()[9] }];
    expect(refusal(exampleA({ rules: { steps: returnOnly } }), 'clerk', { action: 'complete' }, LATER)).toMatchObject({
      type: 'WRONG_STEP',
      message: expect.stringContaining('use return-result'),
    });
  });

  it('refuses a choice of next steps left open with INVALID_REQUEST', () => {
    expect(refusal(exampleA({ rules: { steps: withBranch() } }), 'clerk', { action: 'complete' }, LATER)).toMatchObject(
      {
        type: 'INVALID_REQUEST',
        message: expect.stringContaining('say which in nextStep'),
      },
    );
  });

  it('goes on to the next step chosen among several', () => {
    const machine = exampleA({ rules: { steps: withBranch() } });
    act(machine, 'clerk', { action: 'complete', nextStep: 'S03' }, LATER);
    expect(machine.current?.code).toBe('S03');
  });

  it('refuses a next step the procedure does not lead to with WRONG_STEP', () => {
    expect(refusal(exampleA(), 'clerk', { action: 'complete', nextStep: 'S05' }, LATER)).toMatchObject({
      type: 'WRONG_STEP',
      message: 'Step S01 goes on to S02, not S05.',
    });
  });

  it('refuses a next step after the last step with WRONG_STEP', () => {
    expect(refusal(lastStepAtDesk(), 'clerk', { action: 'complete', nextStep: 'S10' }, LATER)).toMatchObject({
      type: 'WRONG_STEP',
      message: 'Step S09 is the last step; it has no next step S10.',
    });
  });

  it('refuses an assignee after the last step with INVALID_REQUEST', () => {
    expect(refusal(lastStepAtDesk(), 'clerk', { action: 'complete', assignee: actors.clerk }, LATER)).toMatchObject({
      type: 'INVALID_REQUEST',
      message: expect.stringContaining('nobody to assign'),
    });
  });

  it('refuses an assignee who does not fit the next step with ROLE_NOT_ALLOWED', () => {
    expect(refusal(exampleA(), 'clerk', { action: 'complete', assignee: actors.specialist }, LATER).type).toBe(
      'ROLE_NOT_ALLOWED',
    );
  });
});

describe('return', () => {
  const back = { action: 'return', toStep: 'S04', reason: 'Thiếu ý kiến phòng' } as const;

  it('sends the dossier back to an earlier step, to the officer who held it there', () => {
    const machine = toSpecialist(exampleA());
    const [returned] = act(machine, 'specialist', back, LATER);
    expect(returned).toMatchObject({
      type: 'STEP_RETURNED',
      payload: { from: 'S05', to: 'S04', reason: 'Thiếu ý kiến phòng', result: 'EARLY' },
      notifications: [{ kind: 'STEP_ASSIGNED', audience: [{ kind: 'OFFICER', officerId: 'id-division-head' }] }],
    });
    expect(machine.steps[4]).toMatchObject({ exit: 'RETURNED', handedTo: DIVISION, note: 'Thiếu ý kiến phòng' });
    expect(machine.current).toMatchObject({ no: 6, code: 'S04', holderId: actors['division-head'].officerId });
  });

  it('refuses a step the dossier has not been through with WRONG_STEP', () => {
    expect(refusal(toSpecialist(exampleA()), 'specialist', { ...back, toStep: 'S07' }, LATER)).toMatchObject({
      type: 'WRONG_STEP',
      message: 'A dossier can only be sent back to a step it has been through (S01, S02, S03, S04); not S07.',
    });
  });

  it('refuses sending a step back to itself with WRONG_STEP', () => {
    const machine = toSpecialist(exampleA());
    act(machine, 'specialist', back, LATER);
    expect(refusal(machine, 'division-head', back, LATER)).toMatchObject({
      type: 'WRONG_STEP',
      message: expect.stringContaining('not S04'),
    });
  });

  it('refuses an empty reason with INVALID_REQUEST', () => {
    expect(refusal(toSpecialist(exampleA()), 'specialist', { ...back, reason: ' ' }, LATER)).toMatchObject({
      type: 'INVALID_REQUEST',
      message: 'reason must not be empty.',
    });
  });

  it('refuses an officer who does not hold the step with NOT_HOLDER', () => {
    expect(refusal(toSpecialist(exampleA()), 'division-head', back, LATER).type).toBe('NOT_HOLDER');
  });

  it('refuses once processing is finished with INVALID_STATE', () => {
    const machine = toSpecialist(exampleA());
    toReturnDesk(machine, LATER);
    act(machine, 'clerk', { action: 'claim' }, LATER);
    expect(refusal(machine, 'clerk', { ...back, toStep: 'S09' }, LATER).type).toBe('INVALID_STATE');
  });
});

describe('return-result', () => {
  const handOver = { action: 'return-result', deliveryMethod: 'IN_PERSON' } as const;
  const finished = (): DossierMachine => {
    const machine = toSpecialist(exampleA());
    toReturnDesk(machine, LATER);
    return machine;
  };

  it('hands the result over at the desk step, unclaimed, and ends the dossier', () => {
    const machine = finished();
    const [returned] = act(machine, 'clerk', { ...handOver, note: 'Đã trao' }, LATER);
    expect(returned).toMatchObject({
      type: 'RESULT_RETURNED',
      nationalStatus: 10,
      payload: { deliveryMethod: 'IN_PERSON', note: 'Đã trao', outcome: 'APPROVED' },
    });
    expect(machine.steps.at(-1)).toMatchObject({ code: 'S10', exit: 'RESULT_RETURNED', holderId: 'id-clerk' });
    expect(machine).toMatchObject({ state: 'RESULT_RETURNED', terminal: true });
  });

  it('refuses an officer who does not fit the desk step with ROLE_NOT_ALLOWED', () => {
    expect(refusal(finished(), 'specialist', handOver, LATER).type).toBe('ROLE_NOT_ALLOWED');
  });

  it('refuses before processing is finished with INVALID_STATE', () => {
    expect(refusal(toSpecialist(exampleA()), 'clerk', handOver, LATER)).toMatchObject({
      type: 'INVALID_STATE',
      message: expect.stringContaining('it is IN_PROGRESS, and return-result needs READY_FOR_RETURN'),
    });
  });

  it('refuses a second hand-over with INVALID_STATE', () => {
    const machine = finished();
    act(machine, 'clerk', handOver, LATER);
    expect(refusal(machine, 'clerk', handOver, LATER).type).toBe('INVALID_STATE');
  });

  describe('with no desk step', () => {
    const bare = (): DossierMachine => {
      const machine = toSpecialist(exampleA({ rules: { steps: withoutReturnStep() } }));
      toReturnDesk(machine, LATER);
      return machine;
    };

    it('lets the receiving desk or a connected system hand it over', () => {
      expect(types(act(bare(), 'clerk', handOver, LATER))).toEqual(['RESULT_RETURNED']);
      expect(types(act(bare(), 'agency-system', handOver, LATER))).toEqual(['RESULT_RETURNED']);
    });

    it('refuses anyone else with ROLE_NOT_ALLOWED', () => {
      expect(refusal(bare(), 'dept-clerk', handOver, LATER)).toMatchObject({
        type: 'ROLE_NOT_ALLOWED',
        message: expect.stringContaining(`Only the receiving desk (${CENTRE})`),
      });
    });
  });
});
