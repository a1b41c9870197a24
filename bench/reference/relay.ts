import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Pool } from 'pg';
import { REFERENCE_TASK_QUEUE, REFERENCE_WORKFLOW_TYPE } from './schema';

/**
 * The reference's relay, as one is built by hand: polls the outbox with FOR UPDATE SKIP LOCKED, starts each row's
 * workflow (the dossier code as its ID, so a redelivery is harmless), marks the batch dispatched in the same
 * transaction. Polls again at once after a batch, else every RELAY_POLL_INTERVAL_MS.
 * Env: REFERENCE_DATABASE_URL, TEMPORAL_ADDRESS, RELAY_POLL_INTERVAL_MS, RELAY_BATCH_SIZE.
 */
const pool = new Pool({ connectionString: process.env.REFERENCE_DATABASE_URL, max: 2 });
const interval = Number(process.env.RELAY_POLL_INTERVAL_MS ?? 50);
const batchSize = Number(process.env.RELAY_BATCH_SIZE ?? 50);
let running = true;

async function drainOnce(client: Client): Promise<number> {
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    const { rows } = await db.query<{ id: string; dossier_code: string }>(
      `SELECT id, dossier_code FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize],
    );
    await Promise.all(
      rows.map((row) =>
        client.workflow
          .start(REFERENCE_WORKFLOW_TYPE, {
            taskQueue: REFERENCE_TASK_QUEUE,
            workflowId: row.dossier_code,
            args: [{ code: row.dossier_code }],
          })
          .catch((e: unknown) => {
            if (!(e instanceof WorkflowExecutionAlreadyStartedError)) {
              throw e;
            }
          }),
      ),
    );
    if (rows.length > 0) {
      await db.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    }
    await db.query('COMMIT');
    return rows.length;
  } catch (e) {
    await db.query('ROLLBACK');
    throw e;
  } finally {
    db.release();
  }
}

async function main(): Promise<void> {
  const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }) });
  process.on('SIGTERM', () => void (running = false));
  while (running) {
    let sent = 0;
    try {
      sent = await drainOnce(client);
    } catch (e) {
      process.stderr.write(`relay: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    if (sent === 0) {
      await new Promise((r) => setTimeout(r, interval));
    }
  }
  await pool.end();
  await client.connection.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
