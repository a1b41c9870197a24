import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { DOSSIER_WORKFLOW_RELEASE } from '../../workflows/dossier.types';
import { EXAMPLE_A_USERS, EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { eventually } from '../support/infrastructure';
import { testDataConverter } from '../support/payload-keys';
import { type RunningProduct, startProduct } from '../support/product';

const intake = (overrides: Record<string, unknown> = {}) => ({
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
  ...overrides,
});

/** Over HTTP through the running API and worker, on a real PostgreSQL and a real Temporal dev server. */
describe('dossier intake to returned result (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;

  beforeAll(async () => {
    product = await startProduct({
      overrides: { PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE: '20', PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR: '6' },
    });
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await product?.stop();
  });

  const dossierCount = async (): Promise<number> => (await db.query(`SELECT count(*)::int AS n FROM dossiers`))[0].n;

  it('reports every part up in health (each part’s detail to an officer)', async () => {
    const res = await product.request('GET', '/api/v1/health', { token: await product.token('clerk') });
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

  it('receives a dossier with its receipt, walks every step by the right roles and returns the result', async () => {
    const tokens: Record<string, string> = {};
    for (const u of EXAMPLE_A_USERS) {
      tokens[u] = await product.token(u);
    }
    const received = await product.request('POST', '/api/v1/dossiers', { token: tokens.clerk, body: intake() });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    expect(code).toMatch(/^000\.00\.20\.H36-\d{6}-\d{4}$/);
    expect(received.headers.get('location')).toBe(`/api/v1/dossiers/${code}`);
    expect(received.body).toMatchObject({ nationalStatus: 2, history: [{ seq: 0, type: 'RECEIVED' }] });
    expect(received.body.receipt).toMatchObject({
      form: '01',
      data: { legalProcessingTime: '30 ngày làm việc', lookupPin: expect.stringMatching(/^\d{6}$/) },
    });
    expect(received.body.receipt.data.documents.map((d: { code: string }) => d.code)).toEqual([
      'VB-DE-NGHI',
      'GT-TRU-SO',
    ]);
    expect(received.body.promisedAt).toEqual(expect.any(String));

    await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: tokens.clerk });
      return res.body.currentStep?.code === 'S01' ? res.body : undefined;
    }, 'the workflow to take the dossier into processing');

    const act = async (who: string, action: string, body: Record<string, unknown> = {}) => {
      const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, {
        token: tokens[who],
        body,
      });
      expect({ who, action, status: res.status, detail: res.body.detail }).toMatchObject({ status: 200 });
      // What the officer may do next came with the workflow's answer (no query): the same as reading the dossier.
      const read = await product.request('GET', `/api/v1/dossiers/${code}`, { token: tokens[who] });
      const offered = (v: Record<string, unknown>) => [v.allowedActions, v.nextSteps, v.returnTargets];
      expect({ who, action, offered: offered(res.body) }).toEqual({ who, action, offered: offered(read.body) });
      return res.body;
    };
    // The wrong holder is refused with the reason and nothing changes.
    const wrong = await product.request('POST', `/api/v1/dossiers/${code}/actions/complete`, {
      token: tokens.head,
      body: {},
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ code: 'FORBIDDEN', rule: 'NOT_HOLDER' });
    const walk = EXAMPLE_A_WALK.slice(0, -1);
    for (const [i, [who, action, body]] of walk.entries()) {
      await act(who, action, body);
      if (i === 5) {
        // The division head assigned the specialist: it is on the specialist's worklist.
        const worklist = await product.request('GET', '/api/v1/dossiers?assignedTo=me', { token: tokens.specialist });
        expect(worklist.body.items.map((d: { code: string }) => d.code)).toContain(code);
      }
    }
    const processed = await act('dept-clerk', 'complete');
    expect(processed).toMatchObject({ state: 'READY_FOR_RETURN', nationalStatus: 9, timeliness: 'EARLY' });
    const returned = await act('clerk', 'return-result', { deliveryMethod: 'ELECTRONIC' });
    expect(returned).toMatchObject({
      state: 'RESULT_RETURNED',
      nationalStatus: 10,
      nationalStatusLabel: 'Đã trả kết quả',
    });
    expect(returned.steps).toHaveLength(10);

    // The same walk in the national table by step and by officer (step instances, not dossiers).
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const admin = await product.token('admin');
    const table = async (groupBy: string) =>
      (
        await product.request(
          'GET',
          `/api/v1/reports/progress?from=${today}&to=${today}&unit=000.00.00.H36&groupBy=${groupBy}`,
          {
            token: admin,
          },
        )
      ).body as { rows: { key: string; name: string; counts: Record<string, number> }[] };
    const bySteps = await table('step');
    const counted = (
      await db.query<{ code: string }[]>(
        `SELECT code FROM dossier_steps WHERE dossier_code = $1 AND counted ORDER BY code`,
        [code],
      )
    ).map((r) => r.code);
    expect(bySteps.rows.map((r) => r.key)).toEqual(counted);
    for (const row of bySteps.rows) {
      expect({ step: row.key, total: row.counts.total, resolved: row.counts.resolved }).toEqual({
        step: row.key,
        total: 1,
        resolved: 1,
      });
    }
    expect(bySteps.rows.find((r) => r.key === 'S05')).toMatchObject({
      counts: expect.objectContaining({ resolved: 1, late: 0, inProgress: 0 }),
    });
    const byOfficer = await table('officer');
    expect(byOfficer.rows.find((r) => r.name === 'Lê Minh Châu')?.counts).toMatchObject({ resolved: 1 });

    const again = await product.request('POST', `/api/v1/dossiers/${code}/actions/return-result`, {
      token: tokens.clerk,
      body: { deliveryMethod: 'IN_PERSON' },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');

    const sheet = await product.request('GET', `/api/v1/dossiers/${code}/documents/control-sheet`, {
      token: tokens.clerk,
    });
    expect(sheet.body.data.rows).toHaveLength(10);
    const pdf = await product.request('GET', `/api/v1/dossiers/${code}/documents/receipt`, {
      token: tokens.clerk,
      headers: { Accept: 'application/pdf' },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
  });

  it("starts the dossier's workflow with its unit's calendar and this build's release, so its first task loads and records nothing more", async () => {
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: await product.token('clerk'),
      body: intake(),
    });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    const connection = await Connection.connect({ address: product.config.TEMPORAL_ADDRESS });
    try {
      const client = new Client({
        connection,
        namespace: product.config.TEMPORAL_NAMESPACE,
        dataConverter: testDataConverter(),
      });
      const handle = client.workflow.getHandle(code);
      const history = await eventually(async () => {
        const h = await handle.fetchHistory().catch(() => undefined);
        return h?.events?.some((e) => e.timerStartedEventAttributes) ? h : undefined;
      }, 'the workflow to wait for its first timer');
      const events = history.events ?? [];
      expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toEqual([]);
      // Started under this build's release of the rules: no patch marker, no search-attribute upsert per change.
      expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toEqual([]);
      expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
      const [started] = await testDataConverter().payloadCodecs![0].decode(
        events[0].workflowExecutionStartedEventAttributes!.input!.payloads!,
      );
      const input = JSON.parse(Buffer.from(started.data!).toString('utf8'));
      expect(input.release).toBe(DOSSIER_WORKFLOW_RELEASE);
      // The chain of the desk's unit, and the national years the dossier can reach (seeded: 2025–2027).
      expect(input.calendar).toMatchObject({ chain: ['VN', 'H36', '000.00.20.H36'], timeZone: 'Asia/Ho_Chi_Minh' });
      const receivedYear = new Date(received.body.receivedAt).getUTCFullYear();
      expect(input.calendar.entries.length).toBeGreaterThan(0);
      for (const entry of input.calendar.entries) {
        expect(entry.year).toBeGreaterThanOrEqual(receivedYear - 1);
      }
      // The same due time as the receipt's promise, computed by the API from the same calendar.
      const read = await product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token('clerk') });
      expect(read.body.dueAt).toBe(received.body.promisedAt);
    } finally {
      await connection.close();
    }
  });

  it('receives a procedure that returns at once (2.000635) and returns it in the same visit, judged on time', async () => {
    const clerk = await product.token('commune-clerk');
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: intake({
        procedureCode: '2.000635',
        receivingUnitCode: '000.31.01.H36',
        documents: [{ code: 'TK-YC' }, { code: 'CCCD' }],
      }),
    });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    const atDesk = await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
      return res.body.currentStep?.code === 'R1' ? res.body : undefined;
    }, 'the workflow to take the dossier into processing');
    expect(atDesk.allowedActions).toContain('return-result');

    const returned = await product.request('POST', `/api/v1/dossiers/${code}/actions/return-result`, {
      token: clerk,
      body: { deliveryMethod: 'IN_PERSON' },
    });
    expect({ status: returned.status, detail: returned.body.detail }).toEqual({ status: 200, detail: undefined });
    expect(returned.body).toMatchObject({
      state: 'RESULT_RETURNED',
      nationalStatus: 10,
      outcome: 'APPROVED',
      timeliness: 'ON_TIME',
      breaches: [],
    });
    const [row] = await db.query(`SELECT state, timeliness FROM dossiers WHERE code = $1`, [code]);
    expect(row).toEqual({ state: 'RESULT_RETURNED', timeliness: 'ON_TIME' });
  });

  it('lets the applicant look up the status with the receipt PIN, shows nothing personal, and limits guessing', async () => {
    const clerk = await product.token('clerk');
    const received = await product.request('POST', '/api/v1/dossiers', { token: clerk, body: intake() });
    const { code } = received.body as { code: string };
    const pin: string = received.body.receipt.data.lookupPin;
    const lookup = (c: string, p: string) =>
      product.request('POST', `/public/v1/dossiers/${c}/lookup`, { body: { pin: p } });

    await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
      return res.body.state === 'IN_PROGRESS' ? res : undefined;
    }, 'the dossier taken into processing');
    const found = await lookup(code, pin);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({
      code,
      procedure: { code: '2.000908' },
      nationalStatus: 4,
      promisedAt: received.body.promisedAt,
      statusMessage: expect.stringMatching(/^Đang xử lý .*hẹn trả kết quả \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/),
    });
    const text = JSON.stringify(found.body);
    for (const personal of ['Nguyễn Văn An', '001203004567', 'Nguyễn Thị Lan', 'lookupPin', pin]) {
      expect(text).not.toContain(personal);
    }

    // A wrong PIN and an unknown code get the same answer: the lookup does not confirm which codes exist.
    const wrong = await lookup(code, pin === '000000' ? '000001' : '000000');
    const unknown = await lookup('000.00.20.H36-990101-0001', pin);
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(wrong.body.detail).toBe(unknown.body.detail);
    const malformed = await lookup(code, '12ab');
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'pin' })]);

    // Six lookups of one code per hour (set for this test): the seventh is refused, even with the right PIN.
    const guesses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      guesses.push((await lookup(code, String(100000 + i))).status);
    }
    expect(guesses).toEqual([404, 404, 404]);
    const locked = await lookup(code, pin);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(locked.body.detail).toMatch(/^Too many lookups of this dossier/);

    // Twenty lookups per client per minute, whatever the codes: this client has made 8 so far.
    const flood: number[] = [];
    for (let i = 0; i < 13; i += 1) {
      flood.push((await lookup(`000.00.20.H36-990101-${String(i + 2).padStart(4, '0')}`, '123456')).status);
    }
    expect(flood).toEqual([...Array<number>(12).fill(404), 429]);
    // Officers' routes are not limited by it.
    expect((await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk })).status).toBe(200);
  });

  it('refuses a dossier with a missing document with the form 02 guidance, and an extra one by name; stores nothing', async () => {
    const clerk = await product.token('clerk');
    const before = await dossierCount();
    const missing = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: intake({ documents: [{ code: 'VB-DE-NGHI' }] }),
    });
    expect(missing.status).toBe(422);
    expect(missing.body.guidance).toMatchObject({ form: '02', items: [{ no: 1, code: 'GT-TRU-SO' }] });
    const extra = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: intake({ documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }, { code: 'SO-HO-KHAU' }] }),
    });
    expect(extra.status).toBe(422);
    expect(extra.body.errors).toEqual([
      expect.objectContaining({ field: 'documents[2].code', message: expect.stringContaining('"SO-HO-KHAU"') }),
    ]);
    expect(await dossierCount()).toBe(before);
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
      body: intake({ channel: 'ONLINE' }),
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
