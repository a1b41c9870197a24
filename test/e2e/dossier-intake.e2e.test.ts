import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const intake = (overrides: Record<string, unknown> = {}) => ({
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  ...overrides,
});

/** Over HTTP through the running API and worker, on a real PostgreSQL and a real Temporal dev server. */
describe('dossier intake to returned result (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;

  beforeAll(async () => {
    product = await startProduct();
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await product?.stop();
  });

  const dossierCount = async (): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM dossiers`))[0].n;

  it('reports every part up in health', async () => {
    const res = await product.request('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'up',
      components: {
        postgres: { status: 'up' },
        temporal: { status: 'up' },
        worker: { status: 'up', taskQueue: product.config.TEMPORAL_TASK_QUEUE },
        outbox: { status: 'up' },
      },
    });
  });

  it('serves the OpenAPI document and UI', async () => {
    const doc = await product.request('GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/dossiers', '/api/v1/dossiers/{code}', '/api/v1/health', '/api/v1/auth/token']),
    );
    const ui = await fetch(`${product.baseUrl}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('receives a dossier, processes it in its workflow and returns the result', async () => {
    const clerk = await product.token('clerk');
    const received = await product.request('POST', '/api/v1/dossiers', { token: clerk, body: intake() });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    expect(code).toMatch(/^000\.00\.20\.H36-\d{6}-\d{4}$/);
    expect(received.headers.get('location')).toBe(`/api/v1/dossiers/${code}`);
    expect(received.body).toMatchObject({
      nationalStatus: 2,
      nationalStatusLabel: 'Đã tiếp nhận',
      history: [{ seq: 0, type: 'RECEIVED' }],
    });

    const processing = await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
      return res.body.nationalStatus === 4 ? res.body : undefined;
    }, 'the workflow to take the dossier into processing');
    expect(processing.processingStartedAt).toEqual(expect.any(String));

    const returned = await product.request('POST', `/api/v1/dossiers/${code}/actions/return-result`, {
      token: clerk,
      body: { deliveryMethod: 'IN_PERSON', note: 'Đã trả tận tay' },
    });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ nationalStatus: 10, nationalStatusLabel: 'Đã trả kết quả' });
    expect(returned.body.history.map((e: { type: string }) => e.type)).toEqual([
      'RECEIVED',
      'PROCESSING_STARTED',
      'RESULT_RETURNED',
    ]);

    const again = await product.request('POST', `/api/v1/dossiers/${code}/actions/return-result`, {
      token: clerk,
      body: { deliveryMethod: 'IN_PERSON' },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body.code).toBe('INVALID_STATE');
    const after = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
    expect(after.body.history).toHaveLength(3);
  });

  it('gives the same dossier for a retried Idempotency-Key and refuses the key with another body', async () => {
    const clerk = await product.token('clerk');
    const headers = { 'Idempotency-Key': 'intake-retry-1' };
    const first = await product.request('POST', '/api/v1/dossiers', { token: clerk, body: intake(), headers });
    const before = await dossierCount();
    const retry = await product.request('POST', '/api/v1/dossiers', { token: clerk, body: intake(), headers });
    expect(retry.status).toBe(201);
    expect(retry.body.code).toBe(first.body.code);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const other = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: intake({ procedureCode: '1.014390' }),
      headers,
    });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await dossierCount()).toBe(before);
  });

  it('refuses invalid intake with every field and rule named, storing nothing', async () => {
    const clerk = await product.token('clerk');
    const before = await dossierCount();
    const res = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: intake({
        procedureCode: '2.09',
        channel: 'FAX',
        applicant: { type: 'ORGANISATION', idNumber: '12', name: '' },
        extra: true,
      }),
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'procedureCode', message: 'procedureCode must be a national procedure code like 2.000908' },
        { field: 'channel', message: 'channel must be one of the following values: IN_PERSON, ONLINE, POSTAL' },
        {
          field: 'applicant.idNumber',
          message: 'idNumber must be the organisation tax code: 10 digits, or 10 digits-3 digits for a branch',
        },
        { field: 'applicant.name', message: 'name must be longer than or equal to 1 characters' },
        { field: 'extra', message: 'property extra should not exist' },
      ]),
    );
    expect(await dossierCount()).toBe(before);
  });

  it('refuses callers without a token, with a bad token, outside their unit or role', async () => {
    expect((await product.request('POST', '/api/v1/dossiers', { body: intake() })).status).toBe(401);
    const forged = await product.request('POST', '/api/v1/dossiers', {
      token: 'eyJhbGciOiJIUzI1NiJ9.e30.x',
      body: intake(),
    });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('UNAUTHENTICATED');

    const communeClerk = await product.token('commune-clerk');
    const elsewhere = await product.request('POST', '/api/v1/dossiers', { token: communeClerk, body: intake() });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toContain('may not receive dossiers for unit 000.00.20.H36');

    const specialist = await product.token('specialist');
    const wrongRole = await product.request('POST', '/api/v1/dossiers', { token: specialist, body: intake() });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.detail).toContain('DESK_CLERK');

    const unknown = await product.request('POST', '/api/v1/auth/token', { body: { username: 'nobody' } });
    expect(unknown.status).toBe(422);
  });

  it('masks the applicant identification number for roles that do not need it', async () => {
    const clerk = await product.token('clerk');
    const { body } = await product.request('POST', '/api/v1/dossiers', { token: clerk, body: intake() });
    const admin = await product.token('admin');
    expect(
      (await product.request('GET', `/api/v1/dossiers/${body.code}`, { token: admin })).body.applicant.idNumber,
    ).toBe('001203004567');
    const head = await product.token('head');
    expect(
      (await product.request('GET', `/api/v1/dossiers/${body.code}`, { token: head })).body.applicant.idNumber,
    ).toBe('001******567');
  });
});
