import { DataSource } from 'typeorm';
import { lookupPinKey, lookupPinMatches } from '../../libs/persistence/src';
import { type HttpReply, type RunningProduct, startProduct } from '../support/product';

const UNKNOWN = (n: number) => `000.00.20.H36-990101-${String(n).padStart(4, '0')}`;

/**
 * The citizens' lookup as an attacker would try it: from two API instances at once, behind a proxy with a forged
 * X-Forwarded-For, guessing one dossier's PIN from many addresses. Three API instances on one database: two that trust
 * no proxy, and one behind a proxy on loopback (TRUST_PROXY=loopback).
 */
describe('the citizens lookup under attack (e2e)', () => {
  const limits = {
    PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE: '4',
    PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR: '1000',
    PUBLIC_LOOKUP_WRONG_PINS_BEFORE_LOCK: '10',
  };
  let first: RunningProduct;
  let second: RunningProduct;
  let proxied: RunningProduct;
  let db: DataSource;
  const dossier: { code?: string; pin?: string } = {};

  beforeAll(async () => {
    first = await startProduct({ overrides: limits });
    const sameDeployment = {
      ...limits,
      DATABASE_URL: first.config.DATABASE_URL,
      TEMPORAL_NAMESPACE: first.config.TEMPORAL_NAMESPACE,
      TEMPORAL_TASK_QUEUE: first.config.TEMPORAL_TASK_QUEUE,
    };
    second = await startProduct({ worker: false, overrides: sameDeployment });
    proxied = await startProduct({ worker: false, overrides: { ...sameDeployment, TRUST_PROXY: 'loopback' } });
    db = first.api.get(DataSource);
  });

  afterAll(async () => {
    await proxied?.stop();
    await second?.stop();
    await first?.stop();
  });

  beforeEach(async () => {
    await db.query(`DELETE FROM rate_limit_counters`);
  });

  const lookup = (product: RunningProduct, code: string, pin: string, forwardedFor?: string): Promise<HttpReply> =>
    product.request('POST', `/public/v1/dossiers/${code}/lookup`, {
      body: { pin },
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    });

  const the = (key: keyof typeof dossier): string => {
    const value = dossier[key];
    if (!value) {
      throw new Error(`no ${key} yet: an earlier test failed`);
    }
    return value;
  };

  it('shows the PIN once, in the answer to intake, and keeps only its hash', async () => {
    const received = await first.request('POST', '/api/v1/dossiers', {
      token: await first.token('clerk'),
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    const { code, lookupPin: pin } = received.body as { code: string; lookupPin: string };
    expect(pin).toMatch(/^\d{6}$/);
    expect(received.body.receipt.data.lookupPin).toBe(pin);
    Object.assign(dossier, { code, pin });
    const [row] = await db.query(`SELECT to_jsonb(d) AS row FROM dossiers d WHERE code = $1`, [code]);
    expect(JSON.stringify(row)).not.toContain(`"${pin}"`);
    expect(row.row.lookup_pin_hash).toMatch(/^hmac-sha256\$/);
    expect(await lookupPinMatches(row.row.lookup_pin_hash, pin, lookupPinKey(first.config))).toBe(true);
    const later = await first.request('GET', `/api/v1/dossiers/${code}`, { token: await first.token('clerk') });
    expect(later.body).toMatchObject({ lookupPin: null, lookupLocked: false });
    const reprint = await first.request('GET', `/api/v1/dossiers/${code}/documents/receipt`, {
      token: await first.token('clerk'),
    });
    expect(reprint.body.data.lookupPin).toBeNull();
    expect(JSON.stringify(reprint.body)).not.toContain(pin);
  });

  it('has no lookup with the PIN in the query string any more', async () => {
    const res = await first.request('GET', `/public/v1/dossiers/${the('code')}?pin=${the('pin')}`);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('IN_PROGRESS');
  });

  it('counts one client across two API instances on the same database: the fifth lookup is refused by either', async () => {
    const answers = [
      (await lookup(first, UNKNOWN(1), '123456')).status,
      (await lookup(second, UNKNOWN(2), '123456')).status,
      (await lookup(first, UNKNOWN(3), '123456')).status,
      (await lookup(second, UNKNOWN(4), '123456')).status,
    ];
    expect(answers).toEqual([404, 404, 404, 404]);
    const fifth = await lookup(second, UNKNOWN(5), '123456');
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await lookup(first, UNKNOWN(6), '123456')).status).toBe(429);
  });

  it('ignores X-Forwarded-For on an instance that trusts no proxy: a forged address changes nothing', async () => {
    const answers: number[] = [];
    for (let i = 1; i <= 5; i++) {
      answers.push((await lookup(first, UNKNOWN(i), '123456', `203.0.113.${i}`)).status);
    }
    expect(answers).toEqual([404, 404, 404, 404, 429]);
  });

  it('counts each client the trusted proxy names on its own', async () => {
    const one: number[] = [];
    for (let i = 1; i <= 5; i++) {
      one.push((await lookup(proxied, UNKNOWN(i), '123456', '203.0.113.7')).status);
    }
    expect(one).toEqual([404, 404, 404, 404, 429]);
    // Another citizen behind the same proxy is not held up by the first one's guessing.
    expect((await lookup(proxied, UNKNOWN(6), '123456', '198.51.100.20')).status).toBe(404);
  });

  it('forgives wrong PINs before a right one, and locks after ten wrong ones in a row, even for the right PIN', async () => {
    const [code, pin] = [the('code'), the('pin')];
    const wrong = (i: number) => String((Number(pin) + 1 + i) % 1_000_000).padStart(6, '0');
    // From a new address each time (through the trusted proxy), so only the per-dossier count can stop it.
    let address = 0;
    const attempt = (p: string) => lookup(proxied, code, p, `198.51.100.${++address}`);
    expect((await attempt(pin)).status).toBe(200);
    for (let i = 0; i < 9; i++) {
      expect((await attempt(wrong(i))).status).toBe(404);
    }
    expect((await attempt(pin)).status).toBe(200);
    const tenWrong: number[] = [];
    for (let i = 0; i < 10; i++) {
      tenWrong.push((await attempt(wrong(i))).status);
    }
    expect(tenWrong).toEqual(Array<number>(10).fill(404));
    const right = await attempt(pin);
    expect(right.status).toBe(409);
    expect(right.body).toMatchObject({ code: 'INVALID_STATE', reason: 'LOOKUP_LOCKED' });
    expect(right.body.detail).toMatch(/locked after too many wrong PINs/);
    expect((await lookup(first, code, wrong(20))).status).toBe(409);
    const seen = await first.request('GET', `/api/v1/dossiers/${code}`, { token: await first.token('clerk') });
    expect(seen.body.lookupLocked).toBe(true);
  });

  it('lets the desk of the receiving unit issue a new PIN that works; the old one no longer does', async () => {
    const [code, old] = [the('code'), the('pin')];
    // not the desk: refused; a desk of another unit does not see the dossier at all (the uniform 404)
    for (const [who, status] of [
      ['head', 403],
      ['specialist', 403],
      ['commune-clerk', 404],
    ] as const) {
      const refused = await second.request('POST', `/api/v1/dossiers/${code}/lookup-pin`, {
        token: await second.token(who),
      });
      expect({ who, status: refused.status }).toEqual({ who, status });
    }
    const issued = await second.request('POST', `/api/v1/dossiers/${code}/lookup-pin`, {
      token: await second.token('clerk2'),
    });
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ code, pin: expect.stringMatching(/^\d{6}$/) });
    const pin: string = issued.body.pin;
    const found = await lookup(first, code, pin);
    expect(found.status).toBe(200);
    expect(found.body.code).toBe(code);
    if (pin !== old) {
      expect((await lookup(first, code, old)).status).toBe(404);
    }
    const seen = await first.request('GET', `/api/v1/dossiers/${code}`, { token: await first.token('clerk') });
    expect(seen.body.lookupLocked).toBe(false);
    dossier.pin = pin;
  });

  it('prints the receipt with the PIN only when the desk brings the current one', async () => {
    const [code, pin] = [the('code'), the('pin')];
    const token = await first.token('clerk');
    const printed = await first.request('POST', `/api/v1/dossiers/${code}/documents/receipt`, { token, body: { pin } });
    expect(printed.status).toBe(200);
    expect(printed.body.data.lookupPin).toBe(pin);
    expect(printed.body.print.fields).toContainEqual(['Mã tra cứu (PIN)', pin]);
    const pdf = await first.request('POST', `/api/v1/dossiers/${code}/documents/receipt`, {
      token,
      body: { pin },
      headers: { accept: 'application/pdf' },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    const other = pin === '000000' ? '000001' : '000000';
    const forged = await first.request('POST', `/api/v1/dossiers/${code}/documents/receipt`, {
      token,
      body: { pin: other },
    });
    expect(forged.status).toBe(422);
    expect(forged.body.errors).toEqual([expect.objectContaining({ field: 'pin' })]);
  });
});
