import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Personal data kept no longer than needed: a dossier records when its applicant was anonymised (the retention job
 * finds the closed ones not yet done by a partial index), and the outbox keeps no payload once it is delivered, so the
 * ID numbers sent to the portal and to partners are not kept forever in messages already sent.
 */
export class PersonalDataRetention1764803600000 implements MigrationInterface {
  name = 'PersonalDataRetention1764803600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossiers ADD COLUMN anonymised_at timestamptz`);
    await q.query(
      `CREATE INDEX dossiers_to_anonymise ON dossiers (GREATEST(finished_at, result_returned_at))
       WHERE anonymised_at IS NULL`,
    );
    await q.query(`UPDATE outbox_messages SET payload = '{}' WHERE dispatched_at IS NOT NULL AND payload <> '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dossiers_to_anonymise`);
    await q.query(`ALTER TABLE dossiers DROP COLUMN anonymised_at`);
  }
}
