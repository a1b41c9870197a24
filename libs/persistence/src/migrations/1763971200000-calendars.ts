import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Calendars as data: per-scope office hours and per-(scope, year) holidays and make-up working days. */
export class Calendars1763971200000 implements MigrationInterface {
  name = 'Calendars1763971200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_scopes (
        scope        varchar(32) PRIMARY KEY,
        name         text NOT NULL,
        office_hours jsonb
      )`);
    await q.query(`
      CREATE TABLE calendar_years (
        scope           varchar(32) NOT NULL,
        year            smallint NOT NULL CHECK (year BETWEEN 1970 AND 2200),
        holidays        jsonb NOT NULL,
        makeup_workdays jsonb NOT NULL,
        source          varchar(16) NOT NULL DEFAULT 'OFFICIAL',
        legal_basis     text,
        version         int NOT NULL DEFAULT 1,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        updated_by      uuid,
        PRIMARY KEY (scope, year)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_years`);
    await q.query(`DROP TABLE calendar_scopes`);
  }
}
