import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Fees: each financial obligation a dossier is asked for (its PAYMENT_REQUESTED event) and how it was paid — online
 * through the payment gateway (its transaction reference, the gateway's transaction number) or at the desk. A desk
 * payment recorded with no request open gets a row of its own. The 766 online-payment share is counted from here.
 */
export class PaymentRequests1764940000000 implements MigrationInterface {
  name = 'PaymentRequests1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payment_requests (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dossier_code       varchar(64) NOT NULL REFERENCES dossiers(code),
        requested_seq      int,
        amount             bigint NOT NULL CHECK (amount > 0),
        purpose            text NOT NULL,
        state              varchar(16) NOT NULL CHECK (state IN ('PENDING', 'PAID')),
        created_at         timestamptz NOT NULL,
        paid_at            timestamptz,
        channel            varchar(16) CHECK (channel IN ('ONLINE_GATEWAY', 'DESK')),
        method             varchar(16),
        txn_ref            varchar(64) NOT NULL UNIQUE,
        reference          varchar(128),
        gateway_bank_code  varchar(32),
        last_response_code varchar(8),
        recorded_seq       int,
        recorded_at        timestamptz,
        UNIQUE (dossier_code, requested_seq),
        CHECK ((state = 'PAID') = (paid_at IS NOT NULL AND channel IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX payment_requests_dossier ON payment_requests (dossier_code, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE payment_requests`);
  }
}
