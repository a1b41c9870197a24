import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The procedure catalog: procedures and their dated, immutable-once-used versions; dossiers point at theirs. */
export class Procedures1764144000000 implements MigrationInterface {
  name = 'Procedures1764144000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE procedures (
        code                  varchar(16) PRIMARY KEY,
        local_code            varchar(64),
        name                  text NOT NULL,
        field                 text NOT NULL,
        level                 varchar(16) NOT NULL,
        resolving_agency_code varchar(32) NOT NULL REFERENCES units(code),
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE procedure_versions (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        procedure_code varchar(16) NOT NULL REFERENCES procedures(code),
        version_no     int NOT NULL,
        effective_from date NOT NULL,
        legal_basis    text,
        definition     jsonb NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        created_by     uuid,
        UNIQUE (procedure_code, version_no),
        UNIQUE (procedure_code, effective_from)
      )`);
    await q.query(`ALTER TABLE dossiers ADD COLUMN procedure_version_id uuid REFERENCES procedure_versions(id)`);
    await q.query(`ALTER TABLE dossiers ADD COLUMN case_code varchar(40)`);
    await q.query(`CREATE INDEX dossiers_procedure_version_idx ON dossiers (procedure_version_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dossiers_procedure_version_idx`);
    await q.query(`ALTER TABLE dossiers DROP COLUMN case_code`);
    await q.query(`ALTER TABLE dossiers DROP COLUMN procedure_version_id`);
    await q.query(`DROP TABLE procedure_versions`);
    await q.query(`DROP TABLE procedures`);
  }
}
