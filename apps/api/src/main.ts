import { ConfigError, loadConfig } from '../../../libs/config/src';
import { NotAnEmbeddedDatabaseError } from '../../../libs/persistence/src';
import { createApiApp, listenApi } from './bootstrap';
import { installGracefulShutdown } from './infrastructure/graceful-shutdown';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await listenApi(app, config);
  // SIGTERM/SIGINT: not ready, drain the requests in flight, then Nest's shutdown hooks, then exit 0.
  installGracefulShutdown(app, config);
}

main().catch((e: unknown) => {
  // Boot failures happen before the logger exists; one clear line on stderr is what the operator needs.
  process.stderr.write(
    `${e instanceof ConfigError || e instanceof NotAnEmbeddedDatabaseError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
