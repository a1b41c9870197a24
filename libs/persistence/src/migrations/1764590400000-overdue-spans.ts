import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The report facts keep a dossier's overdue intervals, not one instant: a restart after a supplement that moves the
 * due time ends the interval (`overdue_at` is the start of the open one, `overdue_spans` the ended ones), so the
 * dossier is no longer counted overdue while earlier periods still see it was. And the due time Decision 766 judges
 * by after a restart (the first appointment plus the waits), when it differs from `due_at`.
 */
export class OverdueSpans1764590400000 implements MigrationInterface {
  name = 'OverdueSpans1764590400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE dossier_facts
        ADD COLUMN overdue_spans tstzmultirange NOT NULL DEFAULT '{}',
        ADD COLUMN index_due_at  timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossier_facts DROP COLUMN overdue_spans, DROP COLUMN index_due_at`);
  }
}
