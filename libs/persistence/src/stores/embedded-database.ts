import { type DataSource } from 'typeorm';

/**
 * The mark of a database made for embedded mode (a demo: `npm start` on its own PostgreSQL, the tests, the
 * benchmarks). Embedded mode hands out demo tokens to anyone who asks, so it runs only on a marked database, and
 * demo officers are seeded only into one; production databases never carry the mark.
 */
export async function markEmbeddedDatabase(dataSource: DataSource, createdBy: string): Promise<void> {
  await dataSource.query(`INSERT INTO embedded_database (created_by) VALUES ($1) ON CONFLICT (one) DO NOTHING`, [
    createdBy,
  ]);
}

/** Whether the database carries the mark (false also before the migration that adds it ran). */
export async function isEmbeddedDatabase(dataSource: DataSource): Promise<boolean> {
  const [{ present }] = await dataSource.query<{ present: boolean }[]>(
    `SELECT to_regclass('embedded_database') IS NOT NULL AS present`,
  );
  if (!present) {
    return false;
  }
  const rows = await dataSource.query<unknown[]>(`SELECT 1 FROM embedded_database`);
  return rows.length > 0;
}

export class NotAnEmbeddedDatabaseError extends Error {
  constructor(what: string) {
    super(
      `${what} refused: this database was not created for embedded mode (no row in embedded_database). Embedded mode ` +
        'hands out demo tokens, the admin’s included, to anyone who can reach the API, and seeds demo officers: it ' +
        'runs only on the database `npm start` creates. Unset DATABASE_URL to let it create one, or run ' +
        'DEPLOYMENT_MODE=production (npm run migrate, npm run start:api, npm run start:worker) against this one.',
    );
    this.name = 'NotAnEmbeddedDatabaseError';
  }
}

/** Throws NotAnEmbeddedDatabaseError unless the database carries the mark. */
export async function assertEmbeddedDatabase(dataSource: DataSource, what: string): Promise<void> {
  if (!(await isEmbeddedDatabase(dataSource))) {
    throw new NotAnEmbeddedDatabaseError(what);
  }
}
