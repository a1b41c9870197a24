import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A result file replaced after the fact: the new one names the file it supersedes, which keeps its row and bytes (for
 * officers and the audit) but is no longer served to the citizen nor offered for reuse. A file is superseded once.
 */
export class ResultSupersession1765050000000 implements MigrationInterface {
  name = 'ResultSupersession1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE dossier_files
        ADD COLUMN superseded_by uuid UNIQUE REFERENCES dossier_files (id),
        ADD COLUMN superseded_at timestamptz,
        ADD CONSTRAINT dossier_files_superseded_together CHECK ((superseded_by IS NULL) = (superseded_at IS NULL)),
        ADD CONSTRAINT dossier_files_only_results_superseded CHECK (superseded_by IS NULL OR kind = 'RESULT')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE dossier_files
        DROP CONSTRAINT dossier_files_only_results_superseded,
        DROP CONSTRAINT dossier_files_superseded_together,
        DROP COLUMN superseded_at,
        DROP COLUMN superseded_by`);
  }
}
