import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
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

  it('answers officers of other units and other subtrees as if the dossier did not exist', async () => {
    for (const username of ['dept-leader', 'commune-chair', 'commune-clerk', 'specialist', 'police-officer']) {
      const res = await read(username);
      expect({ username, status: res.status }).toEqual({ username, status: 404 });
      expect(res.body.detail).toBe(`No dossier has the code ${code}.`);
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
});

describe('production authentication (RS256 tokens from an OIDC provider’s JWKS)', () => {
  let product: RunningProduct;
  let jwks: Server;
  let sign: (claims: Record<string, unknown>) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as { port: number };
    sign = (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer('https://idp.test')
        .setAudience('dossier-engine')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    product = await startProduct({
      worker: false,
      overrides: {
        DEPLOYMENT_MODE: 'production',
        JWKS_URL: `http://127.0.0.1:${port}/jwks`,
        JWT_ISSUER: 'https://idp.test',
        JWT_AUDIENCE: 'dossier-engine',
      },
    });
  });

  afterAll(async () => {
    await product?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('accepts the provider’s tokens for known officers and refuses everything else', async () => {
    const ok = await product.request('GET', '/api/v1/units', { token: await sign({ preferred_username: 'clerk' }) });
    expect(ok.status).toBe(200);
    const stranger = await product.request('GET', '/api/v1/units', {
      token: await sign({ preferred_username: 'mallory' }),
    });
    expect(stranger.status).toBe(401);
    expect(stranger.body.detail).toContain('No active officer "mallory"');
    const wrongAudience = await new SignJWT({ preferred_username: 'clerk' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await product.request('GET', '/api/v1/units', { token: wrongAudience })).status).toBe(401);
  });

  it('issues no demo tokens', async () => {
    const res = await product.request('POST', '/api/v1/auth/token', { body: { username: 'clerk' } });
    expect(res.status).toBe(404);
  });
});
