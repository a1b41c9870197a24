import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { type DeploymentMode } from '../../libs/config/src';
import {
  dataSourceOptions,
  isEmbeddedDatabase,
  markEmbeddedDatabase,
  NotAnEmbeddedDatabaseError,
  runMigrations,
  seedDemoData,
  seedReferenceData,
} from '../../libs/persistence/src';
import { ensureDatabase } from './databases';

export interface LauncherDatabase {
  /** Migrations applied by this start. */
  applied: string[];
  /** Whether the database is the launcher's own (marked for embedded mode, demo data seeded). */
  demo: boolean;
}

/** Whether the database of a connection URL exists (PostgreSQL's `3D000` says it does not). */
async function databaseExists(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === '3D000') {
      return false;
    }
    throw e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const withDatabase = (url: string, name: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

/**
 * The database `npm start` runs on, made ready. A database on the launcher's own embedded PostgreSQL, or one it
 * creates now because DATABASE_URL names a database that does not exist yet, is its own: marked for embedded mode and
 * seeded with the demo organisation. Any other database (one DATABASE_URL names and someone else created) is refused
 * in embedded mode before anything is written to it; in production mode it gets migrations and reference data only,
 * never demo officers.
 */
export async function prepareLauncherDatabase(options: {
  url: string;
  /** The URL is on the launcher's own embedded PostgreSQL (its data directory). */
  ownServer: boolean;
  mode: DeploymentMode;
  /** Written into the mark: who created the database, for whoever finds it later. */
  createdBy: string;
}): Promise<LauncherDatabase> {
  let own = options.ownServer;
  if (!own && !(await databaseExists(options.url))) {
    const name = decodeURIComponent(new URL(options.url).pathname.slice(1));
    own = await ensureDatabase(withDatabase(options.url, 'postgres'), name);
  }
  const ds = new DataSource(dataSourceOptions(options.url, 2));
  await ds.initialize();
  try {
    if (!own && options.mode === 'embedded' && !(await isEmbeddedDatabase(ds))) {
      throw new NotAnEmbeddedDatabaseError('npm start in embedded mode');
    }
    const applied = await runMigrations(options.url);
    if (own) {
      await markEmbeddedDatabase(ds, options.createdBy);
    }
    await seedReferenceData(ds);
    const demo = await isEmbeddedDatabase(ds);
    if (demo) {
      await seedDemoData(ds);
    }
    return { applied, demo };
  } finally {
    await ds.destroy();
  }
}
