import { createServer, type Server } from 'node:http';
import { type INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createApiApp, listenApi } from '../../apps/api/src/bootstrap';
import { createTestDatabase, testConfig } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const intake = {
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
};

/** The headers every answer of the API carries, console and API alike. */
const securityHeaders = (headers: Headers) => ({
  csp: headers.get('content-security-policy'),
  nosniff: headers.get('x-content-type-options'),
  frame: headers.get('x-frame-options'),
  poweredBy: headers.get('x-powered-by'),
  referrer: headers.get('referrer-policy'),
});

/** The directives of a Content-Security-Policy header, by name. */
const directives = (csp: string | null): Record<string, string[]> =>
  Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );

describe('embedded mode on a network (demo tokens for anyone who reaches it)', () => {
  let product: RunningProduct;
  const others: INestApplication[] = [];

  beforeAll(async () => {
    product = await startProduct({ worker: false });
  });

  afterAll(async () => {
    for (const app of others) {
      await app.close();
    }
    await product?.stop();
  });

  /** Another API instance on the same database and namespace, listening as `main.ts` does. */
  const listening = async (host: string | undefined, warnings: string[]): Promise<string> => {
    const config = Object.assign(testConfig({ ...envOf(product) }), { HOST: host });
    const app = await createApiApp(config);
    others.push(app);
    await listenApi(app, config, (message) => warnings.push(message));
    return (app.getHttpServer().address() as { address: string }).address;
  };

  it('listens on loopback only unless told otherwise', async () => {
    const warnings: string[] = [];
    expect(await listening(undefined, warnings)).toBe('127.0.0.1');
    expect(warnings).toEqual([]);
  });

  it('warns loudly when told to listen beyond this machine', async () => {
    const warnings: string[] = [];
    expect(await listening('0.0.0.0', warnings)).toBe('0.0.0.0');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WARNING: embedded mode is listening on 0\.0\.0\.0:0/);
    expect(warnings[0]).toMatch(/ANYONE who can reach this port can sign in as any demo officer/);
    expect(warnings[0]).toMatch(/the admin included/);
  });

  it('refuses to start against a database that was not created for it (no demo tokens on real data)', async () => {
    const url = await createTestDatabase();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      // As an operator's own database is: the same schema and officers, no embedded mark.
      await client.query(`DELETE FROM embedded_database`);
    } finally {
      await client.end();
    }
    await expect(createApiApp(testConfig({ ...envOf(product), DATABASE_URL: url }))).rejects.toThrow(
      /DEPLOYMENT_MODE=embedded refused: this database was not created for embedded mode/,
    );
  });
});

/** The settings a running product was started with, as environment variables (to start a sibling). */
function envOf(product: RunningProduct): Record<string, string> {
  const { DATABASE_URL, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE } = product.config;
  return { DATABASE_URL, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE };
}

describe('health, headers, the OpenAPI document and the register (embedded mode)', () => {
  let product: RunningProduct;

  beforeAll(async () => {
    product = await startProduct({ worker: false });
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('answers liveness to anyone, with nothing but up', async () => {
    const live = await product.request('GET', '/api/v1/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'up' });
  });

  it('answers readiness to anyone by its status alone, and with each component’s detail to officers', async () => {
    // No worker polls this product's queue: readiness is down, and says why only to an officer.
    const anonymous = await product.request('GET', '/api/v1/health');
    expect(anonymous.status).toBe(503);
    expect(Object.keys(anonymous.body).sort()).toEqual(['checkedAt', 'status']);
    expect(JSON.stringify(anonymous.body)).not.toMatch(/taskQueue|serverVersion|namespace|postgres|detail/);
    const officer = await product.request('GET', '/api/v1/health', { token: await product.token('specialist') });
    expect(officer.status).toBe(503);
    expect(officer.body.components).toMatchObject({
      postgres: { status: 'up' },
      temporal: { status: 'up', namespace: product.config.TEMPORAL_NAMESPACE },
      worker: { status: 'down', taskQueue: product.config.TEMPORAL_TASK_QUEUE },
    });
    const forged = await product.request('GET', '/api/v1/health', { token: 'not-a-token' });
    expect(forged.status).toBe(401);
  });

  it('sends the security headers on the API and on the console', async () => {
    for (const path of ['/api/v1/auth/options', '/', '/ho-so/000.00.20.H36-260101-0001', '/api/v1/nothing-here']) {
      const res = await fetch(`${product.baseUrl}${path}`);
      const headers = securityHeaders(res.headers);
      expect({ path, ...headers, csp: undefined }).toEqual({
        path,
        csp: undefined,
        nosniff: 'nosniff',
        frame: 'DENY',
        poweredBy: null,
        referrer: 'no-referrer',
      });
      const csp = directives(headers.csp);
      expect({ path, script: csp['script-src'], ancestors: csp['frame-ancestors'] }).toEqual({
        path,
        script: ["'self'"],
        ancestors: ["'none'"],
      });
      expect(csp['connect-src']).toEqual(["'self'"]);
      expect(csp['upgrade-insecure-requests']).toBeUndefined();
    }
  });

  it('serves the OpenAPI document and UI in embedded mode', async () => {
    expect((await product.request('GET', '/api/docs-json')).status).toBe(200);
    expect((await fetch(`${product.baseUrl}/api/docs`)).status).toBe(200);
  });

  describe('the register (form 07: every applicant’s name, address and phone)', () => {
    const register = async (username: string, from: string, to: string) =>
      product.request('GET', `/api/v1/register?unit=000.00.20.H36&from=${from}&to=${to}`, {
        token: await product.token(username),
      });

    beforeAll(async () => {
      const res = await product.request('POST', '/api/v1/dossiers', {
        token: await product.token('clerk'),
        body: intake,
      });
      expect(res.status).toBe(201);
    });

    it('opens to the desk, the heads of units and the inspectors, and to no one else', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const statuses: Record<string, number> = {};
      for (const username of [
        'clerk',
        'head',
        'auditor',
        'ppc-leader',
        'specialist',
        'division-head',
        'admin',
        'agency-system',
      ]) {
        statuses[username] = (await register(username, today, today)).status;
      }
      expect(statuses).toEqual({
        clerk: 200,
        head: 200,
        auditor: 200,
        'ppc-leader': 200,
        specialist: 403,
        'division-head': 403,
        admin: 403,
        'agency-system': 403,
      });
    });

    it('lists at most 31 days at a time', async () => {
      expect((await register('clerk', '2026-01-01', '2026-01-31')).status).toBe(200);
      const year = await register('clerk', '2026-01-01', '2026-12-31');
      expect(year.status).toBe(422);
      expect(year.body.errors).toEqual([{ field: 'to', message: 'must be at most 30 days after from' }]);
    });
  });
});

describe('production: no OpenAPI document, the provider in the policy', () => {
  let product: RunningProduct;
  let idp: Server;
  let issuer: string;

  beforeAll(async () => {
    idp = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}'));
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
    product = await startProduct({
      worker: false,
      overrides: {
        DEPLOYMENT_MODE: 'production',
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'mot-cua-console',
        JWKS_URL: `${issuer}/jwks`,
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: 'dossier-engine',
        LOOKUP_PIN_KEY: Buffer.alloc(32, 9).toString('base64'),
      },
    });
  });

  afterAll(async () => {
    await product?.stop();
    await new Promise((resolve) => idp?.close(resolve));
  });

  it('serves neither the OpenAPI document nor its UI', async () => {
    const document = await product.request('GET', '/api/docs-json');
    expect(document.status).toBe(404);
    expect(document.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${product.baseUrl}/api/docs`)).status).toBe(404);
  });

  it('lets the console call the identity provider, and nothing else outside', async () => {
    const csp = directives((await fetch(`${product.baseUrl}/`)).headers.get('content-security-policy'));
    expect(csp['connect-src']).toEqual(["'self'", issuer]);
    expect(csp['script-src']).toEqual(["'self'"]);
  });
});
