import { Pool } from 'pg';

const pool = new Pool({
  connectionString: process.env.REFERENCE_DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});

/** The one row the reference's workflow writes: the dossier was taken into processing. */
export async function recordReceived(code: string): Promise<void> {
  await pool.query(`INSERT INTO dossier_events (dossier_code, kind) VALUES ($1, 'RECEIVED')`, [code]);
}

export const closeReferencePool = (): Promise<void> => pool.end();
