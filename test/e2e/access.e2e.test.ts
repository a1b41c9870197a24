import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { bindOfficerIdentities } from '../../scripts/infra/officer-bindings';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const intake = {
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'ONLINE',
  applicant: { type: 'ORGANISATION', idNumber: '5800123456', name: 'Giáo hội Phật giáo Việt Nam tỉnh Lâm Đồng' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
};

describe('organisation and access rules over HTTP', () => {
  let product: RunningProduct;
  let code: string;

  beforeAll(async () => {
    product = await startProduct({ worker: false });
    const res = await product.request('POST', '/api/v1/dossiers', {
      token: await product.token('clerk'),
      body: intake,
    });
    expect(res.status).toBe(201);
    code = res.body.code;
  });

  afterAll(async () => {
    await product?.stop();
  });

  const read = async (username: string) =>
    product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token(username) });

  it('serves the unit tree with heads', async () => {
    const token = await product.token('specialist');
    const tree = await product.request('GET', '/api/v1/units', { token });
    expect(tree.status).toBe(200);
    const [root] = tree.body.units;
    expect(root).toMatchObject({ code: '000.00.00.H36', kind: 'PEOPLES_COMMITTEE', head: { fullName: 'Vũ Đức Long' } });
    const kinds = root.children.map((c: { kind: string }) => c.kind);
    expect(kinds).toEqual(expect.arrayContaining(['SERVICE_CENTRE', 'DEPARTMENT', 'POLICE', 'COMMUNE']));
    const division = await product.request('GET', '/api/v1/units/000.12.01.H36', { token });
    expect(division.body).toMatchObject({
      name: 'Phòng Tôn giáo',
      parentCode: '000.00.12.H36',
      head: { fullName: 'Đỗ Thị Hạnh' },
    });
    expect((await product.request('GET', '/api/v1/units/000.99.99.H36', { token })).status).toBe(404);
    expect((await product.request('GET', '/api/v1/units/centre', { token })).status).toBe(422);
    expect((await product.request('GET', '/api/v1/units')).status).toBe(401);
  });

  it('lets officers of the unit and heads above it see the dossier', async () => {
    for (const username of ['clerk', 'head', 'ppc-leader', 'admin', 'auditor']) {
      const res = await read(username);
      expect({ username, status: res.status }).toEqual({ username, status: 200 });
    }
  });

  it('answers officers of other units and other subtrees exactly as for a code no dossier has', async () => {
    const missing = code.replace(/\d{4}$/, '9999');
    for (const username of ['dept-leader', 'commune-chair', 'commune-clerk', 'specialist', 'police-officer']) {
      const token = await product.token(username);
      for (const [path, method, body] of [
        ['', 'GET'],
        ['/documents/receipt', 'GET'],
        ['/actions/claim', 'POST', {}],
      ] as const) {
        const outside = await product.request(method, `/api/v1/dossiers/${code}${path}`, { token, body });
        const nowhere = await product.request(method, `/api/v1/dossiers/${missing}${path}`, { token, body });
        expect({ username, path, status: outside.status }).toEqual({ username, path, status: 404 });
        // Same answer, word for word: nothing says the dossier exists, nor which units it went through.
        expect(JSON.stringify(outside.body).replaceAll(code, '<code>')).toBe(
          JSON.stringify(nowhere.body).replaceAll(missing, '<code>'),
        );
        expect(JSON.stringify(outside.body).replaceAll(code, '')).not.toContain('000.00.20.H36');
      }
    }
  });

  it('lets an auditor read but not act, and an agency system receive', async () => {
    const auditor = await product.token('auditor');
    expect((await product.request('POST', '/api/v1/dossiers', { token: auditor, body: intake })).status).toBe(403);
    expect(
      (
        await product.request('PUT', '/api/v1/calendars/H36/2027', {
          token: auditor,
          body: { holidays: [], makeupWorkdays: [] },
        })
      ).status,
    ).toBe(403);
    const system = await product.request('POST', '/api/v1/dossiers', {
      token: await product.token('agency-system'),
      body: intake,
    });
    expect(system.status).toBe(201);
  });

  it('takes a disabled officer’s access at once, though officers are cached for 5 s, and gives it back', async () => {
    const token = await product.token('auditor');
    expect((await read('auditor')).status).toBe(200); // now cached
    const db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 1));
    await db.initialize();
    try {
      await db.query(`UPDATE officers SET active = false WHERE username = 'auditor'`);
      // Well within OFFICER_CACHE_TTL_MS (5 s): the change's NOTIFY emptied the cache, not its bound.
      const refused = await eventually(
        async () => {
          const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token });
          return res.status === 401 ? res : undefined;
        },
        'the disabled officer to be refused',
        2_000,
      );
      expect(refused.body.detail).toContain('No active officer "auditor"');
      await db.query(`UPDATE officers SET active = true WHERE username = 'auditor'`);
      expect((await read('auditor')).status).toBe(200); // a refusal is never cached
    } finally {
      await db.query(`UPDATE officers SET active = true WHERE username = 'auditor'`);
      await db.destroy();
    }
  });
});

describe('production authentication (RS256 tokens from an OIDC provider’s JWKS)', () => {
  const ISSUER = 'https://idp.test';
  let product: RunningProduct;
  let jwks: Server;
  let sign: (
    claims: Record<string, unknown>,
    options?: { issuer?: string; audience?: string; expires?: boolean },
  ) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as { port: number };
    sign = (claims, { issuer = ISSUER, audience = 'dossier-engine', expires = true } = {}) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt();
      return (expires ? jwt.setExpirationTime('5m') : jwt).sign(privateKey);
    };
    product = await startProduct({
      worker: false,
      overrides: {
        DEPLOYMENT_MODE: 'production',
        JWKS_URL: `http://127.0.0.1:${port}/jwks`,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: 'dossier-engine',
        LOOKUP_PIN_KEY: Buffer.alloc(32, 9).toString('base64'),
      },
    });
    // The operator maps the officers to their accounts at the provider (npm run officers:bind).
    await bindOfficerIdentities(product.config.DATABASE_URL, ISSUER, [
      { username: 'clerk', subject: '5d0f9c1e-clerk' },
      { username: 'admin', subject: '0b7e4a2d-admin' },
    ]);
  });

  afterAll(async () => {
    await product?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const units = async (token: string) => product.request('GET', '/api/v1/units', { token });

  it('accepts the provider’s tokens for the officer bound to their subject', async () => {
    const me = await product.request('GET', '/api/v1/auth/me', { token: await sign({ sub: '5d0f9c1e-clerk' }) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'clerk', roles: ['DESK_CLERK'] });
  });

  it('refuses a token that names an officer by username without being that officer’s account', async () => {
    // An account anyone could open at the provider, calling itself the admin.
    const mallory = await units(await sign({ sub: '9c3e-mallory', preferred_username: 'admin' }));
    expect(mallory.status).toBe(401);
    expect(mallory.body.detail).toContain(
      'No active officer is bound to the account "9c3e-mallory" of https://idp.test',
    );
    // A subject that happens to be a username is nobody either.
    expect((await units(await sign({ sub: 'admin', preferred_username: 'admin' }))).status).toBe(401);
    expect((await units(await sign({ sub: '0b7e4a2d-admin' }))).status).toBe(200);
  });

  it('refuses tokens of another issuer, for another audience, without expiry or subject, or HS256', async () => {
    const admin = { sub: '0b7e4a2d-admin' };
    const refusals = {
      otherIssuer: await units(await sign(admin, { issuer: 'https://idp.attacker.example' })),
      otherAudience: await units(await sign(admin, { audience: 'another-app' })),
      noExpiry: await units(await sign(admin, { expires: false })),
      noSubject: await units(await sign({ preferred_username: 'admin' })),
      hs256: await units(
        await new SignJWT(admin)
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ISSUER)
          .setAudience('dossier-engine')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('x'.repeat(32))),
      ),
    };
    expect(Object.fromEntries(Object.entries(refusals).map(([k, r]) => [k, r.status]))).toEqual({
      otherIssuer: 401,
      otherAudience: 401,
      noExpiry: 401,
      noSubject: 401,
      hs256: 401,
    });
    expect(refusals.noExpiry.body.detail).toContain('"exp" claim');
  });

  it('issues no demo tokens', async () => {
    const res = await product.request('POST', '/api/v1/auth/token', { body: { username: 'clerk' } });
    expect(res.status).toBe(404);
  });
});
