import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Connected procedures: the agency segments of a dossier on its row (for the control sheet and the API), and the
 * hand-offs exchanged with partner agencies' systems: those sent (a segment handed to a partner) and those received
 * (a partner's segment processed here), with every partner callback taken in, so a retried one changes nothing.
 */
export class Handoffs1764403200000 implements MigrationInterface {
  name = 'Handoffs1764403200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dossiers ADD COLUMN segments jsonb`);
    await q.query(`
      CREATE TABLE handoffs (
        id                  uuid NOT NULL,
        -- OUT: a segment of one of our dossiers handed to a partner; IN: a partner's segment handed to us
        direction           varchar(3) NOT NULL CHECK (direction IN ('OUT', 'IN')),
        partner_id          varchar(64) NOT NULL,
        dossier_code        varchar(64) NOT NULL REFERENCES dossiers(code),
        segment_code        varchar(40) NOT NULL,
        -- IN: the dossier's code in the partner's system
        origin_dossier_code varchar(64),
        state               varchar(24) NOT NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (direction, id)
      )`);
    await q.query(`CREATE INDEX handoffs_dossier ON handoffs (dossier_code)`);
    await q.query(`
      CREATE TABLE handoff_callbacks (
        handoff_id  uuid NOT NULL,
        callback_id varchar(128) NOT NULL,
        kind        varchar(24) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (handoff_id, callback_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE handoff_callbacks`);
    await q.query(`DROP TABLE handoffs`);
    await q.query(`ALTER TABLE dossiers DROP COLUMN segments`);
  }
}
