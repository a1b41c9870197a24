import fc from 'fast-check';
import { loadSeedCatalog } from '../../../persistence/src/catalog-seed';
import { DEMO_UNITS } from '../../../persistence/src/seed';
import { DEFAULT_SIGNING, type ProcedureDefinition } from './procedure.types';
import { validateProcedure } from './procedure.validation';

const units = new Set(DEMO_UNITS.map((u) => u.code));
const catalog = loadSeedCatalog();
const exampleA = (): ProcedureDefinition => structuredClone(catalog.find((p) => p.code === '2.000908')!);

describe(validateProcedure.name, () => {
  it('accepts every procedure of the seed catalog (the examples of §11 and a dozen more)', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(15);
    const levels = new Set(catalog.map((p) => p.level));
    expect(levels).toEqual(new Set(['PROVINCE', 'COMMUNE']));
    for (const p of catalog) {
      expect({ code: p.code, errors: validateProcedure(p, units) }).toEqual({ code: p.code, errors: [] });
    }
  });

  it('keeps example A as the brief gives it: 30 WD over 10 steps, the last one not counted', () => {
    const [c] = exampleA().version.cases;
    expect(c.steps).toHaveLength(10);
    expect(c.steps.filter((s) => s.counted).reduce((sum, s) => sum + s.budget.amount, 0)).toBe(30);
    expect(c.steps[4]).toMatchObject({ role: 'SPECIALIST', budget: { amount: 16, unit: 'WD' } });
  });

  it('says when budgets do not add up to the legal time', () => {
    const p = exampleA();
    p.version.cases[0].steps[4].budget.amount = 15;
    expect(validateProcedure(p, units)).toEqual([
      {
        field: 'version.cases[0].steps',
        message: 'counted step budgets add up to 29 WD but the legal processing time is 30 WD',
      },
    ]);
  });

  it('6. accepts a transfer rule for the desk step, and names a wrong medium or time of day', () => {
    const p = exampleA();
    p.version.cases[0].transfer = { medium: 'PAPER' };
    expect(validateProcedure(p, units)).toEqual([]);
    p.version.cases[0].transfer = { medium: 'FAX' as 'PAPER', nextDayFrom: '3pm' };
    expect(validateProcedure(p, units)).toEqual([
      { field: 'version.cases[0].transfer.medium', message: 'must be ELECTRONIC or PAPER' },
      { field: 'version.cases[0].transfer.nextDayFrom', message: 'must be a time of day HH:MM' },
    ]);
  });

  it('names unknown units, duplicate codes, unknown next steps and quarter-day budgets', () => {
    const p = exampleA();
    const steps = p.version.cases[0].steps;
    steps[2].unit = '000.99.99.H36';
    steps[3].code = 'S03';
    steps[5].next = ['S99'];
    steps[6].budget.amount = 1.1;
    expect(validateProcedure(p, units)).toEqual(
      expect.arrayContaining([
        { field: 'version.cases[0].steps[2].unit', message: 'unknown unit 000.99.99.H36' },
        { field: 'version.cases[0].steps[3].code', message: 'duplicate step code "S03"' },
        { field: 'version.cases[0].steps[5].next[0]', message: 'unknown step "S99"' },
        { field: 'version.cases[0].steps[6].budget.amount', message: 'must be a multiple of 0.25' },
      ]),
    );
  });

  it('refuses a cycle with no exit and a step nobody can reach', () => {
    const p = exampleA();
    const steps = p.version.cases[0].steps;
    steps[8].next = ['S07']; // S07 → S08 → S09 → S07 …, and S10 is never reached
    const errors = validateProcedure(p, units);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'version.cases[0].steps[9]', message: 'step "S10" cannot be reached from the first step "S01"' },
        { field: 'version.cases[0].steps[6].next', message: 'step "S07" is in a cycle with no way out to a last step' },
        { field: 'version.cases[0].steps[0].next', message: 'step "S01" is in a cycle with no way out to a last step' },
      ]),
    );
  });

  it('accepts a loop back to an earlier step when the processing can still finish', () => {
    const p = exampleA();
    p.version.cases[0].steps[5].next = ['S07', 'S05']; // the division head may send the draft back
    expect(validateProcedure(p, units)).toEqual([]);
  });

  it('checks the segments of a connected procedure against their agencies’ shares', () => {
    const b = structuredClone(catalog.find((p) => p.code === '1.014390')!);
    b.version.cases[0].segments![1].budget.amount = 4;
    expect(validateProcedure(b, units)).toEqual([
      {
        field: 'version.cases[0].segments[1].steps',
        message: "counted step budgets add up to 3 WD but the segment's budget is 4 WD",
      },
      {
        field: 'version.cases[0].segments',
        message: 'segment budgets add up to 17 WD but the legal processing time is 16 WD',
      },
    ]);
  });

  it('validates the procedure header and the clock policy', () => {
    const p = exampleA();
    p.code = '2.0009';
    p.localCode = '9.999999.H36';
    p.version.cases[0].clockPolicy = {
      supplement: 'STOP' as 'PAUSE',
      maxSupplementRequests: -1,
      applicantWindow: { amount: 0, unit: 'WD' },
    };
    expect(validateProcedure(p, units)).toEqual(
      expect.arrayContaining([
        { field: 'code', message: 'must be a national procedure code d.dddddd, e.g. 2.000908' },
        {
          field: 'localCode',
          message: 'must be the national code followed by the agency suffix, e.g. 2.0009.000.00.00.H36',
        },
        { field: 'version.cases[0].clockPolicy.supplement', message: 'must be RESTART or PAUSE' },
        { field: 'version.cases[0].clockPolicy.maxSupplementRequests', message: 'must be a whole number, 0 or more' },
        { field: 'version.cases[0].clockPolicy.applicantWindow.amount', message: 'must be positive' },
      ]),
    );
  });

  it('refuses a case returned at once with more than its one uncounted step', () => {
    const p = exampleA();
    p.version.cases[0].returnsImmediately = true;
    expect(validateProcedure(p, units)).toContainEqual({
      field: 'version.cases[0].steps',
      message: 'a case returned at once has exactly one step, not counted (counted: false)',
    });
  });

  it('refuses a key that is not a field at every level, naming its path and the fields allowed there', () => {
    // Keys a typo or a YAML value cut at a comma would leave, one at each level.
    const p = Object.assign(exampleA(), { legalbasis: 'typo' });
    const b = structuredClone(catalog.find((x) => x.code === '1.014390')!);
    Object.assign(p.version, { endsOn: '2026-01-01' });
    const c = Object.assign(p.version.cases[0], { fee: [] });
    c.cutoff = Object.assign({ cutoffTime: '15:00' }, { after: '16:00' });
    Object.assign(c.documents[0], { copies: 2 });
    Object.assign(c.steps[0], { 'kiểm tra': null });
    Object.assign(c.steps[1].budget, { hours: 4 });
    Object.assign(c.clockPolicy, { restart: true });
    c.fees = [Object.assign({ name: 'Lệ phí', amount: 1000 }, { currency: 'VND' })];
    Object.assign(b.version.cases[0].segments![0], { owner: 'xã' });
    expect(validateProcedure(p, units)).toEqual([
      {
        field: 'legalbasis',
        message: 'unknown field: a procedure has only code, localCode, name, field, level, resolvingAgency, version',
      },
      { field: 'version.endsOn', message: 'unknown field: a version has only effectiveFrom, legalBasis, cases' },
      {
        field: 'version.cases[0].fee',
        message:
          'unknown field: a case has only code, name, processingTime, returnsImmediately, cutoff, documents, fees, onlineLevel, clockPolicy, steps, segments, signing, transfer',
      },
      {
        field: 'version.cases[0].cutoff.after',
        message: 'unknown field: a cutoff has only lastOfficeHour, cutoffTime',
      },
      {
        field: 'version.cases[0].documents[0].copies',
        message: 'unknown field: a document has only code, name, mandatory, form, count',
      },
      { field: 'version.cases[0].fees[0].currency', message: 'unknown field: a fee has only name, amount, note' },
      {
        field: 'version.cases[0].clockPolicy.restart',
        message: 'unknown field: a clockPolicy has only supplement, maxSupplementRequests, applicantWindow',
      },
      {
        field: 'version.cases[0].steps[0].kiểm tra',
        message:
          'unknown field: a step has only code, name, unit, role, budget, counted, next (in YAML, quote a text with a comma inside { }: the comma ends the value)',
      },
      { field: 'version.cases[0].steps[1].budget.hours', message: 'unknown field: a duration has only amount, unit' },
    ]);
    expect(validateProcedure(b, units)).toEqual([
      {
        field: 'version.cases[0].segments[0].owner',
        message: 'unknown field: a segment has only code, name, agency, budget, steps',
      },
    ]);
  });

  it('names who signs form 04 and refusals as leaders’ roles, and refuses a specialist or an empty list as signatory', () => {
    const p = exampleA();
    expect(p.version.cases[0].signing).toEqual({ extension: ['AGENCY_LEADER'], refusal: ['AGENCY_LEADER'] });
    p.version.cases[0].signing = { extension: [], refusal: ['SPECIALIST' as 'AGENCY_LEADER'] };
    expect(validateProcedure(p, units)).toEqual([
      {
        field: 'version.cases[0].signing.extension',
        message: 'must list one or more of AGENCY_LEADER, UNIT_HEAD, DIVISION_HEAD (who signs for the agency)',
      },
      {
        field: 'version.cases[0].signing.refusal',
        message: 'must list one or more of AGENCY_LEADER, UNIT_HEAD, DIVISION_HEAD (who signs for the agency)',
      },
    ]);
  });

  it('leaves the signatories to DEFAULT_SIGNING when a case does not name them', () => {
    const p = exampleA();
    delete p.version.cases[0].signing;
    expect(validateProcedure(p, units)).toEqual([]);
    expect(DEFAULT_SIGNING).toEqual({
      extension: ['AGENCY_LEADER', 'UNIT_HEAD'],
      refusal: ['AGENCY_LEADER', 'UNIT_HEAD'],
    });
  });

  it('answers a missing or non-object body with one error naming it (POST /procedures with no body was a 500)', () => {
    for (const body of [undefined, null, 'text', 42, [exampleA()]]) {
      expect(validateProcedure(body as unknown as ProcedureDefinition, units)).toEqual([
        {
          field: 'body',
          message:
            'must be a procedure: a JSON object with code, localCode, name, field, level, resolvingAgency, version',
        },
      ]);
    }
  });

  it('names the part of the wrong kind instead of reading fields of it: a list that is text, a step that is null', () => {
    const p = exampleA() as unknown as { version: { cases: Record<string, unknown>[] } };
    p.version.cases[0].documents = 'VB-DE-NGHI';
    (p.version.cases[0].steps as unknown[])[3] = null;
    p.version.cases[0].cutoff = { cutoffTime: '25:00' };
    expect(validateProcedure(p as unknown as ProcedureDefinition, units)).toEqual([
      { field: 'version.cases[0].cutoff.cutoffTime', message: 'must be a time of day HH:MM' },
      { field: 'version.cases[0].documents', message: 'must be a list of documents' },
      { field: 'version.cases[0].steps[3]', message: 'must be an object (step)' },
    ]);
  });

  it('quotes a code that is not text as JSON: an object whose toString is not a function threw in a template', () => {
    const p = { ...exampleA(), code: { toString: '' }, localCode: 'x' } as unknown as ProcedureDefinition;
    expect(validateProcedure(p, units).slice(0, 2)).toEqual([
      { field: 'code', message: 'must be a national procedure code d.dddddd, e.g. 2.000908' },
      {
        field: 'localCode',
        message: 'must be the national code followed by the agency suffix, e.g. {"toString":""}.000.00.00.H36',
      },
    ]);
  });

  it('never throws, whatever JSON arrives in place of a procedure or of any part of it', () => {
    const junk = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(junk, (value) => {
        expect(Array.isArray(validateProcedure(value as unknown as ProcedureDefinition, units))).toBe(true);
      }),
    );
    /** Every path to a node of example A: each is replaced by junk in turn. */
    const paths = (value: unknown, at: (string | number)[] = []): (string | number)[][] =>
      value !== null && typeof value === 'object'
        ? [at, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, Array.isArray(value) ? Number(k) : k]))]
        : [at];
    fc.assert(
      fc.property(fc.constantFrom(...paths(exampleA()).filter((p) => p.length > 0)), junk, (path, value) => {
        const p = exampleA() as unknown as Record<string | number, unknown>;
        const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((v, k) => v[k] as never, p);
        parent[path[path.length - 1]] = value;
        expect(Array.isArray(validateProcedure(p as unknown as ProcedureDefinition, units))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
