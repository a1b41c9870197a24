import { ConfigError, loadConfig } from '../../../libs/config/src';
import { createWorkerContext, workerDone } from './bootstrap';

async function main(): Promise<void> {
  const context = await createWorkerContext(loadConfig());
  // SIGINT/SIGTERM close the context (shutdown hooks), which drains the worker; then this resolves.
  await workerDone(context);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `${e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
