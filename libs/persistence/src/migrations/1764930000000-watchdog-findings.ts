import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The deadline watchdog's findings (one row per kind and subject: a dossier code, or an outbox message), and a partial
 * index that lets it walk the open dossiers page by page without reading the closed ones.
 */
export class WatchdogFindings1764930000000 implements MigrationInterface {
  name = 'WatchdogFindings1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE watchdog_findings (
         id bigserial PRIMARY KEY,
         kind varchar(32) NOT NULL,
         subject varchar(80) NOT NULL,
         dossier_code varchar(64),
         detail text NOT NULL,
         repaired boolean NOT NULL,
         times_seen int NOT NULL DEFAULT 1,
         first_seen_at timestamptz NOT NULL DEFAULT now(),
         last_seen_at timestamptz NOT NULL DEFAULT now(),
         CONSTRAINT watchdog_findings_subject UNIQUE (kind, subject)
       )`,
    );
    await q.query(`CREATE INDEX watchdog_findings_last_seen ON watchdog_findings (last_seen_at DESC)`);
    await q.query(
      `CREATE INDEX dossiers_open_by_id ON dossiers (id) WHERE state NOT IN ('RESULT_RETURNED', 'WITHDRAWN', 'CLOSED')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dossiers_open_by_id`);
    await q.query(`DROP TABLE watchdog_findings`);
  }
}
