import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { openEventStream } from '../support/event-stream';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const EXAMPLE_A = {
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
};

/** What the console reads besides the dossier API of old: sign-in, allowed actions, worklists, live events. */
describe('console API (e2e)', () => {
  let product: RunningProduct;
  let consoleDir: string;

  beforeAll(async () => {
    // A console folder of its own, so serving is tested without depending on a build of the real console.
    consoleDir = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Một cửa</title><div id="root"></div>');
    writeFileSync(join(consoleDir, 'assets', 'app-3f2a.js'), 'console.log(1)');
    product = await startProduct({ overrides: { CONSOLE_DIR: consoleDir } });
  });

  afterAll(async () => {
    await product?.stop();
  });

  const as = async (username: string) => {
    const token = await product.token(username);
    return (method: string, path: string, body?: unknown) => product.request(method, path, { token, body });
  };

  /** A dossier of example A received by the desk and started by its workflow (the clerk holds the desk step). */
  const receive = async (): Promise<string> => {
    const clerk = await as('clerk');
    const res = await clerk('POST', '/api/v1/dossiers', EXAMPLE_A);
    expect(res.status).toBe(201);
    const code = res.body.code as string;
    await eventually(
      async () => ((await clerk('GET', `/api/v1/dossiers/${code}`)).body.state === 'IN_PROGRESS' ? true : undefined),
      'the workflow to start',
    );
    return code;
  };

  it('lists the demo officers to sign in as, with their units, and no system account', async () => {
    const res = await product.request('GET', '/api/v1/auth/options');
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('embedded');
    const clerk = res.body.demoOfficers.find((o: { username: string }) => o.username === 'clerk');
    expect(clerk).toMatchObject({
      fullName: 'Nguyễn Thị Lan',
      roles: ['DESK_CLERK'],
      units: [{ code: '000.00.20.H36', name: 'Trung tâm Phục vụ hành chính công tỉnh Lâm Đồng' }],
    });
    expect(res.body.demoOfficers.map((o: { roles: string[] }) => o.roles).flat()).not.toContain('AGENCY_SYSTEM');
  });

  it('tells the signed-in officer who they are and which units they head', async () => {
    const head = await as('head');
    const res = await head('GET', '/api/v1/auth/me');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'head', roles: ['UNIT_HEAD'] });
    expect(res.body.headOfUnits).toEqual(expect.arrayContaining(['000.00.20.H36', '000.20.01.H36']));
    expect((await product.request('GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('lists the officers of a unit and role for the assignee picker', async () => {
    const head = await as('dept-leader');
    const res = await head('GET', '/api/v1/officers?unit=000.12.01.H36&role=SPECIALIST');
    expect(res.status).toBe(200);
    expect(res.body.items.map((o: { username: string }) => o.username)).toEqual(['specialist']);
    const bad = await head('GET', '/api/v1/officers?role=KING');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('role');
  });

  it('previews the promised return time that intake then prints on the receipt', async () => {
    const clerk = await as('clerk');
    const preview = await clerk('GET', '/api/v1/procedures/2.000908/promised-time?receivingUnitCode=000.00.20.H36');
    expect(preview.status).toBe(200);
    expect(preview.body.processingTime).toEqual({ amount: expect.any(Number), unit: 'WD' });
    expect(preview.body.explanation).toContain('ngày làm việc');
    const received = await clerk('POST', '/api/v1/dossiers', EXAMPLE_A);
    // Received moments later: the same promise unless a working minute boundary passed in between.
    const gap = Date.parse(received.body.promisedAt) - Date.parse(preview.body.promisedAt);
    expect(gap).toBeGreaterThanOrEqual(0);
    expect(gap).toBeLessThan(60_000);
    const elsewhere = await clerk('GET', '/api/v1/procedures/2.000908/promised-time?receivingUnitCode=000.31.01.H36');
    expect(elsewhere.status).toBe(403);
  });

  it('offers the holder of the desk step its actions, and nobody the actions the workflow would refuse', async () => {
    const code = await receive();
    const clerk = await as('clerk');
    const view = (await clerk('GET', `/api/v1/dossiers/${code}`)).body;
    expect(view.allowedActions).toEqual(expect.arrayContaining(['complete', 'request-supplement', 'withdraw']));
    expect(view.allowedActions).not.toEqual(expect.arrayContaining(['claim']));
    expect(view.allowedActions).not.toContain('return-result');
    expect(view.allowedActions).not.toContain('return');
    expect(view.nextSteps).toHaveLength(1);
    const auditor = await as('auditor');
    expect((await auditor('GET', `/api/v1/dossiers/${code}`)).body.allowedActions).toEqual([]);
  });

  it('refuses a refusal by the desk and form 04 by a head outside the handling agency with 403 ROLE_NOT_ALLOWED', async () => {
    const code = await receive();
    const clerk = await as('clerk');
    expect((await clerk('GET', `/api/v1/dossiers/${code}`)).body.allowedActions).not.toContain('refuse');
    const refused = await clerk('POST', `/api/v1/dossiers/${code}/actions/refuse`, { reasons: ['Không đủ điều kiện'] });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      rule: 'ROLE_NOT_ALLOWED',
      detail: expect.stringContaining('competent leader'),
    });
    // The service centre's head heads the desk step's unit, but form 04 is the department's (the handling agency).
    const head = await as('head');
    const body = { extraWorkingDays: 5, reason: 'Cần xác minh thực địa' };
    const unsigned = await head('POST', `/api/v1/dossiers/${code}/actions/request-extension`, body);
    expect(unsigned.status).toBe(403);
    expect(unsigned.body).toMatchObject({ rule: 'ROLE_NOT_ALLOWED', detail: expect.stringContaining('000.00.12.H36') });
    // Once the dossier reaches the department, its leader signs.
    expect((await clerk('POST', `/api/v1/dossiers/${code}/actions/complete`, {})).status).toBe(200);
    expect((await head('POST', `/api/v1/dossiers/${code}/actions/claim`, {})).status).toBe(200);
    expect((await head('POST', `/api/v1/dossiers/${code}/actions/complete`, {})).status).toBe(200);
    const leader = await as('dept-leader');
    expect((await leader('GET', `/api/v1/dossiers/${code}`)).body.allowedActions).toContain('request-extension');
    expect((await leader('POST', `/api/v1/dossiers/${code}/actions/request-extension`, body)).status).toBe(200);
  });

  it('offers the next step to the officer who may claim it, and the API refuses it to the others', async () => {
    const code = await receive();
    const clerk = await as('clerk');
    const head = await as('head');
    expect((await clerk('POST', `/api/v1/dossiers/${code}/actions/complete`, { note: 'Hồ sơ đủ' })).status).toBe(200);
    const headView = (await head('GET', `/api/v1/dossiers/${code}`)).body;
    expect(headView.allowedActions).toEqual(expect.arrayContaining(['claim', 'assign']));
    const clerkView = (await clerk('GET', `/api/v1/dossiers/${code}`)).body;
    expect(clerkView.allowedActions).not.toContain('claim');
    expect(clerkView.returnTargets).toEqual([]);
    const refused = await clerk('POST', `/api/v1/dossiers/${code}/actions/claim`, {});
    expect(refused.status).toBe(403);
    expect(refused.body.rule).toBe('ROLE_NOT_ALLOWED');
  });

  it('answers an action on a finished dossier with 409: the dossier is closed, in its state', async () => {
    const code = await receive();
    const clerk = await as('clerk');
    const withdrawn = await clerk('POST', `/api/v1/dossiers/${code}/actions/withdraw`, {
      reason: 'Công dân rút hồ sơ',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.state).toBe('WITHDRAWN');
    // Its workflow has ended: the action reaches no running workflow.
    const connection = await Connection.connect({ address: product.config.TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection, namespace: product.config.TEMPORAL_NAMESPACE });
      await client.workflow.getHandle(code).result();
    } finally {
      await connection.close();
    }
    const late = await clerk('POST', `/api/v1/dossiers/${code}/actions/complete`, { note: 'Hồ sơ đủ' });
    expect(late.status).toBe(409);
    expect(late.headers.get('content-type')).toContain('application/problem+json');
    expect(late.body).toMatchObject({ code: 'INVALID_STATE', state: 'WITHDRAWN', action: 'complete' });
    expect(late.body.detail).toBe(`Dossier ${code} is closed (WITHDRAWN): no further complete.`);
  });

  it('lists what the caller may claim, and what they hold, with the colour band of the time used', async () => {
    const code = await receive();
    const clerk = await as('clerk');
    const head = await as('head');
    const mine = await clerk('GET', '/api/v1/dossiers?assignedTo=me&limit=500');
    const item = mine.body.items.find((i: { code: string }) => i.code === code);
    expect(item).toMatchObject({ procedureName: expect.any(String), remaining: { band: 'ON_TRACK' } });
    await clerk('POST', `/api/v1/dossiers/${code}/actions/complete`, {});
    const claimable = await head('GET', '/api/v1/dossiers?claimable=true&limit=500');
    expect(claimable.body.items.map((i: { code: string }) => i.code)).toContain(code);
    const notTheirs = await clerk('GET', '/api/v1/dossiers?claimable=true&limit=500');
    expect(notTheirs.body.items.map((i: { code: string }) => i.code)).not.toContain(code);
    // today where the dossier was received (UTC+7): after 17:00 UTC it is already tomorrow there
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const range = await head('GET', `/api/v1/dossiers?claimable=true&receivedFrom=2000-01-01&receivedTo=${today}`);
    expect(range.body.items.map((i: { code: string }) => i.code)).toContain(code);
    const before = await head('GET', '/api/v1/dossiers?claimable=true&receivedTo=2000-01-01');
    expect(before.body.total).toBe(0);
  });

  it('streams a change to the officers who may see the dossier, and not to the others', async () => {
    const code = await receive();
    const head = await openEventStream(product.baseUrl, await product.token('head'));
    const stranger = await openEventStream(product.baseUrl, await product.token('commune-clerk'));
    try {
      expect(head.status).toBe(200);
      expect(head.contentType).toContain('text/event-stream');
      await head.waitFor((e) => e.event === 'ready', 'ready');
      await stranger.waitFor((e) => e.event === 'ready', 'ready');
      const clerk = await as('clerk');
      await clerk('POST', `/api/v1/dossiers/${code}/actions/complete`, {});
      const event = await head.waitFor(
        (e) => e.event === 'dossier' && (e.data as { code: string }).code === code,
        'dossier change',
      );
      expect(event.data).toMatchObject({ code, state: 'IN_PROGRESS', currentUnitCode: '000.00.20.H36' });
      // The head is told of the step that arrived for their unit.
      await head.waitFor((e) => e.event === 'notification', 'notification');
      expect(stranger.events.filter((e) => e.event === 'dossier')).toEqual([]);
    } finally {
      await head.close();
      await stranger.close();
    }
  });

  it('refuses the event stream without a token', async () => {
    const res = await fetch(`${product.baseUrl}/api/v1/events`);
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it('looks a dossier up with the PIN in the body, and answers a wrong PIN as an unknown code', async () => {
    const clerk = await as('clerk');
    const received = await clerk('POST', '/api/v1/dossiers', EXAMPLE_A);
    const { code } = received.body;
    const pin = received.body.lookupPin as string;
    const ok = await product.request('POST', `/public/v1/dossiers/${code}/lookup`, { body: { pin } });
    expect(ok.status).toBe(200);
    expect(ok.body.code).toBe(code);
    expect(JSON.stringify(ok.body)).not.toContain('Nguyễn Văn An');
    const wrong = await product.request('POST', `/public/v1/dossiers/${code}/lookup`, {
      body: { pin: pin === '000000' ? '111111' : '000000' },
    });
    const unknown = await product.request('POST', '/public/v1/dossiers/000.00.20.H36-200101-9999/lookup', {
      body: { pin },
    });
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('serves the console at / with its routes falling back to index.html, and leaves the API alone', async () => {
    const root = await fetch(`${product.baseUrl}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="root">');
    const deep = await fetch(`${product.baseUrl}/ho-so/000.00.20.H36-260316-0007`);
    expect(await deep.text()).toContain('<div id="root">');
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    const lookup = await fetch(`${product.baseUrl}/tra-cuu`);
    expect(await lookup.text()).toContain('<div id="root">');
    const asset = await fetch(`${product.baseUrl}/assets/app-3f2a.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    await asset.text();
    const api = await product.request('GET', '/api/v1/no-such-thing');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('problem+json');
  });
});
