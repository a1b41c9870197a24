import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The audit trail of personal data (Law 91/2025): every read of a dossier's personal data and every change, who, what,
 * when, from where and why. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE to every role, the owner
 * included (only a superuser or the owner disabling the trigger gets past it, and the hash chain shows what they did).
 * Each row carries the previous row's hash (see audit-chain.ts).
 */
export class AuditLog1764800000000 implements MigrationInterface {
  name = 'AuditLog1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        seq            bigint PRIMARY KEY,
        occurred_at    timestamptz NOT NULL,
        actor_id       uuid,
        actor          varchar(128) NOT NULL,
        action         varchar(64) NOT NULL,
        dossier_code   varchar(64),
        purpose        text NOT NULL,
        client_address varchar(64),
        details        jsonb NOT NULL DEFAULT '{}',
        prev_hash      char(64) NOT NULL,
        hash           char(64) NOT NULL UNIQUE
      )`);
    await q.query(`CREATE INDEX audit_log_dossier ON audit_log (dossier_code, seq) WHERE dossier_code IS NOT NULL`);
    await q.query(`CREATE INDEX audit_log_actor ON audit_log (actor, occurred_at)`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_change()`);
  }
}
