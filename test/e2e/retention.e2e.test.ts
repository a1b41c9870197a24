import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { temporalDataConverter } from '../../libs/config/src';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const APPLICANT = {
  type: 'INDIVIDUAL',
  idNumber: '079301012345',
  name: 'Trần Thị Bích Ngọc',
  phone: '0987654321',
  address: 'Số 12 ngõ 34 phố Lý Thường Kiệt',
};

/** A national portal that accepts everything and keeps what it was sent. */
async function acceptingPortal(): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(raw);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/sync/dossiers`, bodies, server };
}

/**
 * Personal data kept no longer than needed (Law 91/2025): the outbox forgets what it delivered, and the nightly
 * Schedule anonymises the dossiers closed longer ago than the retention period, keeping their statistics.
 */
describe('personal data retention (e2e)', () => {
  let product: RunningProduct;
  let portal: Awaited<ReturnType<typeof acceptingPortal>>;
  let db: DataSource;

  beforeAll(async () => {
    portal = await acceptingPortal();
    product = await startProduct({ overrides: { PORTAL_SYNC_URL: portal.url, PERSONAL_DATA_RETENTION_DAYS: '365' } });
    db = product.api.get(DataSource);
  });

  afterAll(async () => {
    await product?.stop();
    await new Promise((resolve) => portal?.server.close(resolve));
  });

  const receive = async (): Promise<string> => {
    const clerk = await product.token('clerk');
    const res = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      headers: { 'idempotency-key': `retention-${Date.now()}-${Math.random()}` },
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: APPLICANT,
        proxy: { name: 'Lê Văn Cường', idNumber: '001099012345', phone: '0912000111' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(res.status).toBe(201);
    const code = res.body.code as string;
    await eventually(async () => {
      const d = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
      return d.body.state === 'IN_PROGRESS' ? true : undefined;
    }, 'the workflow to start');
    return code;
  };

  const withdraw = async (code: string, reason: string): Promise<void> => {
    const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/withdraw`, {
      token: await product.token('clerk'),
      body: { reason },
    });
    expect(res.status).toBe(200);
  };

  it('purges the payload of every outbox message once it is delivered', async () => {
    const code = await receive();
    await withdraw(code, 'Bà Trần Thị Bích Ngọc rút hồ sơ');
    // The portal got the ID number: the messages carried it.
    await eventually(
      () => Promise.resolve(portal.bodies.filter((b) => b.includes(code)).length >= 3 ? true : undefined),
      'the portal to receive the dossier’s status changes',
    );
    expect(portal.bodies.find((b) => b.includes(code))).toContain(APPLICANT.idNumber);
    const messages = await eventually(async () => {
      const rows: { kind: string; dispatched_at: Date | null; payload: unknown }[] = await db.query(
        `SELECT kind, dispatched_at, payload FROM outbox_messages WHERE aggregate_key IN ($1::text, 'portal:' || $1::text)`,
        [code],
      );
      return rows.length >= 4 && rows.every((r) => r.dispatched_at) ? rows : undefined;
    }, 'every message of the dossier delivered');
    expect(new Set(messages.map((m) => m.kind))).toEqual(new Set(['START_DOSSIER_WORKFLOW', 'PORTAL_SYNC']));
    expect(messages.map((m) => m.payload)).toEqual(messages.map(() => ({})));
  });

  it('anonymises, from the nightly Schedule, the dossiers closed longer ago than the retention period', async () => {
    const [old, recent, open] = [await receive(), await receive(), await receive()];
    await withdraw(old, 'Bà Trần Thị Bích Ngọc xin rút để bổ sung hợp đồng');
    await withdraw(recent, 'Rút hồ sơ');
    // The first closed 400 days ago (the period is 365 days); the second closed today; the third is still open.
    await db.query(
      `UPDATE dossiers SET finished_at = finished_at - interval '400 days' WHERE code = $1 AND finished_at IS NOT NULL`,
      [old],
    );
    const head = await product.token('head');
    const figures = async () =>
      (
        await product.request('GET', `/api/v1/reports/progress?from=2000-01-01&to=2099-12-31&unit=000.00.20.H36`, {
          token: head,
        })
      ).body.total.counts;
    const before = await figures();

    const connection = await Connection.connect({ address: product.config.TEMPORAL_ADDRESS });
    try {
      const client = new Client({
        connection,
        namespace: product.config.TEMPORAL_NAMESPACE,
        dataConverter: temporalDataConverter(product.config),
      });
      const schedule = client.schedule.getHandle('personal-data-retention');
      const description = await eventually(() => schedule.describe(), 'the retention schedule created at boot');
      expect(description.spec.timezone).toBe('Asia/Ho_Chi_Minh');
      expect(description.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }] });
      expect(description.action).toMatchObject({ workflowType: 'personalDataRetentionWorkflow' });
      await schedule.trigger();
    } finally {
      await connection.close();
    }

    const clerk = await product.token('clerk');
    const anonymised = await eventually(async () => {
      const d = await product.request('GET', `/api/v1/dossiers/${old}`, { token: clerk });
      return d.body.applicant.name === 'Đã ẩn danh' ? d.body : undefined;
    }, 'the old dossier anonymised');
    expect(anonymised.applicant).toEqual({ type: 'INDIVIDUAL', idNumber: '', name: 'Đã ẩn danh' });
    expect(anonymised.proxy).toBeNull();
    expect(anonymised).toMatchObject({ state: 'WITHDRAWN', outcome: 'WITHDRAWN' });
    const text = JSON.stringify(anonymised);
    for (const personal of [APPLICANT.idNumber, APPLICANT.phone, APPLICANT.address, 'Bích Ngọc', 'Lê Văn Cường']) {
      expect({ personal, found: text.includes(personal) }).toEqual({ personal, found: false });
    }
    const [row] = await db.query(
      `SELECT d.anonymised_at, (SELECT count(*)::int FROM idempotency_keys k WHERE k.response_body->>'code' = d.code) AS kept
       FROM dossiers d WHERE d.code = $1`,
      [old],
    );
    expect(row).toEqual({ anonymised_at: expect.any(Date), kept: 0 });
    const stored = JSON.stringify(await db.query(`SELECT * FROM dossier_events WHERE dossier_code = $1`, [old]));
    expect(stored).not.toContain('Bích Ngọc');

    // The dossier closed today and the open one keep their applicant.
    for (const code of [recent, open]) {
      const d = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
      expect(d.body.applicant.name).toBe(APPLICANT.name);
    }
    // The statistics do not move; the audit trail says what the job did.
    expect(await figures()).toEqual(before);
    const [audit] = await db.query(
      `SELECT actor, action, details FROM audit_log WHERE action = 'dossier.anonymise' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({ actor: 'system:retention', details: { codes: [old] } });
  });
});
