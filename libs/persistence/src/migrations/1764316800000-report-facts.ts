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
    // A period's dossiers: received in it (by unit), or received before and unfinished at its start.
    await q.query(`CREATE INDEX dossier_facts_received ON dossier_facts (received_at, unit_code)`);
    await q.query(
      `CREATE INDEX dossier_facts_finished ON dossier_facts (finished_at, unit_code) WHERE finished_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX dossier_facts_open ON dossier_facts (unit_code) WHERE finished_at IS NULL`);
    await q.query(`CREATE INDEX dossier_facts_recorded ON dossier_facts (recorded_at)`);
    await q.query(`
      INSERT INTO dossier_facts (dossier_code, unit_code, procedure_code, field, channel, received_at, due_at,
                                 finished_at, outcome, timeliness, paused_from, pause_reason, supplement_requests,
                                 overdue_at, recorded_at)
      SELECT d.code, d.receiving_unit_code, d.procedure_code, COALESCE(p.field, ''), d.channel, d.received_at, d.due_at,
             d.finished_at, d.outcome, d.timeliness, d.paused_since, d.pause_reason, d.supplement_requests,
             (SELECT min(f.occurred_at) FROM deadline_facts f WHERE f.dossier_code = d.code AND f.kind = 'DOSSIER_BREACH'),
             now()
      FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code`);

    // Flows per unit and local day (grain D) or month (grain M, keyed by its first day), and the stocks of unfinished
    // dossiers at the end of that day or month; rows exist only where something happened.
    await q.query(`
      CREATE TABLE report_rollups (
        unit_code             varchar(32) NOT NULL,
        grain                 char(1) NOT NULL CHECK (grain IN ('D', 'M')),
        day                   date NOT NULL,
        new_in_person         int NOT NULL DEFAULT 0,
        new_online            int NOT NULL DEFAULT 0,
        new_postal            int NOT NULL DEFAULT 0,
        early                 int NOT NULL DEFAULT 0,
        on_time               int NOT NULL DEFAULT 0,
        late                  int NOT NULL DEFAULT 0,
        withdrawn             int NOT NULL DEFAULT 0,
        refused               int NOT NULL DEFAULT 0,
        open_end              int NOT NULL DEFAULT 0,
        overdue_end           int NOT NULL DEFAULT 0,
        paused_supplement_end int NOT NULL DEFAULT 0,
        paused_payment_end    int NOT NULL DEFAULT 0,
        PRIMARY KEY (unit_code, grain, day)
      )`);
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
    await q.query(`DROP TABLE dossier_facts`);
  }
}
