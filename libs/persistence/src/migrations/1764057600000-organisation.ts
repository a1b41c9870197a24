import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Heads of units (who signs apologies and receives breach notices) and the tree index. */
export class Organisation1764057600000 implements MigrationInterface {
  name = 'Organisation1764057600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE units ADD COLUMN head_officer_id uuid REFERENCES officers(id)`);
    await q.query(`CREATE INDEX units_parent_idx ON units (parent_code)`);
    await q.query(`CREATE INDEX officers_units_idx ON officers USING gin (unit_codes)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX officers_units_idx`);
    await q.query(`DROP INDEX units_parent_idx`);
    await q.query(`ALTER TABLE units DROP COLUMN head_officer_id`);
  }
}
