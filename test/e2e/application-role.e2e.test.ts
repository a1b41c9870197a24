import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, EXAMPLE_A_WALK, grantApplicationRole } from '../../libs/persistence/src';
import { EXAMPLE_A_INTAKE } from '../support/dossier-fixtures';
import { eventually, createTestDatabase, infrastructure } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

/**
 * The production advice made a deploy step: the API and the worker run as a role that owns no table
 * (`npm run migrate -- --grant-to=<role>`), and the whole product works under it, while the role can neither edit the
 * audit trail nor disable its trigger nor change the schema.
 */
describe('the API and the worker under a role that owns no table (e2e)', () => {
  const role = `dossier_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let ownerUrl: string;
  let owner: DataSource;
  let product: RunningProduct;
  let asApp: Client;

  const superuser = async <T>(work: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: infrastructure().postgresServerUrl });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    ownerUrl = await createTestDatabase();
    await superuser((c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`));
    owner = new DataSource(dataSourceOptions(ownerUrl, 2));
    await owner.initialize();
    await grantApplicationRole(owner, role);
    const appUrl = new URL(ownerUrl);
    appUrl.username = role;
    appUrl.password = password;
    product = await startProduct({ overrides: { DATABASE_URL: appUrl.toString() } });
    asApp = new Client({ connectionString: appUrl.toString() });
    await asApp.connect();
  });

  afterAll(async () => {
    await asApp?.end();
    await product?.stop();
    await owner?.query(`DROP OWNED BY ${role}`);
    await owner?.destroy();
    await superuser((c) => c.query(`DROP ROLE IF EXISTS ${role}`));
  });

  it('receives a dossier, walks it to its result and keeps an intact audit chain', async () => {
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: await product.token('clerk'),
      body: EXAMPLE_A_INTAKE,
    });
    expect(received.status).toBe(201);
    const code: string = received.body.code;
    await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: await product.token('clerk') });
      return res.body.currentStep?.code === 'S01' ? true : undefined;
    }, 'the workflow to take the dossier into processing');
    for (const [who, action, body] of [
      ...EXAMPLE_A_WALK,
      ['clerk', 'return-result', { deliveryMethod: 'ELECTRONIC' }],
    ] as const) {
      const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, {
        token: await product.token(who),
        body: body ?? {},
      });
      expect({ who, action, status: res.status, detail: res.body.detail }).toMatchObject({ status: 200 });
    }
    const verify = await product.request('GET', '/api/v1/audit/verify', { token: await product.token('auditor') });
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ valid: true });
    expect(verify.body.checked).toBeGreaterThan(EXAMPLE_A_WALK.length);
  });

  it('cannot change the audit trail, disable its trigger or change the schema', async () => {
    const refusal = (sql: string) =>
      asApp.query(sql).then(
        () => 'done',
        (e: { code?: string }) => e.code,
      );
    expect(await refusal(`UPDATE audit_log SET purpose = 'rewritten'`)).toBe('42501'); // insufficient privilege
    expect(await refusal(`DELETE FROM audit_log`)).toBe('42501');
    expect(await refusal(`TRUNCATE audit_log`)).toBe('42501');
    expect(await refusal(`ALTER TABLE audit_log DISABLE TRIGGER ALL`)).toBe('42501'); // must be owner
    expect(await refusal(`DROP TABLE dossiers`)).toBe('42501');
    expect(await refusal(`CREATE TABLE intruder (id int)`)).toBe('42501');
  });

  it('refuses to grant to a superuser, to the owner, to a role that does not exist or is not a name', async () => {
    await expect(grantApplicationRole(owner, 'postgres')).rejects.toThrow(/superuser/);
    await expect(grantApplicationRole(owner, `absent_${role}`)).rejects.toThrow(/no role/);
    await expect(grantApplicationRole(owner, 'x; DROP TABLE dossiers')).rejects.toThrow(/not a role name/);
  });
});
