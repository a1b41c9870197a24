import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * What reports count: one narrow fact row per dossier (written with the dossier, updated in the transaction of each
 * transition), daily rollups per unit, and closed periods whose published figures never change.
 */
export class ReportFacts1764316800000 implements MigrationInterface {
  name = 'ReportFacts1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dossier_facts (
        dossier_code        varchar(64) PRIMARY KEY,
        unit_code           varchar(32) NOT NULL,
        procedure_code      varchar(64) NOT NULL,
        field               text NOT NULL,
        channel             varchar(16) NOT NULL,
        received_at         timestamptz NOT NULL,
        due_at              timestamptz,
        -- the instant the dossier became overdue while still open (its due time passed), if it ever did
        overdue_at          timestamptz,
        finished_at         timestamptz,
        outcome             varchar(24),
        timeliness          varchar(8),
        paused_from         timestamptz,
        paused_to           timestamptz,
        pause_reason        varchar(16),
        supplement_requests int NOT NULL DEFAULT 0,
        -- when the row last changed: a change after a period was closed is an adjustment of that period
        recorded_at         timestamptz NOT NULL
      )`);
    // A period's dossiers are those whose span [received, finished] meets it (open ones have no end).
    await q.query(
      `CREATE INDEX dossier_facts_span ON dossier_facts USING gist (tstzrange(received_at, finished_at, '[]'))`,
    );
    await q.query(`CREATE INDEX dossier_facts_recorded ON dossier_facts (recorded_at)`);
    // Messages by business key: the relay's per-key ordering, and the share of dossiers synced to the portal.
    await q.query(`CREATE INDEX outbox_messages_key ON outbox_messages (aggregate_key, id)`);
    await q.query(`
      INSERT INTO dossier_facts (dossier_code, unit_code, procedure_code, field, channel, received_at, due_at,
                                 finished_at, outcome, timeliness, paused_from, pause_reason, supplement_requests,
                                 overdue_at, recorded_at)
      SELECT d.code, d.receiving_unit_code, d.procedure_code, COALESCE(p.field, ''), d.channel, d.received_at, d.due_at,
             d.finished_at, d.outcome, d.timeliness, d.paused_since, d.pause_reason, d.supplement_requests,
             (SELECT min(f.occurred_at) FROM deadline_facts f WHERE f.dossier_code = d.code AND f.kind = 'DOSSIER_BREACH'),
             now()
      FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code`);

    // Per unit and local day, dense from the unit's first dossier to the last refresh: the flows accumulated since
    // the start (so a period's flows are two rows' difference) and the stocks of unfinished dossiers at the day's end.
    await q.query(`
      CREATE TABLE report_rollups (
        unit_code             varchar(32) NOT NULL,
        day                   date NOT NULL,
        new_in_person         int NOT NULL,
        new_online            int NOT NULL,
        new_postal            int NOT NULL,
        early                 int NOT NULL,
        on_time               int NOT NULL,
        late                  int NOT NULL,
        withdrawn             int NOT NULL,
        refused               int NOT NULL,
        open_end              int NOT NULL,
        overdue_end           int NOT NULL,
        paused_supplement_end int NOT NULL,
        paused_payment_end    int NOT NULL,
        PRIMARY KEY (unit_code, day)
      )`);
    await q.query(`CREATE INDEX report_rollups_day ON report_rollups (day)`);
    // When each unit's rollup was last rebuilt, and the facts watermark it covers.
    await q.query(`
      CREATE TABLE report_rollup_runs (
        id           bigserial PRIMARY KEY,
        started_at   timestamptz NOT NULL,
        finished_at  timestamptz NOT NULL,
        watermark    timestamptz NOT NULL,
        units        int NOT NULL,
        facts        int NOT NULL
      )`);

    await q.query(`
      CREATE TABLE report_closings (
        id          bigserial PRIMARY KEY,
        unit_code   varchar(32) NOT NULL,
        period_from date NOT NULL,
        period_to   date NOT NULL,
        closed_at   timestamptz NOT NULL,
        closed_by   varchar(64) NOT NULL,
        figures     jsonb NOT NULL,
        UNIQUE (unit_code, period_from, period_to)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_closings`);
    await q.query(`DROP TABLE report_rollup_runs`);
    await q.query(`DROP TABLE report_rollups`);
    await q.query(`DROP INDEX outbox_messages_key`);
    await q.query(`DROP TABLE dossier_facts`);
  }
}
