import { loadConfig } from '../libs/config/src';
import { runMigrations } from '../libs/persistence/src/data-source';

/** Applies pending migrations to DATABASE_URL (production deploy step). */
async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await runMigrations(config.DATABASE_URL);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
