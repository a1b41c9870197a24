import { loadSeedCatalog } from '../../libs/persistence/src';
import { type RunningProduct, startProduct } from '../support/product';

describe('procedure catalog over HTTP', () => {
  let product: RunningProduct;
  let admin: string;
  const certification = () => structuredClone(loadSeedCatalog().find((p) => p.code === '2.000815')!);

  beforeAll(async () => {
    product = await startProduct({ worker: false });
    admin = await product.token('admin');
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('lists the seeded catalog to anyone, in Vietnamese, with the version in force', async () => {
    const res = await product.request('GET', '/api/v1/procedures');
    expect(res.status).toBe(200);
    expect(res.body.procedures.length).toBeGreaterThanOrEqual(15);
    expect(res.body.procedures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: '2.000908', field: 'Tôn giáo', level: 'PROVINCE', currentVersion: 1 }),
        expect.objectContaining({ code: '1.001193', name: 'Thủ tục đăng ký khai sinh', level: 'COMMUNE' }),
      ]),
    );
  });

  it('serves a procedure with its full definition: cases, documents, fees, steps, clock policy, segments', async () => {
    const res = await product.request('GET', '/api/v1/procedures/1.014390');
    expect(res.status).toBe(200);
    const [c] = res.body.version.definition.cases;
    expect(c.processingTime).toEqual({ amount: 16, unit: 'WD' });
    expect(c.segments.map((s: { agency: string; budget: { amount: number } }) => [s.agency, s.budget.amount])).toEqual([
      ['000.31.01.H36', 3],
      ['000.00.05.H36', 3],
      ['000.00.00.H36', 10],
    ]);
    expect(c.clockPolicy).toEqual({
      supplement: 'PAUSE',
      maxSupplementRequests: 1,
      applicantWindow: { amount: 15, unit: 'WD' },
    });
    expect((await product.request('GET', '/api/v1/procedures/9.999999')).status).toBe(404);
    expect((await product.request('GET', '/api/v1/procedures/2.000908?version=7')).status).toBe(404);
  });

  it('publishes a new version for admins only, and uses it from its effective date', async () => {
    const next = certification();
    next.version.effectiveFrom = '2030-01-01';
    next.version.cases[0].fees[0].amount = 3000;
    expect(
      (await product.request('POST', '/api/v1/procedures', { token: await product.token('clerk'), body: next })).status,
    ).toBe(403);
    const res = await product.request('POST', '/api/v1/procedures', { token: admin, body: next });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ code: '2.000815', versionNo: 2, replaced: false });
    const today = await product.request('GET', '/api/v1/procedures/2.000815');
    expect(today.body.version.versionNo).toBe(1);
    expect(today.body.versions.map((v: { effectiveFrom: string }) => v.effectiveFrom)).toEqual([
      '2025-07-01',
      '2030-01-01',
    ]);
    const later = await product.request('GET', '/api/v1/procedures/2.000815?on=2030-06-01');
    expect(later.body.version.definition.cases[0].fees[0].amount).toBe(3000);
  });

  it('answers a procedure sent with no body, or a body that is not an object, with a problem, never a 500', async () => {
    const answers = [];
    for (const body of [
      undefined,
      '',
      '[]',
      'null',
      '42',
      '{"code": "2.000815",',
      `{"name": "${'x'.repeat(110_000)}"}`,
    ]) {
      const res = await fetch(`${product.baseUrl}/api/v1/procedures`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${admin}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body,
      });
      const problem = (await res.json()) as { errors?: { field: string }[] };
      answers.push({
        body,
        status: res.status,
        type: res.headers.get('content-type'),
        fields: problem.errors?.map((e) => e.field),
      });
    }
    const problem = 'application/problem+json; charset=utf-8';
    expect(answers).toEqual([
      // No body at all: the body named (this was the 500 of issue 16, item 9: `code` read of undefined).
      { body: undefined, status: 422, type: problem, fields: ['body'] },
      // An empty JSON body is an empty object: each required field named.
      { body: '', status: 422, type: problem, fields: expect.arrayContaining(['code', 'name', 'version']) },
      { body: '[]', status: 422, type: problem, fields: ['body'] },
      // JSON other than an object or array: refused by the strict JSON parser as malformed, the body named.
      { body: 'null', status: 400, type: problem, fields: ['body'] },
      { body: '42', status: 400, type: problem, fields: ['body'] },
      { body: '{"code": "2.000815",', status: 400, type: problem, fields: ['body'] },
      // Past the parser's 100 kB: 413 naming the body (it was a 500).
      { body: expect.stringMatching(/^{"name"/), status: 413, type: problem, fields: ['body'] },
    ]);
  });

  it('refuses an invalid version with every path and rule named, and stores nothing', async () => {
    const bad = certification();
    bad.version.effectiveFrom = '2031-01-01';
    bad.version.cases[0].steps[1].budget = { amount: 3, unit: 'WH' };
    bad.version.cases[0].steps[0].unit = '000.77.77.H36';
    bad.version.cases[0].steps[2].next = ['T1'];
    const res = await product.request('POST', '/api/v1/procedures', { token: admin, body: bad });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'version.cases[0].steps[0].unit', message: 'unknown unit 000.77.77.H36' },
        {
          field: 'version.cases[0].steps',
          message: 'counted step budgets add up to 3.5 WH but the legal processing time is 2 WH',
        },
        {
          field: 'version.cases[0].steps',
          message: 'no step ends the processing (a last step has an empty next list)',
        },
      ]),
    );
    const after = await product.request('GET', '/api/v1/procedures/2.000815');
    expect(after.body.versions.map((v: { effectiveFrom: string }) => v.effectiveFrom)).not.toContain('2031-01-01');
  });

  it('keeps a version immutable once a dossier uses it; an unused one may be corrected', async () => {
    const clerk = await product.token('commune-clerk');
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: {
        procedureCode: '2.000815',
        receivingUnitCode: '000.31.01.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '068095001234', name: 'K’ Brêu' },
        documents: [{ code: 'BAN-CHINH' }],
      },
    });
    expect(received.status).toBe(201);
    const current = certification();
    current.version.cases[0].fees[0].amount = 1;
    const res = await product.request('POST', '/api/v1/procedures', { token: admin, body: current });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('is used by 1 dossier(s) and can no longer change');

    const unused = certification();
    unused.version.effectiveFrom = '2030-01-01';
    unused.version.cases[0].fees[0].amount = 3500;
    const corrected = await product.request('POST', '/api/v1/procedures', { token: admin, body: unused });
    expect(corrected.body).toEqual({ code: '2.000815', versionNo: 2, replaced: true });
    const procedure = await product.request('GET', '/api/v1/procedures/2.000815');
    expect(procedure.body.versions[0]).toMatchObject({ versionNo: 1, dossiersUsing: 1 });
  });

  it('refuses intake for a procedure not in the catalog or an unknown case', async () => {
    const clerk = await product.token('clerk');
    const body = {
      procedureCode: '9.999999',
      receivingUnitCode: '000.00.20.H36',
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
      documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
    };
    const unknown = await product.request('POST', '/api/v1/dossiers', { token: clerk, body });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('procedureCode');
    const badCase = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: { ...body, procedureCode: '2.000908', caseCode: 'other' },
    });
    expect(badCase.status).toBe(422);
    expect(badCase.body.errors).toEqual([{ field: 'caseCode', message: 'must be one of default' }]);
  });
});
