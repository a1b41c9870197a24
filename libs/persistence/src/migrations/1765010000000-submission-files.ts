import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Scans an online application carries before the desk decides on it: one row per file the portal uploaded for a
 * paper of the application (the bytes behind the file storage port, like a dossier's). Received, they become the
 * dossier's papers' files in the intake's transaction (same id and bytes, not certified); refused, they are deleted.
 */
export class SubmissionFiles1765010000000 implements MigrationInterface {
  name = 'SubmissionFiles1765010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE submission_files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        submission_id uuid NOT NULL REFERENCES submissions (id),
        document_code varchar(40) NOT NULL,
        file_name text NOT NULL,
        content_type varchar(64) NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 char(64) NOT NULL,
        storage_key text NOT NULL,
        uploaded_by uuid NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX submission_files_by_submission ON submission_files (submission_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE submission_files`);
  }
}
