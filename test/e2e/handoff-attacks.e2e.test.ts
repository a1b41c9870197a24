import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { signedHeaders } from '../../apps/api/src/handoffs/handoff-signature';
import { eventually } from '../support/infrastructure';
import { type HttpReply, type RunningProduct, startProduct } from '../support/product';

const COMMUNE = '000.31.01.H36';
const POLICE = '000.00.05.H36';

/** A request as it crossed the wire: what an attacker on the path captures. */
interface Captured {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The police's system (this product) and the province's system played by the test, which holds the province's keys:
 * its current and previous key (the police accept both while it rotates), and the police's outbound key it verifies
 * with. An attacker replays what it captured: a withdrawal notice moved to another hand-off, the same request again,
 * the police's own message reflected back. Each is refused before it reaches a dossier.
 */
describe('hand-off signatures under attack (e2e)', () => {
  const keys = {
    provinceCurrent: randomBytes(32).toString('hex'),
    provincePrevious: randomBytes(32).toString('hex'),
    policeOutbound: randomBytes(32).toString('hex'),
  };
  let product: RunningProduct;
  let province: Server;
  /** What the police's system sent to the province: its callbacks, as an attacker on the path sees them. */
  const sentToProvince: Captured[] = [];
  const handoffs: { a?: string; b?: string; dossierA?: string; dossierB?: string } = {};
  /** The genuine withdrawal notice for hand-off A, as an attacker captured it. */
  let capturedNotice: Captured | undefined;

  beforeAll(async () => {
    province = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        sentToProvince.push({
          path: req.url ?? '',
          headers: flat(req.headers),
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"applied":true}');
      });
    });
    await new Promise<void>((resolve) => province.listen(0, '127.0.0.1', resolve));
    product = await startProduct({
      overrides: {
        HANDOFF_SYSTEM_ID: 'police-system',
        PARTNER_SYSTEMS: JSON.stringify([
          {
            id: 'province-system',
            url: `http://127.0.0.1:${(province.address() as AddressInfo).port}`,
            outboundKey: keys.policeOutbound,
            inboundKeys: [keys.provinceCurrent, keys.provincePrevious],
            agencies: [COMMUNE],
          },
        ]),
      },
    });
  });

  afterAll(async () => {
    await product?.stop();
    province?.close();
  });

  const flat = (headers: IncomingHttpHeaders): Record<string, string> =>
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));

  /** The province's system signing a request to the police with `key`; returns the request too, as captured. */
  const fromProvince = (path: string, body: object, key = keys.provinceCurrent): Captured => {
    const raw = JSON.stringify(body);
    return {
      path,
      body: raw,
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(key, {
          method: 'POST',
          path,
          sender: 'province-system',
          recipient: 'police-system',
          body: raw,
        }),
      },
    };
  };

  const send = async (request: Captured, path = request.path): Promise<HttpReply> => {
    const res = await fetch(`${product.baseUrl}${path}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };

  const the = (key: keyof typeof handoffs): string => {
    const value = handoffs[key];
    if (!value) {
      throw new Error(`no ${key} yet: an earlier test failed`);
    }
    return value;
  };

  const packageOf = (handoffId: string, origin: string) => ({
    handoffId,
    partner: 'police-system',
    originDossierCode: origin,
    procedureCode: '1.014390',
    segment: { code: 'POLICE', name: 'Cấp Giấy chứng nhận đủ điều kiện về an ninh, trật tự', agency: POLICE },
    handedOverAt: new Date().toISOString(),
    applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
    documents: [{ code: 'GIAY-DE-NGHI' }, { code: 'DK-ANTT' }, { code: 'PCCC' }, { code: 'DN-KARAOKE' }],
  });

  const state = async (code: string): Promise<string> =>
    (await product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token('admin') })).body.state;

  it('takes hand-offs signed with either of the two keys the province has while it rotates', async () => {
    handoffs.a = randomUUID();
    handoffs.b = randomUUID();
    const a = await send(fromProvince('/api/v1/handoffs', packageOf(the('a'), '000.31.01.H36-261123-0001')));
    const b = await send(
      fromProvince('/api/v1/handoffs', packageOf(the('b'), '000.31.01.H36-261123-0002'), keys.provincePrevious),
    );
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.applied, b.body.applied]).toEqual([true, true]);
    handoffs.dossierA = a.body.dossierCode;
    handoffs.dossierB = b.body.dossierCode;
    for (const code of [the('dossierA'), the('dossierB')]) {
      await eventually(
        async () => ((await state(code)) === 'IN_PROGRESS' ? true : undefined),
        `dossier ${code} in processing`,
      );
    }
  });

  it('refuses a request signed with a retired key, or with the key of the other direction', async () => {
    const retired = await send(
      fromProvince('/api/v1/handoffs', packageOf(randomUUID(), '000.31.01.H36-261123-0003'), 'r'.repeat(64)),
    );
    expect(retired.status).toBe(401);
    const mirrored = await send(
      fromProvince('/api/v1/handoffs', packageOf(randomUUID(), '000.31.01.H36-261123-0004'), keys.policeOutbound),
    );
    expect(mirrored.status).toBe(401);
    expect(mirrored.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringMatching(/does not match/) });
  });

  it("refuses a captured WITHDRAWN notice for hand-off A replayed to hand-off B's path, and B goes on", async () => {
    const [a, b] = [the('a'), the('b')];
    const notice = fromProvince(`/api/v1/handoffs/${a}/notices`, {
      handoffId: a,
      noticeId: 'province:notice-1',
      kind: 'WITHDRAWN',
      at: new Date().toISOString(),
      reason: 'Người nộp rút hồ sơ',
    });
    const moved = await send(notice, `/api/v1/handoffs/${b}/notices`);
    expect(moved.status).toBe(401);
    expect(moved.body.detail).toMatch(/does not match this request/);
    // The genuine one still works where it was meant to go; B is untouched.
    const genuine = await send(notice);
    expect(genuine).toMatchObject({ status: 200, body: { applied: true, state: 'WITHDRAWN' } });
    expect(await state(the('dossierB'))).toBe('IN_PROGRESS');
    capturedNotice = notice;
  });

  it('refuses the exact same request a second time', async () => {
    if (!capturedNotice) {
      throw new Error('no captured notice: an earlier test failed');
    }
    const again = await send(capturedNotice);
    expect(again.status).toBe(401);
    expect(again.body.detail).toMatch(/used before: a replayed request/);
    const nonces = await product.api
      .get(DataSource)
      .query(`SELECT partner_id FROM handoff_nonces WHERE nonce = $1`, [capturedNotice.headers['x-signature-nonce']]);
    expect(nonces).toEqual([{ partner_id: 'province-system' }]);
  });

  it('refuses a signed message whose body names another hand-off than its path', async () => {
    const [a, b] = [the('a'), the('b')];
    const mismatched = await send(
      fromProvince(`/api/v1/handoffs/${b}/notices`, {
        handoffId: a,
        noticeId: 'province:notice-2',
        kind: 'WITHDRAWN',
        at: new Date().toISOString(),
        reason: 'Người nộp rút hồ sơ',
      }),
    );
    expect(mismatched.status).toBe(422);
    expect(mismatched.body.errors).toEqual([{ field: 'handoffId', message: 'must equal the hand-off ID in the path' }]);
    expect(await state(the('dossierB'))).toBe('IN_PROGRESS');
  });

  it("refuses the police's own outgoing message reflected back to it, under its own name or the province's", async () => {
    const b = the('b');
    const accepted = await eventually(
      () => Promise.resolve(sentToProvince.find((r) => r.path === `/api/v1/handoffs/${b}/callback`)),
      'the ACCEPTED callback for hand-off B sent to the province',
    );
    expect(JSON.parse(accepted.body)).toMatchObject({ handoffId: b, kind: 'ACCEPTED' });
    const asItself = await send(accepted);
    expect(asItself).toMatchObject({
      status: 401,
      body: { detail: 'police-system is not a partner system of this deployment.' },
    });
    const asProvince = await send({ ...accepted, headers: { ...accepted.headers, 'x-partner-id': 'province-system' } });
    expect(asProvince.status).toBe(401);
    expect(asProvince.body.detail).toMatch(/does not match this request/);
  });
});
