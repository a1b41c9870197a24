import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { scryptLookupPin } from '../lookup-pin';

/** Dossiers hashed per round trip; their hashes run side by side on libuv's thread pool. */
const BATCH = 64;

/**
 * The citizens' lookup, safe on a network: the PIN stored only as a salted hash (existing PINs hashed here, the plain
 * column dropped), the wrong PINs in a row counted on the dossier with the instant they locked its lookup, and the
 * request counters of the lookup's rate limits shared by every API instance.
 */
export class LookupPins1764594000000 implements MigrationInterface {
  name = 'LookupPins1764594000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE dossiers
        ADD COLUMN lookup_pin_hash   varchar(160),
        ADD COLUMN lookup_wrong_pins int NOT NULL DEFAULT 0,
        ADD COLUMN lookup_locked_at  timestamptz`);
    for (;;) {
      const rows = (await q.query(
        `SELECT code, lookup_pin FROM dossiers WHERE lookup_pin IS NOT NULL AND lookup_pin_hash IS NULL LIMIT ${BATCH}`,
      )) as { code: string; lookup_pin: string }[];
      if (rows.length === 0) {
        break;
      }
      const hashes = await Promise.all(rows.map((r) => scryptLookupPin(r.lookup_pin)));
      await q.query(
        `UPDATE dossiers d SET lookup_pin_hash = h.hash
           FROM unnest($1::varchar[], $2::varchar[]) AS h(code, hash) WHERE d.code = h.code`,
        [rows.map((r) => r.code), hashes],
      );
    }
    await q.query(`ALTER TABLE dossiers DROP COLUMN lookup_pin`);
    await q.query(`
      CREATE TABLE rate_limit_counters (
        key            varchar(128) PRIMARY KEY,
        hits           int NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until  timestamptz
      )`);
    await q.query(`CREATE INDEX rate_limit_counters_window ON rate_limit_counters (window_ends_at)`);
  }

  /** The plain PINs cannot come back: a rolled-back dossier has none, and its desk issues a new one. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters`);
    await q.query(`
      ALTER TABLE dossiers
        ADD COLUMN lookup_pin varchar(8),
        DROP COLUMN lookup_pin_hash,
        DROP COLUMN lookup_wrong_pins,
        DROP COLUMN lookup_locked_at`);
  }
}
