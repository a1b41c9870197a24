import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const EXAMPLE_A = {
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
};

interface AuditRow {
  seq: string;
  actor: string;
  actor_id: string | null;
  action: string;
  dossier_code: string | null;
  purpose: string;
  client_address: string | null;
  details: Record<string, unknown>;
}

/**
 * The audit trail of personal data: every read of a dossier's personal data (its page, its forms, the register, the
 * worklists, the exports) and every change writes who, what, when, from where and why; nobody can edit it unseen.
 */
describe('audit trail (e2e)', () => {
  let product: RunningProduct;
  let db: DataSource;
  let code: string;

  beforeAll(async () => {
    product = await startProduct();
    db = product.api.get(DataSource);
  });

  afterAll(async () => {
    await product?.stop();
  });

  const as = async (username: string) => {
    const token = await product.token(username);
    return (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
      product.request(method, path, { token, ...options });
  };
  const rows = (): Promise<AuditRow[]> => db.query(`SELECT * FROM audit_log ORDER BY seq`);
  const lastRow = async (): Promise<AuditRow> => (await rows()).at(-1)!;
  const verify = async () => (await (await as('auditor'))('GET', '/api/v1/audit/verify')).body;
  /** The superuser, outside the application: what a database administrator could do by hand. */
  const asSuperuser = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: product.config.DATABASE_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  it('records the intake, who did it, from where and why', async () => {
    const clerk = await as('clerk');
    const received = await clerk('POST', '/api/v1/dossiers', { body: EXAMPLE_A });
    expect(received.status).toBe(201);
    code = received.body.code;
    const [clerkOfficer] = await db.query(`SELECT id FROM officers WHERE username = 'clerk'`);
    expect(await lastRow()).toMatchObject({
      actor: 'clerk',
      actor_id: clerkOfficer.id,
      action: 'dossier.receive',
      dossier_code: code,
      purpose: 'receiving the dossier',
      client_address: expect.stringMatching(/127\.0\.0\.1$/),
    });
    await eventually(
      async () => ((await clerk('GET', `/api/v1/dossiers/${code}`)).body.state === 'IN_PROGRESS' ? true : undefined),
      'the workflow to start',
    );
  });

  it('records every read of the dossier, its forms, the worklist and the register, with the purpose given', async () => {
    const clerk = await as('clerk');
    const before = Number((await lastRow()).seq);
    const purpose = 'Kiểm tra hồ sơ theo yêu cầu của lãnh đạo';
    expect(
      (await clerk('GET', `/api/v1/dossiers/${code}`, { headers: { 'x-purpose': encodeURIComponent(purpose) } }))
        .status,
    ).toBe(200);
    expect((await clerk('GET', `/api/v1/dossiers/${code}/documents/receipt`)).status).toBe(200);
    const pdf = await clerk('GET', `/api/v1/dossiers/${code}/documents/receipt`, {
      headers: { accept: 'application/pdf' },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect((await clerk('GET', '/api/v1/dossiers?assignedTo=me&limit=500')).status).toBe(200);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const head = await as('head');
    expect((await head('GET', `/api/v1/register?unit=000.00.20.H36&from=${today}&to=${today}`)).status).toBe(200);

    const written = (await rows()).filter((r) => Number(r.seq) > before);
    expect(written.map((r) => [r.actor, r.action, r.dossier_code, r.purpose])).toEqual([
      ['clerk', 'dossier.read', code, purpose],
      ['clerk', 'dossier.form.read', code, 'printing a form'],
      ['clerk', 'dossier.form.read', code, 'printing a form'],
      ['clerk', 'dossier.list', null, 'dossier processing'],
      ['head', 'register.read', null, 'the dossier register (form 07)'],
    ]);
    expect(written[1].details).toEqual({ form: 'receipt', format: 'json' });
    expect(written[2].details).toEqual({ form: 'receipt', format: 'pdf' });
    expect(written[3].details).toMatchObject({
      filters: ['assignedTo', 'limit'],
      codes: expect.arrayContaining([code]),
    });
    expect(written[4].details).toEqual({ unit: '000.00.20.H36', from: today, to: today, format: 'json' });
  });

  it('records each change with the action, and report exports but not the same figures on screen', async () => {
    const before = Number((await lastRow()).seq);
    const clerk = await as('clerk');
    expect(
      (await clerk('POST', `/api/v1/dossiers/${code}/actions/complete`, { body: { note: 'Hồ sơ đủ' } })).status,
    ).toBe(200);
    const head = await as('head');
    const period = 'from=2026-01-01&to=2026-01-31&unit=000.00.20.H36';
    expect((await head('GET', `/api/v1/reports/progress?${period}`)).status).toBe(200);
    expect((await head('GET', `/api/v1/reports/progress?${period}&format=csv`)).status).toBe(200);
    const written = (await rows()).filter((r) => Number(r.seq) > before);
    expect(written.map((r) => [r.actor, r.action, r.dossier_code, r.details])).toEqual([
      ['clerk', 'dossier.change', code, { action: 'complete' }],
      ['head', 'report.export', null, { unit: '000.00.20.H36', from: '2026-01-01', to: '2026-01-31', format: 'csv' }],
    ]);
  });

  it('records the applications before reception (read, listed, decided, their form 03) and the PIN reissued and printed', async () => {
    const before = Number((await lastRow()).seq);
    const portal = await as('agency-system');
    const clerk = await as('clerk');
    const application = {
      ...EXAMPLE_A,
      channel: undefined,
      applicant: { ...EXAMPLE_A.applicant, name: 'Lê Văn Cường' },
    };
    const submitted = await portal('POST', '/api/v1/submissions', { body: application });
    expect(submitted.status).toBe(201);
    const id: string = submitted.body.id;
    expect((await clerk('GET', '/api/v1/submissions?state=SUBMITTED')).status).toBe(200);
    expect((await clerk('GET', `/api/v1/submissions/${id}`)).status).toBe(200);
    const reasons = ['Không thuộc thẩm quyền'];
    expect((await clerk('POST', `/api/v1/submissions/${id}/refuse`, { body: { reasons } })).status).toBe(200);
    expect((await clerk('GET', `/api/v1/submissions/${id}/documents/refusal`)).status).toBe(200);
    const slipPdf = await clerk('GET', `/api/v1/submissions/${id}/documents/refusal`, {
      headers: { accept: 'application/pdf' },
    });
    expect(slipPdf.status).toBe(200);
    expect(slipPdf.headers.get('content-type')).toContain('application/pdf');
    const atCounter = await clerk('POST', '/api/v1/submissions/refusals', {
      body: { ...EXAMPLE_A, procedureCode: '2.000815', documents: undefined, reasons },
    });
    expect(atCounter.status).toBe(201);
    const second = await portal('POST', '/api/v1/submissions', { body: application });
    expect(second.status).toBe(201);
    const received = await clerk('POST', `/api/v1/submissions/${second.body.id}/receive`, { body: {} });
    expect(received.status).toBe(201);
    const reissued = await clerk('POST', `/api/v1/dossiers/${code}/lookup-pin`);
    expect(reissued.status).toBe(200);
    const { pin } = reissued.body as { pin: string };
    expect((await clerk('POST', `/api/v1/dossiers/${code}/documents/receipt`, { body: { pin } })).status).toBe(200);
    const receiptPdf = await clerk('POST', `/api/v1/dossiers/${code}/documents/receipt`, {
      body: { pin },
      headers: { accept: 'application/pdf' },
    });
    expect(receiptPdf.status).toBe(200);
    expect(receiptPdf.headers.get('content-type')).toContain('application/pdf');

    const written = (await rows()).filter((r) => Number(r.seq) > before);
    const checking = 'checking an application before reception';
    expect(written.map((r) => [r.actor, r.action, r.dossier_code, r.purpose, r.details])).toEqual([
      ['agency-system', 'submission.submit', null, 'online application', { submission: id }],
      ['clerk', 'submission.list', null, checking, { filters: ['state'], submissions: expect.arrayContaining([id]) }],
      ['clerk', 'submission.read', null, checking, { submission: id }],
      ['clerk', 'submission.refuse', null, checking, { submission: id, at: 'desk' }],
      ['clerk', 'submission.form.read', null, 'printing a form', { submission: id, form: 'refusal', format: 'json' }],
      ['clerk', 'submission.form.read', null, 'printing a form', { submission: id, form: 'refusal', format: 'pdf' }],
      [
        'clerk',
        'submission.refuse',
        null,
        'refusing an applicant at the counter',
        { submission: atCounter.body.id, at: 'counter' },
      ],
      ['agency-system', 'submission.submit', null, 'online application', { submission: second.body.id }],
      ['clerk', 'dossier.receive', received.body.code, 'receiving the dossier', { submission: second.body.id }],
      ['clerk', 'dossier.change', code, 'issuing the citizen a new lookup PIN', { action: 'lookup-pin' }],
      ['clerk', 'dossier.form.read', code, 'printing a form', { form: 'receipt', withPin: true, format: 'json' }],
      ['clerk', 'dossier.form.read', code, 'printing a form', { form: 'receipt', withPin: true, format: 'pdf' }],
    ]);
    // The trail says which PIN was reissued, never the PIN.
    expect(JSON.stringify(written)).not.toContain(pin);
  });

  it('refuses a malformed purpose with 422 before anything is read or changed', async () => {
    const before = (await rows()).length;
    const clerk = await as('clerk');
    const refused = await clerk('GET', `/api/v1/dossiers/${code}`, { headers: { 'x-purpose': '%E0%A4%A' } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ field: 'X-Purpose', message: 'must be percent-encoded UTF-8' }]);
    const tooLong = await clerk('GET', `/api/v1/dossiers/${code}`, { headers: { 'x-purpose': 'x'.repeat(201) } });
    expect(tooLong.status).toBe(422);
    expect((await rows()).length).toBe(before);
  });

  it('keeps one unbroken chain under concurrent requests, and lets only auditors verify it', async () => {
    const clerk = await as('clerk');
    const reads = await Promise.all(Array.from({ length: 20 }, () => clerk('GET', `/api/v1/dossiers/${code}`)));
    expect(reads.every((r) => r.status === 200)).toBe(true);
    const all = await rows();
    expect(all.map((r) => Number(r.seq))).toEqual(all.map((_, i) => i + 1));
    expect(await verify()).toEqual({
      valid: true,
      checked: all.length,
      head: { seq: all.length, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      firstBroken: null,
    });
    for (const username of ['clerk', 'head', 'admin']) {
      expect({ username, status: (await (await as(username))('GET', '/api/v1/audit/verify')).status }).toEqual({
        username,
        status: 403,
      });
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the audit table to the application', async () => {
    await expect(db.query(`UPDATE audit_log SET purpose = 'nothing to see' WHERE seq = 2`)).rejects.toThrow(
      /audit_log is append-only: UPDATE refused/,
    );
    await expect(db.query(`DELETE FROM audit_log WHERE seq = 2`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await verify()).valid).toBe(true);
  });

  it('names the first broken row when a superuser edits one with the trigger disabled, or removes one', async () => {
    const [third] = await db.query(`SELECT purpose FROM audit_log WHERE seq = 3`);
    const bypass = (change: string) =>
      asSuperuser(`BEGIN;
        ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
        ${change};
        ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
        COMMIT`);
    await bypass(`UPDATE audit_log SET purpose = 'routine check' WHERE seq = 3`);
    expect(await verify()).toMatchObject({
      valid: false,
      head: null,
      firstBroken: { seq: 3, reason: 'its content does not match its hash: it was changed after it was written' },
    });
    // Put back as it was, the chain holds again: the hash is of the content.
    await bypass(`UPDATE audit_log SET purpose = '${third.purpose}' WHERE seq = 3`);
    expect((await verify()).valid).toBe(true);
    await bypass(`DELETE FROM audit_log WHERE seq = 5`);
    expect(await verify()).toMatchObject({
      valid: false,
      firstBroken: { seq: 6, reason: 'row 5 is missing before row 6' },
    });
  });
});
