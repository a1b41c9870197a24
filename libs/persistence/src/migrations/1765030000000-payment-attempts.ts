import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Payment attempts and desk receipt numbers.
 *
 * - `payment_attempts`: every link to the gateway the citizen was given for a fee, each under a TxnRef of its own (the
 *   gateway refuses a TxnRef it has seen, so a citizen who abandons the gateway page, or whose payment failed, gets a
 *   new one), with what the gateway said of it. `payment_requests.txn_ref` is from now on the TxnRef of the attempt
 *   that paid the fee (null while unpaid, or paid at the desk). Every request not paid at the desk had one reference
 *   until now, and links may be out with it: it becomes the request's first attempt, so a notification for it still
 *   finds the fee.
 * - `receipt_no`: the desk's receipt number of a payment taken at the desk, generated per desk (the dossier's receiving
 *   unit) and year from `desk_receipt_counters`; what the clerk typed (a paper receipt book's number, a bank transfer's
 *   reference) moves to `payer_reference`. The desk payments recorded so far get their numbers in the order they were
 *   paid.
 */
export class PaymentAttempts1765030000000 implements MigrationInterface {
  name = 'PaymentAttempts1765030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payment_attempts (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        payment_request_id uuid NOT NULL REFERENCES payment_requests (id),
        txn_ref            varchar(64) NOT NULL UNIQUE,
        created_at         timestamptz NOT NULL,
        expires_at         timestamptz NOT NULL,
        state              varchar(16) NOT NULL DEFAULT 'OPEN'
                           CHECK (state IN ('OPEN', 'FAILED', 'PAID', 'REFUND_DUE')),
        response_code      varchar(8),
        transaction_no     varchar(128),
        notified_at        timestamptz
      )`);
    await q.query(`CREATE INDEX payment_attempts_request ON payment_attempts (payment_request_id, created_at)`);
    await q.query(`
      INSERT INTO payment_attempts (payment_request_id, txn_ref, created_at, expires_at, state, response_code,
                                    transaction_no, notified_at)
      SELECT id, txn_ref, created_at, created_at,
             CASE WHEN channel = 'ONLINE_GATEWAY' THEN 'PAID' WHEN last_response_code IS NOT NULL THEN 'FAILED'
                  ELSE 'OPEN' END,
             last_response_code, CASE WHEN channel = 'ONLINE_GATEWAY' THEN reference END,
             CASE WHEN channel = 'ONLINE_GATEWAY' THEN paid_at END
      FROM payment_requests WHERE channel IS DISTINCT FROM 'DESK'`);
    await q.query(`ALTER TABLE payment_requests ALTER COLUMN txn_ref DROP NOT NULL`);
    await q.query(`UPDATE payment_requests SET txn_ref = NULL WHERE channel IS DISTINCT FROM 'ONLINE_GATEWAY'`);

    await q.query(`
      CREATE TABLE desk_receipt_counters (
        unit_code varchar(64) NOT NULL,
        year      int NOT NULL,
        last_no   int NOT NULL,
        PRIMARY KEY (unit_code, year)
      )`);
    await q.query(`
      ALTER TABLE payment_requests ADD COLUMN receipt_no varchar(64) UNIQUE,
                                   ADD COLUMN payer_reference varchar(128),
                                   ADD CONSTRAINT payment_requests_desk_receipt
                                     CHECK ((channel = 'DESK') = (receipt_no IS NOT NULL))`);
    await q.query(`
      WITH numbered AS (
        SELECT p.id, d.receiving_unit_code AS unit,
               extract(year FROM p.paid_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS year,
               row_number() OVER (PARTITION BY d.receiving_unit_code,
                                  extract(year FROM p.paid_at AT TIME ZONE 'Asia/Ho_Chi_Minh')
                                  ORDER BY p.paid_at, p.id)::int AS no
        FROM payment_requests p JOIN dossiers d ON d.code = p.dossier_code
        WHERE p.channel = 'DESK')
      UPDATE payment_requests p
      SET receipt_no = n.unit || '-BL' || n.year || '-' || lpad(n.no::text, 6, '0'),
          payer_reference = p.reference, reference = NULL
      FROM numbered n WHERE n.id = p.id`);
    await q.query(`
      INSERT INTO desk_receipt_counters (unit_code, year, last_no)
      SELECT d.receiving_unit_code, extract(year FROM p.paid_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int, count(*)::int
      FROM payment_requests p JOIN dossiers d ON d.code = p.dossier_code
      WHERE p.channel = 'DESK'
      GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE payment_requests SET reference = payer_reference WHERE channel = 'DESK'`);
    await q.query(`
      ALTER TABLE payment_requests DROP CONSTRAINT payment_requests_desk_receipt, DROP COLUMN receipt_no,
                                   DROP COLUMN payer_reference`);
    await q.query(`DROP TABLE desk_receipt_counters`);
    await q.query(`
      UPDATE payment_requests p SET txn_ref = COALESCE(
        (SELECT a.txn_ref FROM payment_attempts a WHERE a.payment_request_id = p.id ORDER BY a.created_at DESC LIMIT 1),
        replace(gen_random_uuid()::text, '-', ''))
      WHERE p.txn_ref IS NULL`);
    await q.query(`ALTER TABLE payment_requests ALTER COLUMN txn_ref SET NOT NULL`);
    await q.query(`DROP TABLE payment_attempts`);
  }
}
