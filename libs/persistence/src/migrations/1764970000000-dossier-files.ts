import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Papers and results as files. `dossier_files` records each scan attached to a dossier (its paper's code, the sniffed
 * type, size, SHA-256, who attached it, who certified it as the authenticated copy, and the earlier file it reuses);
 * the bytes live behind the file storage port under `storage_key`. `file_objects` and `file_chunks` are the embedded
 * adapter's store: the bytes in PostgreSQL, in chunks, so one backup and one transaction hold the dossiers and
 * their scans.
 */
export class DossierFiles1764970000000 implements MigrationInterface {
  name = 'DossierFiles1764970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dossier_files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_code varchar(64) NOT NULL REFERENCES dossiers (code),
        kind varchar(8) NOT NULL CHECK (kind IN ('PAPER', 'RESULT')),
        document_code varchar(40),
        file_name text NOT NULL,
        content_type varchar(64) NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 char(64) NOT NULL,
        storage_key text NOT NULL,
        uploaded_by uuid NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        certified_by uuid,
        certified_at timestamptz,
        reused_from uuid REFERENCES dossier_files (id),
        CHECK ((kind = 'PAPER') = (document_code IS NOT NULL)),
        CHECK ((certified_by IS NULL) = (certified_at IS NULL))
      )`);
    await q.query(`CREATE INDEX dossier_files_by_dossier ON dossier_files (dossier_code)`);
    await q.query(`
      CREATE TABLE file_objects (
        storage_key text PRIMARY KEY,
        content_type varchar(64) NOT NULL,
        size_bytes bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE file_chunks (
        storage_key text NOT NULL REFERENCES file_objects (storage_key) ON DELETE CASCADE,
        seq int NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (storage_key, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE file_chunks`);
    await q.query(`DROP TABLE file_objects`);
    await q.query(`DROP TABLE dossier_files`);
  }
}
