import { EXAMPLE_A_USERS, EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { fakePortal, type FakePortal, type PortalMessage } from '../support/fake-portal';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

/** What one dossier's full lifecycle sent to the portal, beside the history the dossier shows. */
interface Lifecycle {
  code: string;
  history: { seq: number; type: string; nationalStatus: number }[];
  mine: PortalMessage[];
}

describe('national portal sync (e2e)', () => {
  let product: RunningProduct;
  let portal: FakePortal;
  let lifecycle: Lifecycle;

  /** Example A from intake to the electronic return of its result, then what the portal took in for it. */
  async function walkExampleA(): Promise<Lifecycle> {
    const tokens: Record<string, string> = {};
    for (const u of EXAMPLE_A_USERS) {
      tokens[u] = await product.token(u);
    }
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: tokens.clerk,
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'ONLINE',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: tokens.clerk });
      return res.body.currentStep?.code === 'S01' ? res.body : undefined;
    }, 'the dossier taken into processing');
    for (const [who, action, body] of EXAMPLE_A_WALK) {
      const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, {
        token: tokens[who],
        body: body ?? {},
      });
      expect({ who, action, status: res.status }).toEqual({ who, action, status: 200 });
    }
    await product.request('POST', `/api/v1/dossiers/${code}/actions/return-result`, {
      token: tokens.clerk,
      body: { deliveryMethod: 'ELECTRONIC' },
    });
    const history = (await product.request('GET', `/api/v1/dossiers/${code}`, { token: tokens.clerk })).body
      .history as Lifecycle['history'];
    const mine = await eventually(() => {
      const got = portal.accepted.filter((a) => a.body.dossierCode === code);
      return Promise.resolve(got.length === history.length ? got : undefined);
    }, 'every status change at the portal');
    return { code, history, mine };
  }

  beforeAll(async () => {
    portal = await fakePortal(3);
    product = await startProduct({
      overrides: { PORTAL_SYNC_URL: portal.url, PORTAL_SYNC_TOKEN: 'portal-secret', OUTBOX_POLL_INTERVAL_MS: '50' },
    });
    lifecycle = await walkExampleA();
  });

  afterAll(async () => {
    await product?.stop();
    await new Promise((resolve) => portal?.server.close(resolve));
  });

  it('retries through an outage: the three refused requests are sent again, nothing lost', () => {
    expect(portal.refused()).toBe(3);
    expect(lifecycle.mine).toHaveLength(lifecycle.history.length);
  });

  it('delivers one message per transition, in order, with the status code the dossier had after it', () => {
    const { mine, history } = lifecycle;
    expect(mine.map((m) => [m.body.seq, m.body.event, m.body.statusCode])).toEqual(
      history.map((h) => [h.seq, h.type, h.nationalStatus]),
    );
  });

  it("keys each message by the dossier and the transition's seq, and authenticates with the portal's token", () => {
    const { code, mine, history } = lifecycle;
    expect(mine.map((m) => m.key)).toEqual(history.map((h) => `${code}:${h.seq}`));
    expect(mine.every((m) => m.authorization === 'Bearer portal-secret')).toBe(true);
  });

  it("sends the dossier's portal fields and the receiving desk's progress with the first message", () => {
    expect(lifecycle.mine[0].body).toMatchObject({
      dossierCode: lifecycle.code,
      procedureCode: '2.000908',
      procedureName: expect.any(String),
      field: expect.any(String),
      applicantType: 'INDIVIDUAL',
      applicantId: '001203004567',
      statusCode: 2,
      processingUnit: '000.00.20.H36',
      promisedAt: expect.any(String),
      progress: expect.objectContaining({ officer: 'Nguyễn Thị Lan', unit: '000.00.20.H36' }),
    });
  });

  it('ends with the result returned, having passed through received, processing and processed', () => {
    const { mine } = lifecycle;
    expect(mine[mine.length - 1].body).toMatchObject({
      statusCode: 10,
      event: 'RESULT_RETURNED',
      returnedAt: expect.any(String),
    });
    expect(new Set(mine.map((m) => m.body.statusCode))).toEqual(new Set([2, 4, 9, 10]));
  });

  it('counts the dossier as synced in the 766 report', async () => {
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const admin = await product.token('admin');
    const index = await product.request('GET', `/api/v1/reports/index-766?from=${day}&to=${day}&unit=000.00.20.H36`, {
      token: admin,
    });
    expect(index.body.indicators.syncedShare).toMatchObject({ numerator: 1, denominator: 1, value: 100 });
  });
});
