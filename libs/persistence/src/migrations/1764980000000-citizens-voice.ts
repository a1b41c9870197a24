import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Citizens' voice: one rating per returned dossier (by the citizen with code and PIN, or by the desk on their behalf),
 * and the link from a petition (a dossier of the petition procedure) to the dossier and officer it is about. The
 * comment and the petition's text are personal data: the retention job clears them with the dossier's applicant.
 */
export class CitizensVoice1764980000000 implements MigrationInterface {
  name = 'CitizensVoice1764980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dossier_ratings (
        dossier_code varchar(64) PRIMARY KEY REFERENCES dossiers(code),
        rating       varchar(16) NOT NULL CHECK (rating IN ('SATISFIED', 'ACCEPTABLE', 'NOT_SATISFIED')),
        comment      text,
        channel      varchar(8) NOT NULL CHECK (channel IN ('CITIZEN', 'DESK')),
        recorded_by  uuid REFERENCES officers(id),
        rated_at     timestamptz NOT NULL,
        CHECK ((channel = 'DESK') = (recorded_by IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX dossier_ratings_rated_at ON dossier_ratings (rated_at)`);
    await q.query(`
      CREATE TABLE petition_links (
        petition_code         varchar(64) PRIMARY KEY REFERENCES dossiers(code),
        about_dossier_code    varchar(64) REFERENCES dossiers(code),
        about_step_code       varchar(40),
        about_officer_id      uuid REFERENCES officers(id),
        responsible_unit_code varchar(32) NOT NULL,
        text                  text
      )`);
    await q.query(`CREATE INDEX petition_links_about ON petition_links (about_dossier_code)`);
    await q.query(`CREATE INDEX petition_links_unit ON petition_links (responsible_unit_code)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE petition_links`);
    await q.query(`DROP TABLE dossier_ratings`);
  }
}
