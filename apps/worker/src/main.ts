import { ConfigError, loadConfig } from '../../../libs/config/src';
import { createWorkerContext, workerDone } from './bootstrap';

async function main(): Promise<void> {
  const context = await createWorkerContext(loadConfig());
  // SIGTERM/SIGINT: stop polling, let running activities finish (SHUTDOWN_GRACE_MS), close, and exit 0 — a supervisor
  // reads any other code as a crash. (Nest's own shutdown hooks re-raise the signal after closing: never 0.)
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    context.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`worker shutdown failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await workerDone(context);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `${e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
