import { fakePortal, type FakePortal, type PortalMessage } from '../support/fake-portal';
import { eventually } from '../support/infrastructure';
import { type HttpReply, type RunningProduct, startProduct } from '../support/product';

const DESK = '000.00.20.H36';
const COMMUNE = '000.31.01.H36';

const application = (name: string, idNumber: string, overrides: Record<string, unknown> = {}) => ({
  procedureCode: '2.000908',
  receivingUnitCode: DESK,
  applicant: { type: 'INDIVIDUAL', idNumber, name, phone: '0912345678' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
  ...overrides,
});

/** The day of an instant in Vietnam (UTC+7), as the reports' periods name it. */
const vnDay = (at: string): string => new Date(new Date(at).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Applications before reception, over HTTP through the running API and worker: the portal submits online (status 1,
 * no code, no clock), the desk's waiting list, reception (a dossier whose clock starts then, status 2 then 4) and
 * refusal with reasons (form 03, status 3), online and at the counter; what the national portal hears; the reports.
 */
describe('online submissions and desk refusals (e2e)', () => {
  let product: RunningProduct;
  let portal: FakePortal;

  beforeAll(async () => {
    portal = await fakePortal();
    product = await startProduct({ overrides: { PORTAL_SYNC_URL: portal.url, OUTBOX_POLL_INTERVAL_MS: '50' } });
  });

  afterAll(async () => {
    await product?.stop();
    await new Promise((resolve) => portal?.server.close(resolve));
  });

  const as = async (username: string) => product.token(username);
  const submit = async (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<HttpReply> =>
    product.request('POST', '/api/v1/submissions', { token: await as('agency-system'), body, headers });
  const waiting = async (username: string): Promise<string[]> => {
    const res = await product.request('GET', '/api/v1/submissions?state=SUBMITTED', { token: await as(username) });
    expect(res.status).toBe(200);
    return res.body.items.map((s: { id: string }) => s.id);
  };
  const decide = async (username: string, id: string, decision: 'receive' | 'refuse', body: unknown = {}) =>
    product.request('POST', `/api/v1/submissions/${id}/${decision}`, { token: await as(username), body });
  /** What the portal accepted about one application, in the order it accepted it. */
  const heardOf = (id: string): PortalMessage[] => portal.accepted.filter((m) => m.body.submissionId === id);

  it('takes an online application with status 1, no dossier code and no promised time', async () => {
    const res = await submit(application('Trần Văn Hải', '001203005001'));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/submissions/${res.body.id}`);
    expect(res.body).toMatchObject({
      state: 'SUBMITTED',
      nationalStatus: 1,
      nationalStatusLabel: 'Đăng ký trực tuyến',
      channel: 'ONLINE',
      receivingUnitCode: DESK,
      procedure: { code: '2.000908', caseCode: 'default' },
      dossierCode: null,
      receivedAt: null,
      refusal: null,
      submittedBy: { fullName: 'Cổng dịch vụ công tỉnh' },
    });
    expect(res.body.documents.map((d: { code: string }) => d.code)).toEqual(['VB-DE-NGHI', 'GT-TRU-SO']);
    expect(res.body).not.toHaveProperty('promisedAt');
    expect(res.body).not.toHaveProperty('code');
  });

  it("lists waiting applications at their own desk only, first come first served, and keeps the portal's retry once", async () => {
    const key = { 'Idempotency-Key': 'portal-retry-1' };
    const first = await submit(application('Lê Thị Thu', '001203005002'), key);
    const second = await submit(application('Phan Văn Tú', '001203005003'));
    const retry = await submit(application('Lê Thị Thu', '001203005002'), key);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const atCommune = await submit(application('Hồ Văn Nam', '001203005004', { receivingUnitCode: COMMUNE }));

    const desk = await waiting('clerk');
    expect(desk.indexOf(first.body.id)).toBeLessThan(desk.indexOf(second.body.id));
    expect(desk.filter((id) => id === first.body.id)).toHaveLength(1);
    expect(desk).not.toContain(atCommune.body.id);
    expect(await waiting('commune-clerk')).toEqual([atCommune.body.id]);
    // No dossier exists before reception: the desk's dossier list does not have them.
    const dossiers = await product.request('GET', '/api/v1/dossiers?q=L%C3%AA%20Th%E1%BB%8B%20Thu', {
      token: await as('clerk'),
    });
    expect(dossiers.body.total).toBe(0);
  });

  it('receives an application at the desk: a dossier whose clock and receipt start at the reception, status 2 then 4', async () => {
    const submitted = (await submit(application('Ngô Minh Tâm', '001203005005'))).body;
    const beforeReception = Date.now();
    const received = await decide('clerk', submitted.id, 'receive');
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    expect(code).toMatch(/^000\.00\.20\.H36-\d{6}-\d{4}$/);
    expect(received.headers.get('location')).toBe(`/api/v1/dossiers/${code}`);
    expect(received.body).toMatchObject({
      channel: 'ONLINE',
      nationalStatus: 2,
      applicant: { name: 'Ngô Minh Tâm', idNumber: '001203005005' },
      history: [{ seq: 0, type: 'RECEIVED', payload: { channel: 'ONLINE', submissionId: submitted.id } }],
    });
    const receivedAt: string = received.body.receivedAt;
    expect(new Date(receivedAt).getTime()).toBeGreaterThanOrEqual(beforeReception);
    expect(new Date(receivedAt).getTime()).toBeGreaterThan(new Date(submitted.submittedAt).getTime());
    // The promised return time is 30 working days from the reception, as the desk's calendar counts them.
    const due = await product.request(
      'GET',
      `/api/v1/calendar/due?from=${encodeURIComponent(receivedAt)}&amount=30&unit=WD&scope=${DESK}`,
      { token: await as('clerk') },
    );
    expect(received.body.promisedAt).toBe(new Date(due.body.due).toISOString());
    expect(received.body.receipt).toMatchObject({
      form: '01',
      dossierCode: code,
      data: { receivedAt, returnAt: received.body.promisedAt, receivedBy: 'Nguyễn Thị Lan' },
    });

    const processing = await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: await as('clerk') });
      return res.body.nationalStatus === 4 ? res.body : undefined;
    }, 'the workflow to take the received dossier into processing');
    expect(processing).toMatchObject({ state: 'IN_PROGRESS', currentStep: { code: 'S01' } });
    // Counting starts where the reception anchors it (the next working instant, outside office hours).
    expect(processing.deadline.anchorAt).toBe(new Date(due.body.anchor).toISOString());

    const after = await product.request('GET', `/api/v1/submissions/${submitted.id}`, { token: await as('clerk') });
    expect(after.body).toMatchObject({ state: 'RECEIVED', nationalStatus: 2, dossierCode: code, receivedAt });
    expect(await waiting('clerk')).not.toContain(submitted.id);
  });

  it('lets only one decision stand: a received application cannot be received again or refused (409)', async () => {
    const submitted = (await submit(application('Đinh Văn Lực', '001203005006'))).body;
    const [a, b] = await Promise.all([
      decide('clerk', submitted.id, 'receive'),
      decide('clerk2', submitted.id, 'receive'),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const code = (a.status === 201 ? a : b).body.code;
    const lost = a.status === 409 ? a : b;
    expect(lost.body).toMatchObject({ code: 'INVALID_STATE', state: 'RECEIVED', dossierCode: code });
    expect(lost.body.detail).toContain(code);
    const refused = await decide('clerk', submitted.id, 'refuse', { reasons: ['Không thuộc thẩm quyền'] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_STATE', state: 'RECEIVED' });
  });

  it('refuses an application only with reasons (422 naming the field), then status 3 with its form 03', async () => {
    const submitted = (await submit(application('Vương Thị Mỹ', '001203005007'))).body;
    for (const body of [{}, { reasons: [] }, { reasons: [''] }]) {
      const bad = await decide('clerk', submitted.id, 'refuse', body);
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('reasons');
    }
    const reasons = ['Thủ tục không thuộc thẩm quyền giải quyết của Trung tâm', 'Tổ chức không đủ điều kiện'];
    const refused = await decide('clerk', submitted.id, 'refuse', { reasons });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({
      state: 'REFUSED',
      nationalStatus: 3,
      nationalStatusLabel: 'Không tiếp nhận',
      dossierCode: null,
      refusal: { reasons, refusedBy: { fullName: 'Nguyễn Thị Lan' } },
      refusalSlip: { form: '03', dossierCode: null, title: 'PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ' },
    });
    expect(await waiting('clerk')).not.toContain(submitted.id);
    const again = await decide('clerk', submitted.id, 'receive');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'INVALID_STATE', state: 'REFUSED' });

    const slip = await product.request('GET', `/api/v1/submissions/${submitted.id}/documents/refusal`, {
      token: await as('clerk'),
    });
    expect(slip.status).toBe(200);
    expect(slip.body.data).toMatchObject({ reasons, channel: 'ONLINE', refusedBy: 'Nguyễn Thị Lan' });
    expect(slip.body.print.table.rows).toEqual([
      ['1', reasons[0]],
      ['2', reasons[1]],
    ]);
    const pdf = await product.request('GET', `/api/v1/submissions/${submitted.id}/documents/refusal`, {
      token: await as('clerk'),
      headers: { accept: 'application/pdf' },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses an applicant at the counter with form 03 and no dossier', async () => {
    const clerk = await as('clerk');
    const body = {
      procedureCode: '2.000908',
      receivingUnitCode: DESK,
      channel: 'IN_PERSON',
      applicant: { type: 'INDIVIDUAL', idNumber: '001203005008', name: 'Tạ Văn Bảy' },
      reasons: ['Yêu cầu không thuộc phạm vi giải quyết của thủ tục'],
    };
    const missing = await product.request('POST', '/api/v1/submissions/refusals', {
      token: clerk,
      body: { ...body, reasons: undefined },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reasons' })]));
    const online = await product.request('POST', '/api/v1/submissions/refusals', {
      token: clerk,
      body: { ...body, channel: 'ONLINE' },
    });
    expect(online.status).toBe(422);
    expect(online.body.errors).toEqual([expect.objectContaining({ field: 'channel' })]);

    const refused = await product.request('POST', '/api/v1/submissions/refusals', { token: clerk, body });
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({
      state: 'REFUSED',
      nationalStatus: 3,
      channel: 'IN_PERSON',
      dossierCode: null,
      refusal: { reasons: body.reasons },
      refusalSlip: { form: '03', data: { applicant: { name: 'Tạ Văn Bảy' } } },
    });
    expect(await waiting('clerk')).not.toContain(refused.body.id);
    const dossiers = await product.request('GET', '/api/v1/dossiers?q=T%E1%BA%A1%20V%C4%83n%20B%E1%BA%A3y', {
      token: clerk,
    });
    expect(dossiers.body.total).toBe(0);
  });

  it('tells the portal 1 then 2 and 4 of a received application, 1 then 3 with the reasons of a refused one', async () => {
    const taken = (await submit(application('Mạc Văn Khoa', '001203005009'))).body;
    const turned = (await submit(application('Lục Thị Hoa', '001203005010'))).body;
    const code = (await decide('clerk', taken.id, 'receive')).body.code;
    await decide('clerk', turned.id, 'refuse', { reasons: ['Không đủ điều kiện'] });

    const receivedJourney = await eventually(() => {
      const got = heardOf(taken.id);
      return Promise.resolve(got.some((m) => m.body.statusCode === 4) ? got : undefined);
    }, 'the received application at the portal up to processing');
    expect(receivedJourney.map((m) => [m.body.statusCode, m.body.dossierCode])).toEqual([
      [1, null],
      [2, code],
      [4, code],
    ]);
    expect(receivedJourney[0].body).toMatchObject({ event: 'SUBMITTED', channel: 'ONLINE', processingUnit: DESK });
    expect(receivedJourney[1].body).toMatchObject({ event: 'RECEIVED', seq: 0, syncId: `${code}:0` });

    const refusedJourney = await eventually(() => {
      const got = heardOf(turned.id);
      return Promise.resolve(got.length === 2 ? got : undefined);
    }, 'the refused application at the portal');
    expect(refusedJourney.map((m) => [m.body.statusCode, m.body.event])).toEqual([
      [1, 'SUBMITTED'],
      [3, 'REFUSED_AT_DESK'],
    ]);
    expect(refusedJourney[1].body).toMatchObject({
      dossierCode: null,
      refusal: { reasons: ['Không đủ điều kiện'] },
      progress: { officer: 'Nguyễn Thị Lan', unit: DESK },
    });
  });

  it('counts received applications in the progress table and never a refused one', async () => {
    const head = await as('head');
    const day = vnDay(new Date().toISOString());
    const report = await product.request('GET', `/api/v1/reports/progress?from=${day}&to=${day}&unit=${DESK}`, {
      token: head,
    });
    expect(report.status).toBe(200);
    // Received at the desk today: the three receptions above (all online); refusals are not received dossiers.
    expect(report.body.total.counts).toMatchObject({ total: 3, newOnline: 3, newInPerson: 0, refused: 0 });
    const listed = await product.request(
      'GET',
      `/api/v1/reports/progress/dossiers?from=${day}&to=${day}&unit=${DESK}&figure=total&limit=50`,
      { token: head },
    );
    expect(listed.body.items.map((d: { channel: string }) => d.channel)).toEqual(['ONLINE', 'ONLINE', 'ONLINE']);
  });

  it('keeps decisions at the desk: roles, units, unknown and malformed ids', async () => {
    const submitted = (await submit(application('Quách Văn Sơn', '001203005011'))).body;
    const clerkSubmits = await product.request('POST', '/api/v1/submissions', {
      token: await as('clerk'),
      body: application('Quách Văn Sơn', '001203005011'),
    });
    expect(clerkSubmits.status).toBe(403);
    // Another desk's clerk: as for an application that does not exist (no unit named, nothing confirmed).
    const otherDesk = await decide('commune-clerk', submitted.id, 'receive');
    expect(otherDesk.status).toBe(404);
    expect(otherDesk.body.detail).toBe(`No submission has the id ${submitted.id}.`);
    expect((await decide('head', submitted.id, 'receive')).status).toBe(403);
    expect((await decide('agency-system', submitted.id, 'refuse', { reasons: ['x'] })).status).toBe(403);
    const unknown = await decide('clerk', '00000000-0000-4000-8000-000000000000', 'receive');
    expect(unknown.status).toBe(404);
    const malformed = await decide('clerk', 'nope', 'receive');
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    // The portal reads back what it submitted; another desk's clerk does not see it.
    expect(
      (await product.request('GET', `/api/v1/submissions/${submitted.id}`, { token: await as('agency-system') }))
        .status,
    ).toBe(200);
    expect(
      (await product.request('GET', `/api/v1/submissions/${submitted.id}`, { token: await as('commune-clerk') }))
        .status,
    ).toBe(404);
  });

  it('keeps an incomplete application waiting: the portal gets the guidance of form 02', async () => {
    const res = await submit(application('Kiều Văn Lâm', '001203005012', { documents: [{ code: 'VB-DE-NGHI' }] }));
    expect(res.status).toBe(422);
    expect(res.body.guidance).toMatchObject({ form: '02', items: [expect.objectContaining({ code: 'GT-TRU-SO' })] });
  });
});
