import { type TransitionEvent } from '../../libs/domain/src';
import { NO_PATCHES, type Patches } from '../dossier/patches';
import { type DossierMachine } from '../dossier.machine';
import {
  act,
  at,
  CENTRE,
  COMMUNE,
  EVERY_ACTION,
  exampleB,
  iso,
  newExampleB,
  POLICE,
  POLICE_DIVISION,
  PROVINCE,
  RECEIVED,
  refusal,
  SegmentChild,
  SUPPLEMENT,
  throughCommune,
  toPolice,
  types,
} from '../dossier-machine.test-support';

/** Example B: commune 3 WD → police 3 WD → province 10 WD; the dossier (16 WD) is due on 28 May at 09:40. */
const CODE = '000.31.01.H36-300506-0001';
const POLICE_AT = '2030-05-07T11:00';
const policeHolding = (): { dossier: DossierMachine; police: SegmentChild } => {
  const dossier = exampleB();
  const police = toPolice(dossier, POLICE_AT);
  police.act('police-officer', { action: 'claim' }, POLICE_AT);
  return { dossier, police };
};
const throughProvince = (dossier: DossierMachine, local: string): TransitionEvent[] => {
  const province = SegmentChild.take(dossier);
  province.act('ppc-specialist', { action: 'claim' }, local);
  province.act('ppc-specialist', { action: 'complete' }, local);
  province.act('ppc-leader', { action: 'claim' }, local);
  return province.act('ppc-leader', { action: 'complete' }, local);
};
const throughPolice = (police: SegmentChild, local: string): void => {
  police.act('police-officer', { action: 'complete' }, local);
  police.act('police-head', { action: 'claim' }, local);
  police.act('police-head', { action: 'complete' }, local);
};

describe('hand-over', () => {
  it('hands the dossier to the commune’s workflow at receipt, telling the agency’s head', () => {
    const dossier = newExampleB();
    const [started, handed] = dossier.start();
    expect(started).toMatchObject({ type: 'PROCESSING_STARTED', payload: { step: 'C1' }, notifications: [] });
    expect(handed).toMatchObject({
      type: 'SEGMENT_HANDED_OVER',
      payload: {
        segment: 'COMMUNE',
        agency: COMMUNE,
        from: null,
        handedOverAt: iso(RECEIVED),
        budget: { amount: 3, unit: 'WD' },
        dueAt: iso('2030-05-09T09:40'),
        workflowId: `${CODE}/COMMUNE`,
      },
      notifications: [{ kind: 'SEGMENT_HANDED_OVER', audience: [{ kind: 'UNIT_HEAD', unit: COMMUNE }] }],
    });
    expect(dossier.activeSegment).toMatchObject({ code: 'COMMUNE', taskQueue: `agency-${COMMUNE}` });
  });

  it('gives the segment’s workflow its steps, its budget and the receiving clerk, once', () => {
    const dossier = exampleB();
    expect(dossier.handOverPending).toBe(true);
    const input = dossier.takeHandOver();
    expect(input).toMatchObject({
      dossierCode: CODE,
      receivedBy: 'id-commune-clerk',
      handedOverAt: iso(RECEIVED),
      extended: false,
      rules: { processingTime: { amount: 3, unit: 'WD' }, cutoff: undefined, segments: undefined },
    });
    expect(input?.rules.steps.map((s) => s.code)).toEqual(['C1', 'C2', 'C3']);
    expect(dossier.handOverPending).toBe(false);
    expect(dossier.takeHandOver()).toBeNull();
  });

  it.each(EVERY_ACTION.map((request) => [request.action, request] as const))(
    'refuses %s at the dossier with DELEGATED, naming the segment’s workflow',
    (_, request) => {
      expect(refusal(exampleB(), 'commune-clerk', request, RECEIVED)).toMatchObject({
        type: 'DELEGATED',
        details: { workflowId: `${CODE}/COMMUNE`, segment: 'COMMUNE' },
      });
    },
  );

  it('keeps the dossier’s own warning and breach while a segment holds it, and no step timers', () => {
    const dossier = exampleB();
    expect(dossier.nextWakeAt()).toEqual(at('2030-05-27T09:40'));
    expect(types(dossier.fire(at('2030-05-28T09:40')))).toEqual(['DOSSIER_DUE_SOON', 'DOSSIER_BREACHED']);
  });
});

describe('mirror', () => {
  it('records the segment’s start as SEGMENT_STARTED, its first step on the control sheet', () => {
    const dossier = exampleB();
    const commune = SegmentChild.take(dossier);
    expect(commune.started).toEqual([
      expect.objectContaining({ type: 'SEGMENT_STARTED', payload: expect.objectContaining({ segment: 'COMMUNE' }) }),
    ]);
    expect(dossier.current).toMatchObject({ no: 1, code: 'C1', holderId: 'id-commune-clerk' });
  });

  it('passes the segment’s step transitions on, naming the segment and its agency', () => {
    const dossier = exampleB();
    const [completed] = SegmentChild.take(dossier).act('commune-clerk', { action: 'complete' }, RECEIVED);
    expect(completed).toMatchObject({
      type: 'STEP_COMPLETED',
      payload: { step: 'C1', stepNo: 1, segment: 'COMMUNE', agency: COMMUNE },
    });
    expect(dossier.current).toMatchObject({ no: 2, code: 'C2' });
  });

  it('numbers a later segment’s steps after the earlier segments’', () => {
    const dossier = exampleB();
    const [claimed] = toPolice(dossier).act('police-officer', { action: 'claim' }, POLICE_AT);
    expect(claimed.payload).toMatchObject({ step: 'P1', stepNo: 4, segment: 'POLICE' });
    expect(dossier.steps.map((s) => [s.no, s.code])).toEqual([
      [1, 'C1'],
      [2, 'C2'],
      [3, 'C3'],
      [4, 'P1'],
    ]);
  });

  it('ignores a report of a segment that no longer holds the dossier', () => {
    const dossier = exampleB();
    const police = toPolice(dossier);
    const before = JSON.stringify(dossier.snapshot(0));
    const late = { segment: 'COMMUNE', no: 9, at: iso(POLICE_AT), events: [], snapshot: police.machine.snapshot(1) };
    expect(dossier.mirror(late)).toEqual([]);
    expect(JSON.stringify(dossier.snapshot(0))).toBe(before);
  });

  it('hands the dossier to the next agency as soon as a segment is done, judging the segment', () => {
    const dossier = exampleB();
    const events = throughCommune(dossier, POLICE_AT);
    expect(types(events)).toEqual(['STEP_COMPLETED', 'SEGMENT_COMPLETED', 'SEGMENT_HANDED_OVER']);
    expect(events[1].payload).toMatchObject({ segment: 'COMMUNE', result: 'EARLY', breached: false, next: POLICE });
    expect(events[2].payload).toMatchObject({
      segment: 'POLICE',
      from: COMMUNE,
      handedOverAt: iso(POLICE_AT),
      dueAt: iso('2030-05-10T11:00'),
    });
    expect(dossier.snapshot(0).segments?.[0]).toMatchObject({ completedAt: iso(POLICE_AT), result: 'EARLY' });
    expect(dossier.steps[2]).toMatchObject({ code: 'C3', handedTo: POLICE_DIVISION });
    expect(dossier.takeHandOver()).toMatchObject({ handedOverAt: iso(POLICE_AT), receivedBy: undefined });
  });

  it('attributes the segment’s due-soon and breach to its agency', () => {
    const { dossier, police } = policeHolding();
    const events = police.fire('2030-05-10T12:00');
    expect(types(events)).toEqual([
      'STEP_HALF_USED',
      'STEP_THREE_QUARTERS_USED',
      'SEGMENT_DUE_SOON',
      'STEP_BREACHED',
      'SEGMENT_BREACHED',
    ]);
    expect(events[4]).toMatchObject({
      occurredAt: iso('2030-05-10T11:00'),
      facts: [{ kind: 'SEGMENT_BREACH', unitCode: POLICE, stepNo: 4, stepCode: 'P1' }],
      notifications: [
        {
          kind: 'SEGMENT_BREACHED',
          audience: [
            { kind: 'UNIT_HEAD', unit: POLICE },
            { kind: 'UNIT_HEAD', unit: COMMUNE },
          ],
        },
      ],
    });
    expect(dossier.activeSegment?.breached).toBe(true);
  });

  it('judges a segment done after its due time late and breached', () => {
    const { dossier, police } = policeHolding();
    police.fire('2030-05-15T10:00');
    throughPolice(police, '2030-05-15T10:00');
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({ result: 'LATE', breached: true });
    expect(dossier.activeSegment?.code).toBe('PROVINCE');
  });

  it('finishes processing after the last segment: the result waits at the commune desk that received it (one-stop)', () => {
    const { dossier, police } = policeHolding();
    throughPolice(police, '2030-05-08T10:00');
    const events = throughProvince(dossier, '2030-05-10T09:00');
    expect(types(events)).toEqual(['STEP_COMPLETED', 'SEGMENT_COMPLETED', 'PROCESSED']);
    expect(events[1].payload).toMatchObject({ segment: 'PROVINCE', agency: PROVINCE, next: null });
    expect(dossier).toMatchObject({ state: 'READY_FOR_RETURN', outcome: 'APPROVED', timeliness: 'EARLY' });
    expect(dossier.current).toMatchObject({ no: 8, code: 'K3', unit: COMMUNE });
    expect(events[2].notifications).toEqual([
      expect.objectContaining({ kind: 'STEP_ARRIVED', audience: [{ kind: 'UNIT_HEAD', unit: COMMUNE }] }),
    ]);
    expect(
      types(
        act(dossier, 'commune-clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' }, '2030-05-10T10:00'),
      ),
    ).toEqual(['RESULT_RETURNED']);
  });

  it('returns example B’s result at the receiving desk, not the last agency’s: the province centre’s clerk may not', () => {
    const { dossier, police } = policeHolding();
    throughPolice(police, '2030-05-08T10:00');
    throughProvince(dossier, '2030-05-10T09:00');
    expect(
      refusal(dossier, 'clerk', { action: 'return-result', deliveryMethod: 'IN_PERSON' }, '2030-05-10T10:00'),
    ).toMatchObject({ type: 'ROLE_NOT_ALLOWED', message: expect.stringContaining(`unit ${COMMUNE}`) });
  });

  it('keeps the desk the procedure names for a dossier started before the change', () => {
    const dossier = exampleB(undefined, NO_PATCHES);
    const police = toPolice(dossier, POLICE_AT);
    police.act('police-officer', { action: 'claim' }, POLICE_AT);
    throughPolice(police, '2030-05-08T10:00');
    throughProvince(dossier, '2030-05-10T09:00');
    expect(dossier.current).toMatchObject({ code: 'K3', unit: CENTRE });
  });
});

describe('dossier-level actions taken in a segment', () => {
  it('pauses the dossier’s own clock when the segment asks for documents', () => {
    const { dossier, police } = policeHolding();
    const [requested] = police.act('police-officer', SUPPLEMENT, '2030-05-08T09:40');
    expect(requested).toMatchObject({
      type: 'SUPPLEMENT_REQUESTED',
      nationalStatus: 5,
      payload: { dueBefore: iso('2030-05-28T09:40'), request: 1 },
    });
    expect(dossier).toMatchObject({ state: 'AWAITING_SUPPLEMENT', deadline: { dueAt: null, supplementRequests: 1 } });
    expect(dossier.nextWakeAt()).toBeNull();
  });

  it('moves the dossier’s due time by the wait when the documents arrive', () => {
    const { dossier, police } = policeHolding();
    police.act('police-officer', SUPPLEMENT, '2030-05-08T09:40');
    expect(types(police.act('commune-clerk', { action: 'submit-supplement' }, '2030-05-10T09:40'))).toEqual([
      'SUPPLEMENT_SUBMITTED',
    ]);
    expect(dossier.deadline.dueAt).toBe(iso('2030-05-30T09:40'));
    expect(dossier.deadline.ledger.map((e) => e.kind)).toEqual(['ANCHOR', 'PAUSE', 'RESUME']);
    // The segment's own due time follows its workflow's clock, paused the same 2 WD.
    expect(dossier.activeSegment?.dueAt).toBe(iso('2030-05-14T11:00'));
  });

  /** The commune asked for documents once (the procedure's one request) and got them; the police hold P1. */
  const askedAtCommune = (patches?: Patches): { dossier: DossierMachine; police: SegmentChild } => {
    const dossier = exampleB(undefined, patches);
    const commune = SegmentChild.take(dossier);
    commune.act('commune-clerk', SUPPLEMENT, RECEIVED);
    commune.act('commune-clerk', { action: 'submit-supplement' }, '2030-05-07T09:40');
    throughCommune(dossier, '2030-05-07T09:40', commune);
    const police = SegmentChild.take(dossier);
    police.act('police-officer', { action: 'claim' }, POLICE_AT);
    return { dossier, police };
  };

  it('counts supplement requests per dossier: a later segment may not ask past the procedure’s limit', () => {
    const { dossier, police } = askedAtCommune();
    expect(police.input.supplementRequests).toBe(1);
    expect(refusal(police.machine, 'police-officer', SUPPLEMENT, POLICE_AT)).toEqual({
      type: 'LIMIT_REACHED',
      message: 'This procedure allows 1 supplement request; 1 already made.',
    });
    expect(dossier.deadline.supplementRequests).toBe(1);
  });

  it('keeps counting per segment for a dossier started before the change', () => {
    const { dossier, police } = askedAtCommune(NO_PATCHES);
    const [again] = police.act('police-officer', SUPPLEMENT, POLICE_AT);
    expect(again.payload.request).toBe(2);
    expect(dossier.deadline.supplementRequests).toBe(2);
  });

  it('extends the dossier’s due time and the segment’s, and the next segment may not extend again', () => {
    const { dossier, police } = policeHolding();
    police.act('police-chief', { action: 'request-extension', extraWorkingDays: 2, reason: 'Cần xác minh' }, POLICE_AT);
    expect(dossier.deadline).toMatchObject({ extended: true, dueAt: iso('2030-05-30T09:40') });
    expect(police.machine.deadline.dueAt).toBe(iso('2030-05-14T11:00'));
    throughPolice(police, POLICE_AT);
    const province = SegmentChild.take(dossier);
    expect(province.input.extended).toBe(true);
    expect(
      refusal(
        province.machine,
        'ppc-leader',
        { action: 'request-extension', extraWorkingDays: 1, reason: 'x' },
        POLICE_AT,
      ).type,
    ).toBe('LIMIT_REACHED');
  });

  it('ends processing with the refusal, the desk’s step after the segment’s, and hands over no further', () => {
    const { dossier, police } = policeHolding();
    police.act('police-officer', { action: 'complete', note: 'Không đạt ANTT' }, POLICE_AT);
    police.act('police-head', { action: 'claim' }, POLICE_AT);
    const [refusedEvent] = police.act('police-head', { action: 'refuse', reasons: ['Không đạt ANTT'] }, POLICE_AT);
    expect(refusedEvent).toMatchObject({ type: 'REFUSED', payload: { step: 'P2', outcome: 'REFUSED' } });
    expect(dossier).toMatchObject({ state: 'READY_FOR_RETURN', outcome: 'REFUSED', activeSegment: null });
    expect(dossier.steps.map((s) => [s.no, s.code, s.exit])).toEqual([
      [1, 'C1', 'COMPLETED'],
      [2, 'C2', 'COMPLETED'],
      [3, 'C3', 'COMPLETED'],
      [4, 'P1', 'COMPLETED'],
      [5, 'P2', 'REFUSED'],
      [6, 'K3', null],
    ]);
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({
      completedAt: iso(POLICE_AT),
      result: 'EARLY',
      outcome: 'REFUSED',
    });
    expect(dossier.handOverPending).toBe(false);
  });

  it('refuses the police specialist’s refusal with ROLE_NOT_ALLOWED: the division head signs for the police', () => {
    const { police } = policeHolding();
    expect(
      refusal(police.machine, 'police-officer', { action: 'refuse', reasons: ['Không đạt ANTT'] }, POLICE_AT).type,
    ).toBe('ROLE_NOT_ALLOWED');
  });

  it('refuses form 04 in the police segment by anyone but the police’s head (or deputy) with ROLE_NOT_ALLOWED', () => {
    const { police } = policeHolding();
    const extend = { action: 'request-extension', extraWorkingDays: 2, reason: 'Cần xác minh' } as const;
    expect(police.input.rules.agency).toBe(POLICE);
    for (const who of ['police-head', 'ppc-leader'] as const) {
      expect(refusal(police.machine, who, extend, POLICE_AT).type).toBe('ROLE_NOT_ALLOWED');
    }
  });

  it('withdraws the dossier, ending the segment', () => {
    const { dossier, police } = policeHolding();
    expect(types(police.act('commune-clerk', { action: 'withdraw', reason: 'Rút hồ sơ' }, POLICE_AT))).toEqual([
      'WITHDRAWN',
    ]);
    expect(dossier).toMatchObject({ state: 'WITHDRAWN', outcome: 'WITHDRAWN', activeSegment: null });
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({
      completedAt: iso(POLICE_AT),
      result: null,
      outcome: 'WITHDRAWN',
    });
  });

  it('closes the dossier when the applicant lets the segment’s window lapse', () => {
    const { dossier, police } = policeHolding();
    police.act('police-officer', SUPPLEMENT, '2030-05-08T09:40');
    expect(police.machine.nextWakeAt()).toEqual(at('2030-05-29T09:40'));
    const [closed] = police.fire('2030-05-29T09:40');
    expect(closed).toMatchObject({ type: 'CLOSED', nationalStatus: 8, occurredAt: iso('2030-05-29T09:40') });
    expect(dossier).toMatchObject({ state: 'CLOSED', outcome: 'CLOSED_NO_SUPPLEMENT', activeSegment: null });
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({ outcome: 'CLOSED' });
  });
});
