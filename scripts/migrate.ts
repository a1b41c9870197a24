import { loadConfig } from '../libs/config/src';
import { DataSource } from 'typeorm';
import { grantApplicationRole } from '../libs/persistence/src/application-role';
import { dataSourceOptions, runMigrations } from '../libs/persistence/src/data-source';
import { seedReferenceData } from '../libs/persistence/src/seed';

/**
 * Applies pending migrations and reference data to DATABASE_URL (production deploy step, as the tables' owner);
 * `--grant-to=<role>` then grants the role the API and the worker run as what they need (application-role.ts).
 */
async function main(): Promise<void> {
  const grantTo = process.argv.find((a) => a.startsWith('--grant-to='))?.slice('--grant-to='.length);
  const config = loadConfig();
  const applied = await runMigrations(config.DATABASE_URL);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Schema is up to date.');
  const ds = new DataSource(dataSourceOptions(config.DATABASE_URL, 1));
  await ds.initialize();
  try {
    await seedReferenceData(ds);
    console.log('Reference data (national calendars 2025–2027) present.');
    if (grantTo !== undefined) {
      await grantApplicationRole(ds, grantTo);
      console.log(`Role ${grantTo}: reads and writes the tables (the audit trail: reads and appends), owns none.`);
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
