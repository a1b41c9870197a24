import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { type INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createWorkerContext } from '../../apps/worker/src/bootstrap';
import { dataSourceOptions } from '../../libs/persistence/src';
import { CENTRE } from '../support/dossier-fixtures';
import { eventually } from '../support/infrastructure';
import { testDataConverter } from '../support/payload-keys';
import { type RunningProduct, startProduct } from '../support/product';

/**
 * WORKFLOW_STARTS_IN_FLIGHT: a burst of intakes waits in the outbox, in order, rather than in the workers' task
 * queue, where an officer's action would wait behind every new dossier's first task. Nothing accepted is lost: the
 * starts held back go out as the workers take the ones before up.
 */
describe('the relay’s window of workflow starts (e2e)', () => {
  const WINDOW = 2;
  let product: RunningProduct;
  let db: DataSource;
  let connection: Connection;
  let client: Client;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    // No worker at first: nothing takes the started dossiers up, so the window stays full.
    product = await startProduct({
      worker: false,
      overrides: { WORKFLOW_STARTS_IN_FLIGHT: String(WINDOW), OUTBOX_POLL_INTERVAL_MS: '50' },
    });
    db = await new DataSource(dataSourceOptions(product.config.DATABASE_URL)).initialize();
    connection = await Connection.connect({ address: product.config.TEMPORAL_ADDRESS });
    client = new Client({
      connection,
      namespace: product.config.TEMPORAL_NAMESPACE,
      dataConverter: testDataConverter(),
    });
  });

  afterAll(async () => {
    await worker?.close();
    await connection?.close();
    await db?.destroy();
    await product?.stop();
  });

  const started = async (code: string): Promise<boolean> =>
    client.workflow
      .getHandle(code)
      .describe()
      .then(() => true)
      .catch((e: unknown) => {
        if (e instanceof WorkflowNotFoundError) {
          return false;
        }
        throw e;
      });

  const pendingStarts = async (): Promise<string[]> =>
    (
      await db.query<{ aggregate_key: string }[]>(
        `SELECT aggregate_key FROM outbox_messages
          WHERE kind = 'START_DOSSIER_WORKFLOW' AND dispatched_at IS NULL ORDER BY id`,
      )
    ).map((r) => r.aggregate_key);

  it('starts at most the window’s worth of workflows while no worker takes them up, then the rest in order', async () => {
    const token = await product.token('clerk');
    const codes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await product.request('POST', '/api/v1/dossiers', {
        token,
        body: {
          procedureCode: '2.000908',
          receivingUnitCode: CENTRE,
          channel: 'IN_PERSON',
          applicant: { type: 'INDIVIDUAL', idNumber: `00120300${String(7000 + i)}`, name: `Người nộp ${i + 1}` },
          documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
        },
      });
      expect(res.status).toBe(201);
      codes.push(res.body.code as string);
    }

    // The first two dossiers' workflows are started; the other three wait in the outbox, oldest first.
    await eventually(async () => ((await pendingStarts()).length === 3 ? true : undefined), 'two starts out');
    // The relay polls every 50 ms: a second later it has still started no more.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await pendingStarts()).toEqual(codes.slice(2));
    expect(await Promise.all(codes.map(started))).toEqual([true, true, false, false, false]);

    // A worker takes the two up; each first transition stored makes room for the next start.
    worker = await createWorkerContext(product.config);
    await eventually(async () => ((await pendingStarts()).length === 0 ? true : undefined), 'every start out', 60_000);
    await eventually(
      async () =>
        (
          await db.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM dossiers WHERE code = ANY($1) AND workflow_started_at IS NOT NULL`,
            [codes],
          )
        )[0].n === 5
          ? true
          : undefined,
      'every dossier taken up by its workflow',
      60_000,
    );
    expect(await Promise.all(codes.map(started))).toEqual([true, true, true, true, true]);
  }, 120_000);
});
