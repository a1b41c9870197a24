import { loadConfig } from '../libs/config/src';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../libs/persistence/src/data-source';
import { seedReferenceData } from '../libs/persistence/src/seed';

/** Applies pending migrations and reference data to DATABASE_URL (production deploy step). */
async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await runMigrations(config.DATABASE_URL);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
  const ds = new DataSource(dataSourceOptions(config.DATABASE_URL, 1));
  await ds.initialize();
  await seedReferenceData(ds);
  await ds.destroy();
  console.log('Reference data (national calendars 2025–2027) present.');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
