import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { freePort } from '../../scripts/infra/temporal-server';
import { signedHeaders } from '../../apps/api/src/handoffs/handoff-signature';
import { eventually } from '../support/infrastructure';
import { type HttpReply, type RunningProduct, startProduct } from '../support/product';

const COMMUNE = '000.31.01.H36';
const POLICE = '000.00.05.H36';

/**
 * Two running instances of the product on one machine, as two agencies' systems: the province's (instance 1,
 * with the commune and the provincial committee) and the police's (instance 2). Separate databases and Temporal
 * namespaces; they talk over 127.0.0.1 with signed requests only. Example B's police share is handed from one to
 * the other and its result comes back, through an outage of instance 2.
 */
describe('hand-offs between two instances (e2e)', () => {
  /** One key per direction, named after the recipient: what the province signs for the police, and the reverse. */
  const keys = { 'police-system': randomBytes(32).toString('hex'), 'province-system': randomBytes(32).toString('hex') };
  const province$ = (port: number) => ({
    id: 'province-system',
    url: `http://127.0.0.1:${port}`,
    outboundKey: keys['province-system'],
    inboundKeys: [keys['police-system']],
    agencies: [COMMUNE],
  });
  let ports: { province: number; police: number };
  let province: RunningProduct;
  let police: RunningProduct | undefined;
  let policeSettings: Record<string, string>;
  /** The scenario's dossier as it goes: each test below takes it from where the one before left it. */
  const scenario: {
    code?: string;
    handoffId?: string;
    policeCode?: string;
    handoff?: Record<string, unknown>;
    answer?: Record<string, unknown>;
  } = {};
  const the = <K extends keyof typeof scenario>(key: K): NonNullable<(typeof scenario)[K]> => {
    const value = scenario[key];
    if (value === undefined) {
      throw new Error(`The scenario has no ${key} yet: an earlier test failed.`);
    }
    return value;
  };
  const partner = (): RunningProduct => {
    if (!police) {
      throw new Error('The police instance is not running: an earlier test failed.');
    }
    return police;
  };

  const startPolice = async (): Promise<RunningProduct> =>
    startProduct({ overrides: policeSettings, port: ports.police });

  beforeAll(async () => {
    ports = { province: await freePort(), police: await freePort() };
    const fast = { OUTBOX_POLL_INTERVAL_MS: '100' };
    province = await startProduct({
      port: ports.province,
      overrides: {
        ...fast,
        HANDOFF_SYSTEM_ID: 'province-system',
        PARTNER_SYSTEMS: JSON.stringify([
          {
            id: 'police-system',
            url: `http://127.0.0.1:${ports.police}`,
            outboundKey: keys['police-system'],
            inboundKeys: [keys['province-system']],
            agencies: [POLICE],
          },
        ]),
      },
    });
    police = await startProduct({
      port: ports.police,
      overrides: {
        ...fast,
        HANDOFF_SYSTEM_ID: 'police-system',
        PARTNER_SYSTEMS: JSON.stringify([province$(ports.province)]),
      },
    });
    // Restarted later on the same database and namespace, like a system coming back after an outage.
    policeSettings = {
      ...fast,
      HANDOFF_SYSTEM_ID: 'police-system',
      PARTNER_SYSTEMS: JSON.stringify([province$(ports.province)]),
      DATABASE_URL: police.config.DATABASE_URL,
      TEMPORAL_NAMESPACE: police.config.TEMPORAL_NAMESPACE,
    };
  });

  afterAll(async () => {
    await police?.stop();
    await province?.stop();
  });

  async function act(product: RunningProduct, code: string, who: string, action: string, body: object = {}) {
    const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, {
      token: await product.token(who),
      body,
    });
    if (res.status !== 200) {
      throw new Error(`${who} ${action} on ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }

  const dossier = async (product: RunningProduct, code: string, who = 'admin') =>
    (await product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token(who) })).body;

  /** A request signed as `as` (the province to the police, or back) with the key of that direction. */
  const signedPost = (product: RunningProduct, path: string, body: object, as = 'province-system', at = Date.now()) => {
    const raw = JSON.stringify(body);
    const recipient = as === 'province-system' ? 'police-system' : 'province-system';
    const key = as === 'nobody' ? 'n'.repeat(64) : keys[recipient];
    return fetch(`${product.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(key, { method: 'POST', path, sender: as, recipient, body: raw }, at),
      },
      body: raw,
    }).then(async (res) => ({ status: res.status, body: await res.json() }) as HttpReply);
  };

  it('hands the police share to the partner system when the commune finishes, as a segment with no workflow here', async () => {
    // Instance 1: the commune receives example B and does its share; officers act on the dossier as usual, and the
    // API sends each action to the segment's child workflow that holds it.
    const received = await province.request('POST', '/api/v1/dossiers', {
      token: await province.token('commune-clerk'),
      body: {
        procedureCode: '1.014390',
        receivingUnitCode: COMMUNE,
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An', phone: '0912345678' },
        documents: [{ code: 'GIAY-DE-NGHI' }, { code: 'DK-ANTT' }, { code: 'PCCC' }, { code: 'DN-KARAOKE' }],
      },
    });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    scenario.code = code;
    await eventually(
      async () => ((await dossier(province, code)).currentStep?.code === 'C1' ? true : undefined),
      'the commune segment taking the dossier',
    );
    await act(province, code, 'commune-clerk', 'complete', { note: 'Hồ sơ đầy đủ' });
    await act(province, code, 'commune-officer', 'claim');
    await act(province, code, 'commune-officer', 'complete');
    await act(province, code, 'commune-chair', 'claim');

    // Instance 2 goes down just before the hand-over.
    await partner().stop();
    police = undefined;
    await act(province, code, 'commune-chair', 'complete', { note: 'Giấy chứng nhận ĐKHKD số 03' });
    const handed = await eventually(async () => {
      const d = await dossier(province, code);
      return d.currentStep?.code === 'POLICE' ? d : undefined;
    }, 'the hand-off to the police system');
    const segment = handed.segments[1];
    expect(segment).toMatchObject({ code: 'POLICE', agency: POLICE, partner: 'police-system', workflowId: null });
    scenario.handoffId = segment.handoffId;
  });

  it('keeps the hand-off in the outbox and retries it while the partner is down', async () => {
    the('handoffId');
    const failing = await eventually(async () => {
      const [row] = await province.api
        .get(DataSource)
        .query(`SELECT attempts, dispatched_at, last_error, payload FROM outbox_messages WHERE kind = 'HANDOFF'`);
      return row && row.attempts >= 2 ? row : undefined;
    }, 'the hand-off retried while the partner is down');
    expect(failing.dispatched_at).toBeNull();
    expect(failing.last_error).toMatch(/fetch failed|ECONNREFUSED/);
    // Kept to replay it below: once delivered, the outbox no longer holds it (nor the applicant's data in it).
    scenario.handoff = failing.payload;
  });

  it('delivers the hand-off once the partner is back, as a dossier of its own, and hears that it was accepted', async () => {
    const handoffId = the('handoffId');
    police = await startPolice();
    const policeCode = await eventually(
      async () => {
        const [row] = await partner()
          .api.get(DataSource)
          .query(`SELECT dossier_code FROM handoffs WHERE direction = 'IN' AND id = $1`, [handoffId]);
        return row?.dossier_code as string | undefined;
      },
      'the hand-off received by the police system',
      90_000,
    );
    expect(policeCode).toMatch(/^000\.00\.05\.H36-\d{6}-0001$/);
    scenario.policeCode = policeCode;
    const atPolice = await eventually(async () => {
      const d = await dossier(partner(), policeCode);
      return d.currentStep?.code === 'P1' ? d : undefined;
    }, 'the police taking the dossier into processing');
    expect(atPolice).toMatchObject({ procedureCode: '1.014390', receivingUnitCode: POLICE, channel: 'ONLINE' });
    expect(atPolice.steps.map((s: { code: string }) => s.code)).toEqual(['P1']);
    // Instance 1 hears that its partner accepted it.
    await eventually(async () => {
      const d = await dossier(province, the('code'));
      return d.history.some((e: { type: string }) => e.type === 'SEGMENT_ACCEPTED') ? true : undefined;
    }, 'the acceptance called back');
  });

  it('answers a replay of the same signed hand-off with the dossier it already became', async () => {
    const [delivered] = await province.api
      .get(DataSource)
      .query(`SELECT payload FROM outbox_messages WHERE kind = 'HANDOFF' AND dispatched_at IS NOT NULL`);
    expect(delivered.payload).toEqual({});
    const again = await signedPost(partner(), '/api/v1/handoffs', the('handoff'));
    expect(again.body).toMatchObject({ handoffId: the('handoffId'), dossierCode: the('policeCode'), applied: false });
  });

  it('refuses a hand-off with a forged signature, a stale one, or one from an unknown system', async () => {
    const payload = the('handoff');
    const forged = await fetch(`${partner().baseUrl}/api/v1/handoffs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedHeaders('x'.repeat(64), {
          method: 'POST',
          path: '/api/v1/handoffs',
          sender: 'province-system',
          recipient: 'police-system',
          body: JSON.stringify(payload),
        }),
      },
      body: JSON.stringify(payload),
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const stale = await signedPost(partner(), '/api/v1/handoffs', payload, 'province-system', Date.now() - 600_000);
    expect(stale.status).toBe(401);
    expect(stale.body.detail).toMatch(/replayed/);
    const stranger = await signedPost(partner(), '/api/v1/handoffs', { ...payload, handoffId: randomUUID() }, 'nobody');
    expect(stranger.status).toBe(401);
  });

  it("pauses both sides when the partner asks for a supplement, and resumes the partner's when the desk takes it in", async () => {
    const [code, policeCode] = [the('code'), the('policeCode')];
    await act(partner(), policeCode, 'police-officer', 'claim');
    await act(partner(), policeCode, 'police-officer', 'request-supplement', {
      items: ['Sơ đồ mặt bằng các phòng hát'],
      reason: 'Thiếu sơ đồ mặt bằng',
    });
    const paused = await eventually(async () => {
      const d = await dossier(province, code);
      return d.state === 'AWAITING_SUPPLEMENT' ? d : undefined;
    }, 'the supplement request called back');
    expect(paused).toMatchObject({ nationalStatus: 5, pauseReason: 'SUPPLEMENT' });
    // The applicant brings it to the commune's desk (instance 1), and the police's dossier resumes.
    await act(province, code, 'commune-clerk', 'submit-supplement', { note: 'Đã nộp sơ đồ mặt bằng' });
    await eventually(async () => {
      const d = await dossier(partner(), policeCode);
      return d.state === 'IN_PROGRESS' ? d : undefined;
    }, 'the supplement passed on to the police');
  });

  it("brings the partner's result back by itself: the police segment completes and the province's starts", async () => {
    const [code, policeCode] = [the('code'), the('policeCode')];
    await act(partner(), policeCode, 'police-officer', 'complete', { note: 'Cơ sở đủ điều kiện' });
    await act(partner(), policeCode, 'police-head', 'claim');
    const done = await act(partner(), policeCode, 'police-head', 'complete', { note: 'Giấy chứng nhận ANTT số 11' });
    expect(done.state).toBe('RESULT_RETURNED');

    const atProvince = await eventually(async () => {
      const d = await dossier(province, code);
      return d.currentStep?.code === 'K1' ? d : undefined;
    }, 'the province taking the dossier after the police result');
    expect(
      atProvince.segments.map((s: { code: string; completedAt: string | null }) => [s.code, !!s.completedAt]),
    ).toEqual([
      ['COMMUNE', true],
      ['POLICE', true],
      ['PROVINCE', false],
    ]);
    expect(atProvince.steps.find((s: { code: string }) => s.code === 'POLICE')).toMatchObject({
      exit: 'COMPLETED',
      note: 'Giấy chứng nhận ANTT số 11',
    });
  });

  it('keeps each side exactly once: one dossier and one hand-off at the police, each callback taken in once', async () => {
    const handoffId = the('handoffId');
    const policeDb = partner().api.get(DataSource);
    expect(await policeDb.query(`SELECT count(*)::int AS n FROM dossiers`)).toEqual([{ n: 1 }]);
    expect(await policeDb.query(`SELECT count(*)::int AS n FROM handoffs`)).toEqual([{ n: 1 }]);
    expect(
      await province.api
        .get(DataSource)
        .query(`SELECT kind FROM handoff_callbacks WHERE handoff_id = $1 ORDER BY received_at`, [handoffId]),
    ).toEqual([{ kind: 'ACCEPTED' }, { kind: 'SUPPLEMENT_REQUESTED' }, { kind: 'RESULT' }]);
  });

  it("records the segments' hand-overs, acceptance and results in the origin's history, in order", async () => {
    const events = await province.api
      .get(DataSource)
      .query(`SELECT type FROM dossier_events WHERE dossier_code = $1 AND type LIKE 'SEGMENT_%' ORDER BY seq`, [
        the('code'),
      ]);
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'SEGMENT_HANDED_OVER',
      'SEGMENT_STARTED',
      'SEGMENT_COMPLETED',
      'SEGMENT_HANDED_OVER',
      'SEGMENT_ACCEPTED',
      'SEGMENT_RESULT_RECEIVED',
      'SEGMENT_COMPLETED',
      'SEGMENT_HANDED_OVER',
      'SEGMENT_STARTED',
    ]);
  });

  it('changes nothing when the partner repeats a callback', async () => {
    // The result callback as the police sent it (its ID as the province took it in; the outbox kept no payload).
    const [taken] = await province.api
      .get(DataSource)
      .query(`SELECT callback_id FROM handoff_callbacks WHERE handoff_id = $1 AND kind = 'RESULT'`, [the('handoffId')]);
    const answer = {
      handoffId: the('handoffId'),
      callbackId: taken.callback_id,
      kind: 'RESULT',
      reportedAt: new Date().toISOString(),
      partnerDossierCode: the('policeCode'),
      note: 'Giấy chứng nhận ANTT số 11',
      result: { outcome: 'APPROVED' },
    };
    scenario.answer = answer;
    const repeated = await signedPost(
      province,
      `/api/v1/handoffs/${the('handoffId')}/callback`,
      answer,
      'police-system',
    );
    expect(repeated.body).toMatchObject({ applied: false, dossierCode: the('code') });
  });

  it('takes a late answer about a dossier whose result was returned as moot, so the partner stops retrying', async () => {
    const code = the('code');
    await act(province, code, 'ppc-specialist', 'claim');
    await act(province, code, 'ppc-specialist', 'complete');
    await act(province, code, 'ppc-leader', 'claim');
    await act(province, code, 'ppc-leader', 'complete', { note: 'Giấy phép số 21/GP-UBND' });
    await eventually(
      async () => ((await dossier(province, code)).currentStep?.code === 'K3' ? true : undefined),
      'the result at the desk',
    );
    const returned = await act(province, code, 'commune-clerk', 'return-result', { deliveryMethod: 'ELECTRONIC' });
    expect(returned).toMatchObject({ state: 'RESULT_RETURNED', nationalStatus: 10 });
    const late = await signedPost(
      province,
      `/api/v1/handoffs/${the('handoffId')}/callback`,
      { ...the('answer'), callbackId: 'late-1' },
      'police-system',
    );
    expect(late).toMatchObject({ status: 200, body: { applied: false, state: 'RESULT_RETURNED' } });
  });
});
