import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Retention of stored scans: `purged_at` is when the personal-data retention job deleted a paper's bytes from storage.
 * The row stays (SHA-256, size, who certified it: the 766 digitisation figures count it), its download answers 410.
 */
export class FileRetention1765030100000 implements MigrationInterface {
  name = 'FileRetention1765030100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier_files ADD COLUMN purged_at timestamptz`);
    await q.query(`CREATE INDEX dossier_files_by_storage_key ON dossier_files (storage_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dossier_files_by_storage_key`);
    await q.query(`ALTER TABLE dossier_files DROP COLUMN purged_at`);
  }
}
