import { mayAttachResult, mustSupersede, type ResultDossier } from './result-rules';

const DESK = '000.00.20.H36';
const decided: ResultDossier = {
  state: 'READY_FOR_RETURN',
  outcome: 'APPROVED',
  receivingUnitCode: DESK,
  steps: [
    { no: 1, completedAt: '2026-12-01T02:00:00Z', holder: { officerId: 'clerk' } },
    { no: 2, completedAt: '2026-12-03T02:00:00Z', holder: { officerId: 'dept-clerk' } },
    { no: 3, completedAt: null, holder: { officerId: 'someone' } },
  ],
};
const officer = (officerId: string, roles: string[], units: string[] = []) => ({
  officerId,
  roles,
  units: units.map((code) => ({ code })),
});

describe('mayAttachResult', () => {
  it('lets the officer who completed the last step attach the result', () => {
    expect(mayAttachResult(officer('dept-clerk', ['SPECIALIST']), decided)).toBe(true);
  });

  it('lets the desk of the receiving unit attach it, not a desk elsewhere', () => {
    expect(mayAttachResult(officer('clerk2', ['DESK_CLERK'], [DESK]), decided)).toBe(true);
    expect(mayAttachResult(officer('clerk3', ['DESK_CLERK'], ['000.31.01.H36']), decided)).toBe(false);
  });

  it('refuses anyone else, an administrator included, and an earlier step’s officer', () => {
    expect(mayAttachResult(officer('admin', ['ADMIN'], [DESK]), decided)).toBe(false);
    expect(mayAttachResult(officer('clerk', ['SPECIALIST']), decided)).toBe(false);
  });

  it('offers nothing before the decision, nor for a withdrawn dossier', () => {
    const desk = officer('clerk2', ['DESK_CLERK'], [DESK]);
    expect(mayAttachResult(desk, { ...decided, state: 'IN_PROGRESS', outcome: null })).toBe(false);
    expect(mayAttachResult(desk, { ...decided, state: 'WITHDRAWN', outcome: 'WITHDRAWN' })).toBe(false);
    expect(mayAttachResult(desk, { ...decided, state: 'RESULT_RETURNED', outcome: 'REFUSED' })).toBe(true);
  });

  it('takes the last step by completion time, then by number', () => {
    const tie: ResultDossier = {
      ...decided,
      steps: [
        { no: 4, completedAt: '2026-12-03T02:00:00Z', holder: { officerId: 'later' } },
        { no: 3, completedAt: '2026-12-03T02:00:00Z', holder: { officerId: 'earlier' } },
      ],
    };
    expect(mayAttachResult(officer('later', ['SPECIALIST']), tie)).toBe(true);
    expect(mayAttachResult(officer('earlier', ['SPECIALIST']), tie)).toBe(false);
  });
});

describe('mustSupersede', () => {
  it('asks a returned result to be superseded, not added to', () => {
    expect(mustSupersede('RESULT_RETURNED', [{ superseded: null }])).toBe(true);
  });

  it('adds freely before return, or when every returned result was already replaced', () => {
    expect(mustSupersede('READY_FOR_RETURN', [{ superseded: null }])).toBe(false);
    expect(mustSupersede('RESULT_RETURNED', [])).toBe(false);
    expect(mustSupersede('RESULT_RETURNED', [{ superseded: { by: 'x', at: 'y' } }])).toBe(false);
  });
});
