import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The citizen's own rating supersedes one the desk recorded on their behalf: the desk's is kept here (who, when, what),
 * never overwritten silently. Its comment is personal data, cleared with the dossier by the retention job.
 *
 * The progress reports leave petitions (the engine's own procedure 0.000001) out from now on: the facts of petitions
 * are marked changed, so the next refresh of the rollups rebuilds the units that received them without them.
 */
export class RatingHistory1765060000000 implements MigrationInterface {
  name = 'RatingHistory1765060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dossier_rating_history (
        id            bigserial PRIMARY KEY,
        dossier_code  varchar(64) NOT NULL REFERENCES dossiers(code),
        rating        varchar(16) NOT NULL CHECK (rating IN ('SATISFIED', 'ACCEPTABLE', 'NOT_SATISFIED')),
        comment       text,
        channel       varchar(8) NOT NULL CHECK (channel IN ('CITIZEN', 'DESK')),
        recorded_by   uuid REFERENCES officers(id),
        rated_at      timestamptz NOT NULL,
        superseded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX dossier_rating_history_dossier ON dossier_rating_history (dossier_code)`);
    await q.query(`UPDATE dossier_facts SET recorded_at = now() WHERE procedure_code = '0.000001'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dossier_rating_history`);
  }
}
