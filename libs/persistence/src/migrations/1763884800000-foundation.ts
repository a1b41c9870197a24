import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Organisation, officers, dossiers with their daily code sequences, event log, outbox and idempotency keys. */
export class Foundation1763884800000 implements MigrationInterface {
  name = 'Foundation1763884800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE units (
        code        varchar(32) PRIMARY KEY,
        name        text NOT NULL,
        parent_code varchar(32) REFERENCES units(code),
        kind        varchar(32) NOT NULL
      )`);
    await q.query(`
      CREATE TABLE officers (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username   varchar(64) NOT NULL UNIQUE,
        full_name  text NOT NULL,
        roles      text[] NOT NULL,
        unit_codes text[] NOT NULL,
        active     boolean NOT NULL DEFAULT true
      )`);
    await q.query(`
      CREATE TABLE dossier_code_sequences (
        unit_code  varchar(32) NOT NULL REFERENCES units(code),
        day        date NOT NULL,
        last_value int NOT NULL,
        PRIMARY KEY (unit_code, day)
      )`);
    await q.query(`
      CREATE TABLE dossiers (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code                varchar(64) NOT NULL UNIQUE,
        receiving_unit_code varchar(32) NOT NULL REFERENCES units(code),
        procedure_code      varchar(64) NOT NULL,
        channel             varchar(16) NOT NULL,
        applicant_type      varchar(16) NOT NULL,
        applicant_id_number varchar(20) NOT NULL,
        applicant_name      text NOT NULL,
        national_status     smallint NOT NULL,
        received_at         timestamptz NOT NULL,
        received_by         uuid NOT NULL REFERENCES officers(id),
        workflow_started_at timestamptz,
        result_returned_at  timestamptz,
        last_event_seq      int NOT NULL DEFAULT 0,
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dossiers_unit_received_idx ON dossiers (receiving_unit_code, received_at)`);
    await q.query(`
      CREATE TABLE dossier_events (
        dossier_code    varchar(64) NOT NULL REFERENCES dossiers(code),
        seq             int NOT NULL,
        type            varchar(64) NOT NULL,
        national_status smallint NOT NULL,
        actor_id        uuid,
        payload         jsonb NOT NULL DEFAULT '{}',
        occurred_at     timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dossier_code, seq)
      )`);
    await q.query(`
      CREATE TABLE outbox_messages (
        id            bigserial PRIMARY KEY,
        kind          varchar(64) NOT NULL,
        aggregate_key varchar(64) NOT NULL,
        payload       jsonb NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        available_at  timestamptz NOT NULL DEFAULT now(),
        attempts      int NOT NULL DEFAULT 0,
        last_error    text,
        dispatched_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox_messages (available_at, id) WHERE dispatched_at IS NULL`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope           varchar(128) NOT NULL,
        key             varchar(128) NOT NULL,
        request_hash    char(64) NOT NULL,
        response_status smallint,
        response_body   jsonb,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'outbox_messages',
      'dossier_events',
      'dossiers',
      'dossier_code_sequences',
      'officers',
      'units',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
