import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  DEMO_OFFICERS,
  isEmbeddedDatabase,
  runMigrations,
  seedDemoData,
  seedReferenceData,
} from '../../libs/persistence/src';
import { prepareLauncherDatabase } from '../../scripts/infra/launcher-database';
import { infrastructure, withDatabase } from '../support/infrastructure';

/** A database as an operator's production one is: created by someone else, migrated, reference data, no mark. */
async function productionLikeDatabase(): Promise<string> {
  const { postgresServerUrl } = infrastructure();
  const name = `prod_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: postgresServerUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(postgresServerUrl, name);
  await runMigrations(url);
  await withDataSource(url, (ds) => seedReferenceData(ds));
  return url;
}

async function withDataSource<T>(url: string, use: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource(dataSourceOptions(url, 1));
  await ds.initialize();
  try {
    return await use(ds);
  } finally {
    await ds.destroy();
  }
}

const officerCount = (url: string): Promise<number> =>
  withDataSource(url, async (ds) => (await ds.query(`SELECT count(*)::int AS n FROM officers`))[0].n as number);

const appliedMigrations = (url: string): Promise<string[]> =>
  withDataSource(url, async (ds) =>
    (await ds.query(`SELECT name FROM schema_migrations ORDER BY id`)).map((r: { name: string }) => r.name),
  );

describe('the launcher’s database (npm start, embedded mode)', () => {
  it('refuses embedded mode on a database it did not create, and writes nothing to it', async () => {
    const url = await productionLikeDatabase();
    const migrations = await appliedMigrations(url);
    await expect(
      prepareLauncherDatabase({ url, ownServer: false, mode: 'embedded', createdBy: 'test' }),
    ).rejects.toThrow(/npm start in embedded mode refused: this database was not created for embedded mode/);
    expect(await officerCount(url)).toBe(0);
    expect(await appliedMigrations(url)).toEqual(migrations);
    expect(await withDataSource(url, isEmbeddedDatabase)).toBe(false);
  });

  it('never seeds demo officers into a database it did not create, even in production mode', async () => {
    const url = await productionLikeDatabase();
    await expect(
      prepareLauncherDatabase({ url, ownServer: false, mode: 'production', createdBy: 'test' }),
    ).resolves.toMatchObject({ demo: false });
    expect(await officerCount(url)).toBe(0);
    expect(await withDataSource(url, isEmbeddedDatabase)).toBe(false);
  });

  it('refuses to seed demo officers into an unmarked database whoever asks', async () => {
    const url = await productionLikeDatabase();
    await expect(withDataSource(url, (ds) => seedDemoData(ds))).rejects.toThrow(
      /Seeding demo officers refused: this database was not created for embedded mode/,
    );
    expect(await officerCount(url)).toBe(0);
  });

  it('creates the database DATABASE_URL names when it does not exist, and then it is its own', async () => {
    const url = withDatabase(infrastructure().postgresServerUrl, `fresh_${randomBytes(6).toString('hex')}`);
    const first = await prepareLauncherDatabase({ url, ownServer: false, mode: 'embedded', createdBy: 'test' });
    expect(first.demo).toBe(true);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(await officerCount(url)).toBe(DEMO_OFFICERS.length);
    // The next start finds its mark.
    const again = await prepareLauncherDatabase({ url, ownServer: false, mode: 'embedded', createdBy: 'test' });
    expect(again).toEqual({ applied: [], demo: true });
    expect(await officerCount(url)).toBe(DEMO_OFFICERS.length);
  });

  it('takes every database on its own embedded PostgreSQL as its own (data kept from before the mark)', async () => {
    const url = await productionLikeDatabase();
    const prepared = await prepareLauncherDatabase({ url, ownServer: true, mode: 'embedded', createdBy: 'test' });
    expect(prepared.demo).toBe(true);
    expect(await officerCount(url)).toBe(DEMO_OFFICERS.length);
  });
});
