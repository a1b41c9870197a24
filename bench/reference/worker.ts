import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import * as activities from './activities';
import { REFERENCE_TASK_QUEUE } from './schema';

/** The reference's worker: its workflow and its one activity. Env: TEMPORAL_ADDRESS, REFERENCE_DATABASE_URL. */
async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: REFERENCE_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities: { recordReceived: activities.recordReceived },
  });
  await worker.run();
  await activities.closeReferencePool();
  await connection.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
