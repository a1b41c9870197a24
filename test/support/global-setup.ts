import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  markEmbeddedDatabase,
  runMigrations,
  seedDemoData,
  seedReferenceData,
} from '../../libs/persistence/src';
import { ensureDatabase, startEmbeddedPostgres } from '../../scripts/infra/embedded-postgres';
import { freePort, startTemporalDevServer } from '../../scripts/infra/temporal-server';
import { ensureTestServer } from '../../scripts/infra/tools';
import { TEMPLATE_DATABASE, type TestInfrastructure, withDatabase } from './infrastructure';

/** Namespaces created with the shared dev server: one per running product (API + worker) in a test run. */
const NAMESPACE_POOL = 64;

/**
 * Once per run: a real PostgreSQL (embedded, or TEST_DATABASE_URL's server) with a template database that has the
 * real migrations and seed applied, and a real Temporal dev server. Test files copy the template per file.
 */
export default async function globalSetup(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dossier-tests-'));
  const external = process.env.TEST_DATABASE_URL;
  let serverUrl: string;
  if (external) {
    serverUrl = external;
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: join(work, 'postgres'), port: await freePort() });
    serverUrl = pg.serverUrl;
    (globalThis as { __pg?: { stop(): Promise<void> } }).__pg = pg;
  }
  await ensureDatabase(serverUrl, TEMPLATE_DATABASE);
  const templateUrl = withDatabase(serverUrl, TEMPLATE_DATABASE);
  await runMigrations(templateUrl);
  const ds = new DataSource(dataSourceOptions(templateUrl, 1));
  await ds.initialize();
  await seedReferenceData(ds);
  await markEmbeddedDatabase(ds, 'the test run (global setup)');
  await seedDemoData(ds);
  await ds.destroy();

  const namespaces = Array.from({ length: NAMESPACE_POOL }, (_, i) => `test-${String(i + 1).padStart(2, '0')}`);
  const temporal = await startTemporalDevServer({ port: await freePort(), extraNamespaces: namespaces });
  (globalThis as { __temporal?: { teardown(): Promise<void> } }).__temporal = temporal;
  ensureTestServer();

  const info: TestInfrastructure = {
    postgresServerUrl: serverUrl,
    temporalAddress: temporal.address,
    workDir: work,
    namespaces,
  };
  const file = join(work, 'infrastructure.json');
  writeFileSync(file, JSON.stringify(info));
  // Workers are forked after global setup and inherit this.
  process.env.DOSSIER_TEST_INFRASTRUCTURE = file;
}
