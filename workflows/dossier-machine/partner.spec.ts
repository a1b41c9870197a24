import { NO_PATCHES } from '../dossier/patches';
import {
  act,
  at,
  callback,
  COMMUNE,
  EVERY_ACTION,
  exampleB,
  iso,
  POLICE,
  PROVINCE,
  refusal,
  refused,
  throughCommune,
  toPartner,
  types,
} from '../dossier-machine.test-support';

/** Example B whose police share is handed to the partner system `police-system` on 7 May at 11:00 (3 WD). */
const HANDED = '2030-05-07T11:00';
const LATER = '2030-05-08T10:00';
const withPartner = () => toPartner(HANDED);
const SUPPLEMENT_ASKED = { items: ['Văn bản nghiệm thu PCCC'], note: 'Thiếu văn bản PCCC' };
/** Actions the partner's callbacks take instead of officers here. */
const PARTNER_ONLY = ['claim', 'assign', 'complete', 'return', 'refuse', 'return-result'];
const PARTNER_ASKS = ['request-supplement', 'request-extension', 'request-payment'];

describe('hand-off to a partner system', () => {
  it('hands the share over with a hand-off ID: one step stands for the partner’s work, on the share’s budget', () => {
    const dossier = withPartner();
    expect(dossier.activeSegment).toMatchObject({
      code: 'POLICE',
      partner: 'police-system',
      handoffId: 'handoff-1',
      workflowId: null,
      dueAt: iso('2030-05-10T11:00'),
    });
    expect(dossier.current).toMatchObject({
      no: 4,
      code: 'POLICE',
      unit: POLICE,
      role: 'AGENCY_SYSTEM',
      holderId: null,
      holderName: 'police-system',
      dueAt: iso('2030-05-10T11:00'),
    });
    expect(dossier.handOverPending).toBe(false);
  });

  it.each(PARTNER_ONLY)('refuses %s by an officer here with INVALID_STATE, naming the partner', (action) => {
    const request = EVERY_ACTION.find((r) => r.action === action)!;
    expect(refusal(withPartner(), 'police-officer', request, LATER)).toMatchObject({
      type: 'INVALID_STATE',
      message: expect.stringContaining('its answer comes through the hand-off callback'),
    });
  });

  it.each(PARTNER_ASKS)('refuses %s here with INVALID_STATE: only the partner may ask', (action) => {
    const request = EVERY_ACTION.find((r) => r.action === action)!;
    expect(refusal(withPartner(), 'ppc-leader', request, LATER)).toEqual({
      type: 'INVALID_STATE',
      message: `Only partner system police-system may ${action} while it has the dossier.`,
    });
  });

  it('lets the desk withdraw the dossier while the partner has it', () => {
    const dossier = withPartner();
    expect(types(act(dossier, 'commune-clerk', { action: 'withdraw', reason: 'Rút hồ sơ' }, LATER))).toEqual([
      'WITHDRAWN',
    ]);
    expect(dossier.state).toBe('WITHDRAWN');
  });

  it('ends the partner’s segment on a withdrawal: marked WITHDRAWN with its end, the partner’s step closed', () => {
    const dossier = withPartner();
    act(dossier, 'commune-clerk', { action: 'withdraw', reason: 'Rút hồ sơ' }, LATER);
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({
      code: 'POLICE',
      partner: 'police-system',
      handoffId: 'handoff-1',
      completedAt: iso(LATER),
      outcome: 'WITHDRAWN',
    });
    expect(dossier.activeSegment).toBeNull();
    expect(dossier.steps[3]).toMatchObject({ code: 'POLICE', exit: 'WITHDRAWN', completedAt: iso(LATER) });
    expect(dossier.nextWakeAt()).toBeNull();
  });

  it('ends the partner’s segment as CLOSED when the applicant lets its request lapse', () => {
    const dossier = withPartner();
    dossier.applyCallback(callback(dossier, 'SUPPLEMENT_REQUESTED', SUPPLEMENT_ASKED), at(LATER));
    dossier.fire(at('2030-05-29T10:00'));
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({
      completedAt: iso('2030-05-29T10:00'),
      outcome: 'CLOSED',
    });
  });

  it('keeps the segment open on a withdrawal for a dossier started before the change', () => {
    const dossier = exampleB([{ id: 'police-system', agencies: [POLICE] }], NO_PATCHES);
    throughCommune(dossier, HANDED);
    act(dossier, 'commune-clerk', { action: 'withdraw', reason: 'Rút hồ sơ' }, LATER);
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({ completedAt: null });
    expect(dossier.snapshot(0).segments?.[1]).not.toHaveProperty('outcome');
  });

  it('runs the ladder of the partner’s step, and attributes its silence past the share to the police', () => {
    const dossier = withPartner();
    const events = dossier.fire(at('2030-05-10T12:00'));
    expect(types(events)).toEqual(['STEP_HALF_USED', 'STEP_THREE_QUARTERS_USED', 'SEGMENT_BREACHED']);
    expect(events[2]).toMatchObject({
      occurredAt: iso('2030-05-10T11:00'),
      payload: { segment: 'POLICE', agency: POLICE, partner: 'police-system' },
      facts: [
        { kind: 'STEP_BREACH', unitCode: POLICE, officerId: null, stepCode: 'POLICE' },
        { kind: 'SEGMENT_BREACH', unitCode: POLICE, officerId: null, stepCode: 'POLICE' },
      ],
      notifications: [{ kind: 'SEGMENT_BREACHED', audience: [{ kind: 'UNIT_HEAD', unit: COMMUNE }] }],
    });
    expect(dossier.activeSegment?.breached).toBe(true);
  });
});

describe('checkCallback', () => {
  it('refuses an answer about another hand-off with INVALID_STATE', () => {
    const dossier = withPartner();
    expect(refused(dossier, () => dossier.checkCallback(callback(dossier, 'ACCEPTED', { handoffId: 'x' })))).toEqual({
      type: 'INVALID_STATE',
      message: 'Dossier 000.31.01.H36-300506-0001 has no hand-off x open with police-system.',
    });
  });

  it('refuses an answer from another partner with INVALID_STATE', () => {
    const dossier = withPartner();
    expect(refused(dossier, () => dossier.checkCallback(callback(dossier, 'RESULT', { partner: 'other' }))).type).toBe(
      'INVALID_STATE',
    );
  });

  it('refuses any answer when no hand-off is open with INVALID_STATE', () => {
    const dossier = withPartner();
    dossier.applyCallback(callback(dossier, 'RESULT'), at(LATER));
    const stale = callback(dossier, 'RESULT', { handoffId: 'handoff-1', partner: 'police-system' });
    expect(refused(dossier, () => dossier.checkCallback(stale)).type).toBe('INVALID_STATE');
  });

  it('refuses a supplement request without items with INVALID_REQUEST', () => {
    const dossier = withPartner();
    const empty = callback(dossier, 'SUPPLEMENT_REQUESTED', { ...SUPPLEMENT_ASKED, items: [] });
    expect(refused(dossier, () => dossier.checkCallback(empty))).toEqual({
      type: 'INVALID_REQUEST',
      message: 'items must list every document or correction needed.',
    });
  });

  it('refuses a supplement request without a note with INVALID_REQUEST', () => {
    const dossier = withPartner();
    const bare = callback(dossier, 'SUPPLEMENT_REQUESTED', { items: SUPPLEMENT_ASKED.items });
    expect(refused(dossier, () => dossier.checkCallback(bare))).toEqual({
      type: 'INVALID_REQUEST',
      message: 'note must not be empty.',
    });
  });

  it('refuses a refusal without reasons with INVALID_REQUEST', () => {
    const dossier = withPartner();
    expect(refused(dossier, () => dossier.checkCallback(callback(dossier, 'REFUSED', { reasons: [' '] })))).toEqual({
      type: 'INVALID_REQUEST',
      message: 'reasons must state why the partner refused the dossier.',
    });
  });

  it('refuses a second supplement request with LIMIT_REACHED', () => {
    const dossier = withPartner();
    dossier.applyCallback(callback(dossier, 'SUPPLEMENT_REQUESTED', SUPPLEMENT_ASKED), at(LATER));
    act(dossier, 'commune-clerk', { action: 'submit-supplement' }, '2030-05-09T10:00');
    const again = callback(dossier, 'SUPPLEMENT_REQUESTED', SUPPLEMENT_ASKED);
    expect(refused(dossier, () => dossier.checkCallback(again)).type).toBe('LIMIT_REACHED');
  });

  it('refuses anything but an acceptance while the applicant is asked, with INVALID_STATE', () => {
    const dossier = withPartner();
    dossier.applyCallback(callback(dossier, 'SUPPLEMENT_REQUESTED', SUPPLEMENT_ASKED), at(LATER));
    expect(refused(dossier, () => dossier.checkCallback(callback(dossier, 'RESULT')))).toEqual({
      type: 'INVALID_STATE',
      message:
        "Dossier 000.31.01.H36-300506-0001 is AWAITING_SUPPLEMENT: the partner's RESULT waits for the applicant.",
    });
    expect(() => dossier.checkCallback(callback(dossier, 'ACCEPTED'))).not.toThrow();
  });
});

describe('a partner’s callback after the withdrawal', () => {
  it.each(['ACCEPTED', 'SUPPLEMENT_REQUESTED', 'RESULT', 'REFUSED'] as const)(
    'refuses %s cleanly with INVALID_STATE, changing nothing (no TypeError)',
    (kind) => {
      const dossier = withPartner();
      const late = callback(dossier, kind, { ...SUPPLEMENT_ASKED, reasons: ['Không đạt PCCC'] });
      act(dossier, 'commune-clerk', { action: 'withdraw', reason: 'Rút hồ sơ' }, LATER);
      expect(refused(dossier, () => dossier.applyCallback(late, at(LATER)))).toEqual({
        type: 'INVALID_STATE',
        message: `Dossier 000.31.01.H36-300506-0001 is WITHDRAWN: the partner's ${kind} about hand-off handoff-1 changes nothing.`,
      });
    },
  );

  it('refuses it for a dossier started before the change too (its segment still open)', () => {
    const dossier = exampleB([{ id: 'police-system', agencies: [POLICE] }], NO_PATCHES);
    throughCommune(dossier, HANDED);
    const late = callback(dossier, 'RESULT');
    act(dossier, 'commune-clerk', { action: 'withdraw', reason: 'Rút hồ sơ' }, LATER);
    expect(refused(dossier, () => dossier.applyCallback(late, at(LATER))).type).toBe('INVALID_STATE');
  });
});

describe('applyCallback', () => {
  it('records the partner’s acceptance and its own dossier code on the step', () => {
    const dossier = withPartner();
    const events = dossier.applyCallback(callback(dossier, 'ACCEPTED', { partnerDossierCode: 'CA-0001' }), at(LATER));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'SEGMENT_ACCEPTED',
        occurredAt: iso(LATER),
        payload: {
          segment: 'POLICE',
          partner: 'police-system',
          handoffId: 'handoff-1',
          partnerDossierCode: 'CA-0001',
          reportedAt: callback(dossier, 'ACCEPTED').reportedAt,
        },
      }),
    ]);
    expect(dossier.current?.note).toBe('Tiếp nhận tại hệ thống police-system: CA-0001');
  });

  it('pauses the dossier on the partner’s supplement request; the desk takes the documents', () => {
    const dossier = withPartner();
    const [requested] = dossier.applyCallback(callback(dossier, 'SUPPLEMENT_REQUESTED', SUPPLEMENT_ASKED), at(LATER));
    expect(requested).toMatchObject({
      type: 'SUPPLEMENT_REQUESTED',
      actorId: null,
      payload: { items: SUPPLEMENT_ASKED.items, reason: SUPPLEMENT_ASKED.note, handoffId: 'handoff-1', request: 1 },
    });
    expect(dossier).toMatchObject({ state: 'AWAITING_SUPPLEMENT', deadline: { dueAt: null } });
    act(dossier, 'commune-clerk', { action: 'submit-supplement' }, '2030-05-09T10:00');
    expect(dossier.state).toBe('IN_PROGRESS');
  });

  it('closes the dossier when the applicant lets the partner’s request lapse', () => {
    const dossier = withPartner();
    dossier.applyCallback(callback(dossier, 'SUPPLEMENT_REQUESTED', SUPPLEMENT_ASKED), at(LATER));
    expect(dossier.nextWakeAt()).toEqual(at('2030-05-29T10:00'));
    expect(types(dossier.fire(at('2030-05-29T10:00')))).toEqual(['CLOSED']);
    expect(dossier.outcome).toBe('CLOSED_NO_SUPPLEMENT');
  });

  it('takes the result in, judges the share, and hands the dossier to the province at once', () => {
    const dossier = withPartner();
    const result = callback(dossier, 'RESULT', { note: 'GCN ANTT số 09', result: { certificate: '09/GCN-ANTT' } });
    const events = dossier.applyCallback(result, at('2030-05-13T10:00'));
    expect(types(events)).toEqual(['SEGMENT_RESULT_RECEIVED', 'SEGMENT_COMPLETED', 'SEGMENT_HANDED_OVER']);
    expect(events[0].payload).toMatchObject({ result: { certificate: '09/GCN-ANTT' }, note: 'GCN ANTT số 09' });
    expect(events[1].payload).toMatchObject({ segment: 'POLICE', result: 'LATE', next: PROVINCE });
    expect(dossier.steps[3]).toMatchObject({
      code: 'POLICE',
      exit: 'COMPLETED',
      result: 'LATE',
      note: 'GCN ANTT số 09',
      handedTo: PROVINCE,
    });
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({
      completedAt: iso('2030-05-13T10:00'),
      result: 'LATE',
      outcome: 'COMPLETED',
    });
    expect(dossier.takeHandOver()).toMatchObject({
      segment: { code: 'PROVINCE' },
      handedOverAt: iso('2030-05-13T10:00'),
    });
  });

  it('ends processing on the partner’s refusal, the result going back through the desk', () => {
    const dossier = withPartner();
    const events = dossier.applyCallback(callback(dossier, 'REFUSED', { reasons: ['Không đạt PCCC'] }), at(LATER));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'REFUSED',
        payload: expect.objectContaining({ reasons: ['Không đạt PCCC'], step: 'POLICE', handoffId: 'handoff-1' }),
      }),
    ]);
    expect(dossier).toMatchObject({ state: 'READY_FOR_RETURN', outcome: 'REFUSED', activeSegment: null });
    expect(dossier.current).toMatchObject({ no: 5, code: 'K3', unit: COMMUNE });
    expect(dossier.snapshot(0).segments?.[1]).toMatchObject({ completedAt: iso(LATER), outcome: 'REFUSED' });
  });
});
