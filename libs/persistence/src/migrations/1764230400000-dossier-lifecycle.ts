import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The dossier lifecycle: the projection of each workflow (state, current step, holder, due time, deadline ledger),
 * the step instances (control sheet rows), breach facts attributed to units and officers, and notifications.
 */
export class DossierLifecycle1764230400000 implements MigrationInterface {
  name = 'DossierLifecycle1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE dossiers
        ADD COLUMN state               varchar(24) NOT NULL DEFAULT 'RECEIVED',
        ADD COLUMN outcome             varchar(24),
        ADD COLUMN current_step_no     int,
        ADD COLUMN current_step_code   varchar(40),
        ADD COLUMN current_step_name   text,
        ADD COLUMN current_unit_code   varchar(32),
        ADD COLUMN holder_id           uuid,
        ADD COLUMN promised_at         timestamptz,
        ADD COLUMN due_at              timestamptz,
        ADD COLUMN paused_since        timestamptz,
        ADD COLUMN pause_reason        varchar(16),
        ADD COLUMN finished_at         timestamptz,
        ADD COLUMN timeliness          varchar(8),
        ADD COLUMN extended            boolean NOT NULL DEFAULT false,
        ADD COLUMN supplement_requests int NOT NULL DEFAULT 0,
        ADD COLUMN paid                boolean NOT NULL DEFAULT false,
        ADD COLUMN deadline            jsonb,
        ADD COLUMN documents           jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN applicant_contact   jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN proxy               jsonb,
        ADD COLUMN lookup_pin          varchar(8)`);
    await q.query(`CREATE INDEX dossiers_holder_idx ON dossiers (holder_id, due_at) WHERE finished_at IS NULL`);
    await q.query(`CREATE INDEX dossiers_current_unit_idx ON dossiers (current_unit_code, due_at)`);
    await q.query(`CREATE INDEX dossiers_receiving_received_idx ON dossiers (receiving_unit_code, received_at)`);
    await q.query(`CREATE INDEX dossiers_due_open_idx ON dossiers (due_at) WHERE finished_at IS NULL`);
    await q.query(`
      CREATE TABLE dossier_steps (
        dossier_code varchar(64) NOT NULL REFERENCES dossiers(code),
        no           int NOT NULL,
        code         varchar(40) NOT NULL,
        name         text NOT NULL,
        unit_code    varchar(32) NOT NULL,
        role         varchar(24) NOT NULL,
        counted      boolean NOT NULL,
        holder_id    uuid,
        holder_name  text,
        started_at   timestamptz NOT NULL,
        budget_ms    bigint,
        due_at       timestamptz,
        completed_at timestamptz,
        result       varchar(8),
        exit         varchar(24),
        handed_to    varchar(32),
        note         text,
        as_of_seq    int NOT NULL,
        PRIMARY KEY (dossier_code, no)
      )`);
    await q.query(`CREATE INDEX dossier_steps_unit_idx ON dossier_steps (unit_code, completed_at)`);
    await q.query(`
      CREATE TABLE deadline_facts (
        id           bigserial PRIMARY KEY,
        dossier_code varchar(64) NOT NULL REFERENCES dossiers(code),
        event_seq    int NOT NULL,
        kind         varchar(24) NOT NULL,
        unit_code    varchar(32) NOT NULL,
        officer_id   uuid,
        step_no      int,
        step_code    varchar(40),
        due_at       timestamptz NOT NULL,
        occurred_at  timestamptz NOT NULL,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (dossier_code, event_seq, kind)
      )`);
    await q.query(`CREATE INDEX deadline_facts_unit_idx ON deadline_facts (unit_code, occurred_at)`);
    await q.query(`
      CREATE TABLE notifications (
        id           bigserial PRIMARY KEY,
        recipient_id uuid NOT NULL REFERENCES officers(id),
        dossier_code varchar(64) NOT NULL REFERENCES dossiers(code),
        event_seq    int NOT NULL,
        kind         varchar(40) NOT NULL,
        message      text NOT NULL,
        created_at   timestamptz NOT NULL,
        read_at      timestamptz,
        UNIQUE (dossier_code, event_seq, recipient_id, kind)
      )`);
    await q.query(`CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE deadline_facts`);
    await q.query(`DROP TABLE dossier_steps`);
    await q.query(`DROP INDEX dossiers_due_open_idx`);
    await q.query(`DROP INDEX dossiers_receiving_received_idx`);
    await q.query(`DROP INDEX dossiers_current_unit_idx`);
    await q.query(`DROP INDEX dossiers_holder_idx`);
    await q.query(`
      ALTER TABLE dossiers
        DROP COLUMN state, DROP COLUMN outcome, DROP COLUMN current_step_no, DROP COLUMN current_step_code,
        DROP COLUMN current_step_name, DROP COLUMN current_unit_code, DROP COLUMN holder_id, DROP COLUMN promised_at,
        DROP COLUMN due_at, DROP COLUMN paused_since, DROP COLUMN pause_reason, DROP COLUMN finished_at,
        DROP COLUMN timeliness, DROP COLUMN extended, DROP COLUMN supplement_requests, DROP COLUMN paid,
        DROP COLUMN deadline, DROP COLUMN documents, DROP COLUMN applicant_contact, DROP COLUMN proxy,
        DROP COLUMN lookup_pin`);
  }
}
