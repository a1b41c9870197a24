import { Client } from 'pg';
import { TemporalWorkerService } from '../../apps/worker/src/temporal-worker.service';
import { agencyTaskQueue } from '../../libs/config/src';
import { connectedIntake, connectedProcedureAt, NEW_AGENCY } from '../support/dossier-fixtures';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

/** A procedure published while the worker runs, whose segment names an agency no worker polls yet. */
const PROCEDURE = '1.999390';

describe('a new agency in the catalog, while the worker runs', () => {
  let product: RunningProduct;
  const queues = (): string[] => product.worker!.get(TemporalWorkerService).taskQueues;

  beforeAll(async () => {
    // No periodic re-check within the test: the publication's NOTIFY alone must be heard.
    product = await startProduct({ overrides: { WORKER_AGENCIES_RECHECK_MS: '0' } });
  });

  afterAll(async () => {
    await product?.stop();
  });

  it('polls the new agency’s task queue once a procedure naming it is published, and runs its segment', async () => {
    const queue = agencyTaskQueue(product.config, NEW_AGENCY);
    expect(queues()).not.toContain(queue);
    const published = await product.request('POST', '/api/v1/procedures', {
      token: await product.token('admin'),
      body: connectedProcedureAt(PROCEDURE),
    });
    expect(published.status).toBe(201);
    await eventually(
      () => Promise.resolve(queues().includes(queue) ? true : undefined),
      `the worker polling ${queue}`,
      15_000,
    );

    const clerk = await product.token('clerk');
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: connectedIntake(PROCEDURE, 1),
    });
    expect(received.status).toBe(201);
    const at = await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${received.body.code}`, { token: clerk });
      return res.body.currentStep?.code === 'C1' ? res.body.currentStep : undefined;
    }, 'the new agency’s segment taking the dossier');
    expect(at).toMatchObject({ code: 'C1', unitCode: NEW_AGENCY });
  });

  it('stops the workers it added with the others, gracefully', async () => {
    const service = product.worker!.get(TemporalWorkerService);
    const stopping = product;
    product = undefined!;
    await stopping.stop();
    await expect(service.done).resolves.toBeUndefined();
  });
});

describe('a new agency whose notice the worker missed', () => {
  let product: RunningProduct | undefined;

  afterAll(async () => {
    await product?.stop();
  });

  it('is polled at the next periodic re-check (WORKER_AGENCIES_RECHECK_MS)', async () => {
    product = await startProduct({ overrides: { WORKER_AGENCIES_RECHECK_MS: '1000' } });
    const queue = agencyTaskQueue(product.config, NEW_AGENCY);
    const db = new Client({ connectionString: product.config.DATABASE_URL });
    await db.connect();
    try {
      // Published with the trigger off: no NOTIFY, as when the worker's LISTEN connection was down.
      await db.query(`ALTER TABLE procedure_versions DISABLE TRIGGER catalog_changed`);
      const published = await product.request('POST', '/api/v1/procedures', {
        token: await product.token('admin'),
        body: connectedProcedureAt(PROCEDURE),
      });
      expect(published.status).toBe(201);
    } finally {
      await db.query(`ALTER TABLE procedure_versions ENABLE TRIGGER catalog_changed`);
      await db.end();
    }
    const worker = product.worker!.get(TemporalWorkerService);
    await eventually(
      () => Promise.resolve(worker.taskQueues.includes(queue) ? true : undefined),
      `the worker polling ${queue}`,
      15_000,
    );
  });
});
