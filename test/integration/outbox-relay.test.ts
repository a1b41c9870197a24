import { join } from 'node:path';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src';
import { freePort, startTemporalDevServer } from '../../scripts/infra/temporal-server';
import { eventually, infrastructure } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

const intake = (idNumber: string) => ({
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber, name: 'Nguyễn Văn An' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
});

/**
 * Temporal goes away while the API runs: health says so, intake keeps committing to PostgreSQL, and once
 * Temporal is back the relay starts every waiting workflow exactly once.
 */
describe('outbox relay across a Temporal outage', () => {
  let temporal: TestWorkflowEnvironment | undefined;
  let product: RunningProduct;
  let db: DataSource;
  let temporalPort: number;
  const dbFilename = join(infrastructure().workDir, `temporal-outage-${process.pid}.db`);

  beforeAll(async () => {
    temporalPort = await freePort();
    temporal = await startTemporalDevServer({ port: temporalPort, dbFilename });
    // Its own server, so the default namespace: the one the test lists workflows in.
    product = await startProduct({
      overrides: { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_NAMESPACE: 'default' },
    });
    db = new DataSource(dataSourceOptions(product.config.DATABASE_URL, 2));
    await db.initialize();
  });

  afterAll(async () => {
    await product?.stop();
    await db?.destroy();
    await temporal?.teardown();
  });

  it('reports the outage, keeps intake working and catches up without loss or duplicates', async () => {
    const clerk = await product.token('clerk');
    const before = await product.request('GET', '/api/v1/health', { token: clerk });
    expect(before.status).toBe(200);
    expect(before.body.components.temporal.status).toBe('up');
    expect(before.body.components.worker.status).toBe('up');

    await temporal!.teardown();
    temporal = undefined;

    const during = await eventually(async () => {
      const res = await product.request('GET', '/api/v1/health', { token: clerk });
      return res.body.components.temporal.status === 'down' ? res : undefined;
    }, 'health to report Temporal down');
    expect(during.status).toBe(503);
    expect(during.body.status).toBe('down');
    expect(during.body.components.postgres.status).toBe('up');
    expect(during.body.components.temporal.detail).toEqual(expect.any(String));

    const codes: string[] = [];
    for (const id of ['001203000001', '001203000002', '001203000003']) {
      const res = await product.request('POST', '/api/v1/dossiers', { token: clerk, body: intake(id) });
      expect(res.status).toBe(201);
      codes.push(res.body.code);
    }
    expect(new Set(codes).size).toBe(3);
    // Give the relay time to try (and fail) at least once while Temporal is away.
    await eventually(async () => {
      const [row] = await db.query(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE attempts > 0 AND dispatched_at IS NULL`,
      );
      return row.n === 3 ? true : undefined;
    }, 'the relay to attempt delivery during the outage');
    const pending = await product.request('GET', '/api/v1/health', { token: clerk });
    expect(pending.body.components.outbox.pending).toBe(3);
    // The first start as queued (once delivered, the outbox keeps no payload).
    const [queued] = await db.query(`SELECT kind, payload FROM outbox_messages WHERE aggregate_key = $1`, [codes[0]]);

    temporal = await startTemporalDevServer({ port: temporalPort, dbFilename });

    await eventually(
      async () => {
        const rows: { code: string; national_status: number }[] = await db.query(
          `SELECT code, national_status FROM dossiers WHERE code = ANY($1)`,
          [codes],
        );
        return rows.every((r) => r.national_status === 4) ? rows : undefined;
      },
      'every dossier to reach processing after Temporal is back',
      90_000,
    );
    const [outbox] = await db.query(
      `SELECT count(*)::int AS undelivered FROM outbox_messages WHERE dispatched_at IS NULL`,
    );
    expect(outbox.undelivered).toBe(0);

    // Redelivering a start (as after a relay crash between start and commit, the message still pending with its
    // payload) must not start a second workflow.
    const [{ id: again }] = await db.query(
      `INSERT INTO outbox_messages (kind, aggregate_key, payload) VALUES ($1, $2, $3) RETURNING id`,
      [queued.kind, codes[0], JSON.stringify(queued.payload)],
    );
    await eventually(async () => {
      const [row] = await db.query(`SELECT dispatched_at FROM outbox_messages WHERE id = $1`, [again]);
      return row.dispatched_at ? true : undefined;
    }, 'the redelivered start to be dispatched');

    for (const code of codes) {
      const runs: string[] = [];
      for await (const wf of temporal.client.workflow.list({ query: `WorkflowId = '${code}'` })) {
        runs.push(wf.runId);
      }
      expect(runs).toHaveLength(1);
      const events: { type: string }[] = await db.query(
        `SELECT type FROM dossier_events WHERE dossier_code = $1 ORDER BY seq`,
        [code],
      );
      expect(events.map((e) => e.type)).toEqual(['RECEIVED', 'PROCESSING_STARTED']);
    }

    const after = await eventually(
      async () => {
        const res = await product.request('GET', '/api/v1/health', { token: clerk });
        return res.status === 200 ? res : undefined;
      },
      'health to recover',
      90_000,
    );
    expect(after.body.components.outbox.pending).toBe(0);
  });
});
