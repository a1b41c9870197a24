import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Applications before reception (domain §2.1): submitted online and waiting at a desk (national status 1), received
 * (the dossier they became), or refused with reasons (status 3, form 03), online or at the counter. They are not
 * dossiers: no code, no clock, no report figure; a received one names its dossier.
 */
export class Submissions1764676800000 implements MigrationInterface {
  name = 'Submissions1764676800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE submissions (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- printed on the refusal slip (form 03): a refused application has no dossier code
        no                  bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        receiving_unit_code varchar(32) NOT NULL REFERENCES units(code),
        procedure_code      varchar(64) NOT NULL,
        case_code           varchar(40),
        channel             varchar(16) NOT NULL,
        applicant_type      varchar(16) NOT NULL,
        applicant_id_number varchar(20) NOT NULL,
        applicant_name      text NOT NULL,
        applicant_contact   jsonb NOT NULL DEFAULT '{}',
        proxy               jsonb,
        documents           jsonb NOT NULL DEFAULT '[]',
        state               varchar(16) NOT NULL CHECK (state IN ('SUBMITTED', 'RECEIVED', 'REFUSED')),
        national_status     smallint NOT NULL,
        submitted_at        timestamptz NOT NULL,
        submitted_by        uuid NOT NULL REFERENCES officers(id),
        decided_at          timestamptz,
        decided_by          uuid REFERENCES officers(id),
        refusal_reasons     jsonb,
        dossier_code        varchar(64) UNIQUE REFERENCES dossiers(code),
        CHECK ((state = 'SUBMITTED') = (decided_at IS NULL)),
        CHECK ((state = 'RECEIVED') = (dossier_code IS NOT NULL)),
        CHECK ((state = 'REFUSED') = (refusal_reasons IS NOT NULL))
      )`);
    // The desks' waiting lists: first come, first served.
    await q.query(
      `CREATE INDEX submissions_waiting_idx ON submissions (receiving_unit_code, submitted_at) WHERE state = 'SUBMITTED'`,
    );
    await q.query(`CREATE INDEX submissions_unit_idx ON submissions (receiving_unit_code, submitted_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE submissions`);
  }
}
