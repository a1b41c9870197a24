import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Fees claimed once, and fees of finished dossiers.
 *
 * - `desk_claim`, `desk_claimed_at`: the desk's claim on an open fee while its payment is being recorded on the
 *   dossier's workflow (the Update's ID, and when). The gateway's notification does not claim a fee the desk holds (it
 *   is answered "retry"), and the desk does not claim a fee the gateway has claimed: one payment per fee. A claim older
 *   than five minutes is void (the recording failed without saying so).
 * - `CANCELLED`, `cancelled_at`, `cancel_reason`: an open fee of a dossier that finished without it (withdrawn, refused,
 *   closed) is no longer payable; money the gateway takes for it afterwards is due back to the citizen (REFUND_DUE).
 */
export class PaymentClaims1765070000000 implements MigrationInterface {
  name = 'PaymentClaims1765070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE payment_requests DROP CONSTRAINT payment_requests_state_check,
        ADD CONSTRAINT payment_requests_state_check CHECK (state IN ('PENDING', 'PAID', 'CANCELLED')),
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancel_reason text,
        ADD CONSTRAINT payment_requests_cancelled CHECK ((state = 'CANCELLED') = (cancelled_at IS NOT NULL)),
        ADD COLUMN desk_claim varchar(200),
        ADD COLUMN desk_claimed_at timestamptz`);
    await q.query(`
      CREATE INDEX payment_attempts_refund_due ON payment_attempts (notified_at) WHERE state = 'REFUND_DUE'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX payment_attempts_refund_due`);
    await q.query(`ALTER TABLE payment_requests DROP CONSTRAINT payment_requests_cancelled`);
    await q.query(`UPDATE payment_requests SET state = 'PENDING' WHERE state = 'CANCELLED'`);
    await q.query(`
      ALTER TABLE payment_requests DROP COLUMN cancelled_at, DROP COLUMN cancel_reason, DROP COLUMN desk_claim, DROP COLUMN desk_claimed_at,
        DROP CONSTRAINT payment_requests_state_check,
        ADD CONSTRAINT payment_requests_state_check CHECK (state IN ('PENDING', 'PAID'))`);
  }
}
