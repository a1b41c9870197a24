import { type RunningProduct, startProduct } from '../support/product';

/** A deployment configured with Circular 04/2025's pattern issues, serves and prints codes of that pattern. */
describe('dossier codes under DOSSIER_CODE_PATTERN (e2e)', () => {
  let product: RunningProduct;
  let clerk: string;

  beforeAll(async () => {
    product = await startProduct({ worker: false, overrides: { DOSSIER_CODE_PATTERN: '{UNIT}-{YYMMDD}-DV{SEQ}' } });
    clerk = await product.token('clerk');
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('issues <unit>-YYMMDD-AAXXXX at intake and serves the dossier and its receipt at that code', async () => {
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    expect(code).toMatch(/^000\.00\.20\.H36-\d{6}-DV0001$/);
    expect(received.body.receipt.data.register.line).toBe(1);

    const dossier = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
    expect({ status: dossier.status, code: dossier.body.code }).toEqual({ status: 200, code });
    const receipt = await product.request('GET', `/api/v1/dossiers/${code}/documents/receipt`, { token: clerk });
    expect({ status: receipt.status, number: receipt.body.number }).toEqual({ status: 200, number: code });
  });

  it('still accepts codes of the legal pattern in routes (issued before a change of pattern), and refuses others', async () => {
    const legal = await product.request('GET', '/api/v1/dossiers/000.00.20.H36-260316-0007', { token: clerk });
    expect(legal.status).toBe(404);
    const malformed = await product.request('GET', '/api/v1/dossiers/000.00.20.H36-260316-D0007', { token: clerk });
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors).toEqual([
      { field: 'code', message: 'code must be a dossier code like 000.00.20.H36-260316-0007' },
    ]);
  });
});
