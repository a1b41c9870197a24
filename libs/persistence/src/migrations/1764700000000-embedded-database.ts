import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Which databases embedded mode may use: one row, written by whoever created the database for a demo (`npm start`
 * on its own PostgreSQL, the test and benchmark setups). Production databases keep the table empty, and embedded
 * mode (which hands out demo tokens, the admin's included) refuses them; demo officers are seeded only where it is.
 */
export class EmbeddedDatabase1764700000000 implements MigrationInterface {
  name = 'EmbeddedDatabase1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE embedded_database (
        one        boolean PRIMARY KEY DEFAULT true CHECK (one),
        created_by text NOT NULL,
        marked_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE embedded_database`);
  }
}
