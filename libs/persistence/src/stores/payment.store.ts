import { type DataSource, type EntityManager } from 'typeorm';
import { TERMINAL_STATES, type TransitionRecord } from '../../../domain/src';
import { SERVICE_DOSSIER } from './service-dossiers.sql';

export type PaymentChannel = 'ONLINE_GATEWAY' | 'DESK';

/** One fee of a dossier: asked for (PENDING) or paid, and how. */
export interface PaymentRequestRow {
  id: string;
  dossierCode: string;
  /** Whole đồng. */
  amount: number;
  purpose: string;
  /** CANCELLED: still open when the dossier finished (withdrawn, refused, closed); no longer payable. */
  state: 'PENDING' | 'PAID' | 'CANCELLED';
  createdAt: Date;
  paidAt: Date | null;
  channel: PaymentChannel | null;
  /** CASH, BANK_TRANSFER or ONLINE. */
  method: string | null;
  /** The TxnRef of the attempt that paid the fee through the gateway; null while unpaid or paid at the desk. */
  txnRef: string | null;
  /** The gateway's transaction number (vnp_TransactionNo) of an online payment. */
  reference: string | null;
  /** The desk's receipt number of a payment taken at the desk (per desk and year, unique). */
  receiptNo: string | null;
  /** What the clerk typed with a desk payment: a paper receipt book's number, a bank transfer's reference. */
  payerReference: string | null;
  bankCode: string | null;
  /** When the dossier's workflow recorded it (PAYMENT_RECORDED); null while it has not yet. */
  recordedAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
}

const COLUMNS = `id, dossier_code AS "dossierCode", amount::float8 AS amount, purpose, state, created_at AS "createdAt",
  paid_at AS "paidAt", channel, method, txn_ref AS "txnRef", reference, gateway_bank_code AS "bankCode",
  recorded_at AS "recordedAt", receipt_no AS "receiptNo", payer_reference AS "payerReference",
  cancelled_at AS "cancelledAt", cancel_reason AS "cancelReason"`;

/** How long the desk's claim on a fee holds while its payment is recorded on the workflow (then it is void). */
const DESK_CLAIM_HOLDS = `interval '5 minutes'`;

/** Outcomes with which a dossier finishes without its open fees: they are cancelled. */
const FINISHED_UNPAID = ['WITHDRAWN', 'REFUSED', 'CLOSED_NO_SUPPLEMENT'];

export type PaymentAttemptState = 'OPEN' | 'FAILED' | 'PAID' | 'REFUND_DUE';

/**
 * One link to the gateway given for a fee, under a TxnRef of its own (the gateway refuses a TxnRef it has seen), and
 * what the gateway's notification said of it: OPEN (nothing yet), FAILED, PAID (the attempt that paid the fee), or
 * REFUND_DUE (it took the money after the fee was already paid, by another attempt or at the desk).
 */
export interface PaymentAttemptRow {
  id: string;
  paymentRequestId: string;
  txnRef: string;
  createdAt: Date;
  expiresAt: Date;
  state: PaymentAttemptState;
  responseCode: string | null;
  transactionNo: string | null;
  notifiedAt: Date | null;
}

const ATTEMPT_COLUMNS = `a.id, a.payment_request_id AS "paymentRequestId", a.txn_ref AS "txnRef",
  a.created_at AS "createdAt", a.expires_at AS "expiresAt", a.state, a.response_code AS "responseCode",
  a.transaction_no AS "transactionNo", a.notified_at AS "notifiedAt"`;

/** Receipt numbers are numbered per desk and per calendar year in Vietnam's time. */
const RECEIPT_ZONE = 'Asia/Ho_Chi_Minh';

/**
 * The desk's next receipt number for a payment of the dossier taken at `paidAt`: `<receiving unit>-BL<year>-<6 digits>`,
 * counted per desk (the dossier's receiving unit, the only desk that may record its payments) and year; the counter's
 * row lock orders concurrent payments of one desk, and `receipt_no` is unique.
 */
async function nextReceiptNo(manager: EntityManager, dossierCode: string, paidAt: string): Promise<string> {
  const [row] = await manager.query<{ receiptNo: string }[]>(
    `WITH desk AS (
       SELECT receiving_unit_code AS unit, extract(year FROM $2::timestamptz AT TIME ZONE '${RECEIPT_ZONE}')::int AS year
       FROM dossiers WHERE code = $1),
     n AS (
       INSERT INTO desk_receipt_counters (unit_code, year, last_no) SELECT unit, year, 1 FROM desk
       ON CONFLICT (unit_code, year) DO UPDATE SET last_no = desk_receipt_counters.last_no + 1
       RETURNING unit_code, year, last_no)
     SELECT unit_code || '-BL' || year || '-' || lpad(last_no::text, 6, '0') AS "receiptNo" FROM n`,
    [dossierCode, paidAt],
  );
  return row.receiptNo;
}

/** A payment the gateway took that is due back to the citizen, with the fee and dossier it was for. */
export interface RefundDueRow {
  dossierCode: string;
  unitCode: string;
  applicantName: string;
  paymentRequestId: string;
  purpose: string;
  amount: number;
  /** PAID (by another attempt or at the desk) or CANCELLED (the dossier finished without it). */
  feeState: string;
  /** How the fee was paid when it was: through the gateway (another attempt) or at the desk; null when cancelled. */
  feeChannel: PaymentChannel | null;
  txnRef: string;
  transactionNo: string | null;
  notifiedAt: Date | null;
}

/** What the gateway's notification says about a payment it took. */
export interface GatewayPayment {
  paidAt: Date;
  /** vnp_TransactionNo. */
  reference: string | null;
  bankCode: string | null;
  responseCode: string;
}

/** Whether a transition finishes its dossier without the fees still open (they are then cancelled). */
const finishesUnpaid = ({ projection }: TransitionRecord): boolean =>
  TERMINAL_STATES.includes(projection.state) ||
  (projection.outcome !== null && FINISHED_UNPAID.includes(projection.outcome));

/** Whether writePayments has anything to write for a transition: a fee asked or paid, or fees to cancel. */
export const touchesPayments = (record: TransitionRecord): boolean =>
  record.event.type === 'PAYMENT_REQUESTED' || record.event.type === 'PAYMENT_RECORDED' || finishesUnpaid(record);

/**
 * The fees of a transition, in its transaction (`DossierStore.recordTransition`, once per new event): a
 * PAYMENT_REQUESTED opens a request (each link to the gateway is an attempt with a TxnRef of its own); a
 * PAYMENT_RECORDED marks the gateway's payment (by the paying attempt's TxnRef) as recorded on the workflow, or is the
 * desk's payment of the oldest open request its amount covers — or, when none, a payment of its own (the API refuses
 * a desk payment that does not pay an open fee exactly; this keeps what a workflow recorded anyway) — under the desk's
 * next receipt number. A transition that finishes the dossier without its fees (withdrawn, refused, closed) cancels
 * those still open.
 */
export async function writePayments(manager: EntityManager, record: TransitionRecord): Promise<void> {
  const { event, projection } = record;
  if (finishesUnpaid(record)) {
    await manager.query(
      `UPDATE payment_requests SET state = 'CANCELLED', cancelled_at = $2, cancel_reason = $3,
              desk_claim = NULL, desk_claimed_at = NULL
       WHERE dossier_code = $1 AND state = 'PENDING'`,
      [
        record.dossierCode,
        event.occurredAt,
        `dossier finished (${projection.outcome ?? projection.state}, ${event.type})`,
      ],
    );
  }
  if (event.type === 'PAYMENT_REQUESTED') {
    await manager.query(
      `INSERT INTO payment_requests (dossier_code, requested_seq, amount, purpose, state, created_at)
       VALUES ($1, $2, $3, $4, 'PENDING', $5)
       ON CONFLICT (dossier_code, requested_seq) DO NOTHING`,
      [record.dossierCode, record.seq, event.payload.amount, event.payload.reason, event.occurredAt],
    );
  } else if (event.type === 'PAYMENT_RECORDED') {
    const { amount, method, reference } = event.payload;
    const online: unknown[] = await manager.query(
      `WITH u AS (UPDATE payment_requests SET recorded_seq = $3, recorded_at = COALESCE(recorded_at, $4)
                  WHERE dossier_code = $1 AND txn_ref = $2 AND channel = 'ONLINE_GATEWAY' RETURNING id)
       SELECT id FROM u`,
      [record.dossierCode, reference ?? '', record.seq, event.occurredAt],
    );
    if (online.length > 0) {
      return;
    }
    const receiptNo = await nextReceiptNo(manager, record.dossierCode, event.occurredAt);
    const desk: unknown[] = await manager.query(
      `WITH u AS (
         UPDATE payment_requests SET state = 'PAID', paid_at = $2, channel = 'DESK', method = $3,
                payer_reference = $4, receipt_no = $6, recorded_seq = $5, recorded_at = $2,
                desk_claim = NULL, desk_claimed_at = NULL
         WHERE id = (SELECT id FROM payment_requests WHERE dossier_code = $1 AND state = 'PENDING' AND amount <= $7
                     ORDER BY created_at, id LIMIT 1)
         RETURNING id)
       SELECT id FROM u`,
      [record.dossierCode, event.occurredAt, method, reference, record.seq, receiptNo, amount],
    );
    if (desk.length === 0) {
      await manager.query(
        `INSERT INTO payment_requests (dossier_code, amount, purpose, state, created_at, paid_at, channel, method,
                                       payer_reference, receipt_no, recorded_seq, recorded_at)
         VALUES ($1, $2, 'Nộp tại bộ phận một cửa', 'PAID', $3, $3, 'DESK', $4, $5, $7, $6, $3)`,
        [record.dossierCode, amount, event.occurredAt, method, reference, record.seq, receiptNo],
      );
    }
  }
}

/** Port for the fees of dossiers and their payments; bound to the TypeORM implementation below. */
export abstract class PaymentStore {
  /** Every fee of the dossier, oldest first. */
  abstract list(dossierCode: string): Promise<PaymentRequestRow[]>;
  /** The oldest fee of the dossier still to pay, if any. */
  abstract openRequest(dossierCode: string): Promise<PaymentRequestRow | null>;
  abstract find(id: string): Promise<PaymentRequestRow | null>;
  /** A new attempt to pay the request at the gateway, under a TxnRef never used before. */
  abstract openAttempt(requestId: string, at: Date, expiresAt: Date): Promise<PaymentAttemptRow>;
  /** The attempt the gateway knows by this TxnRef, with its request. */
  abstract findAttempt(txnRef: string): Promise<{ attempt: PaymentAttemptRow; request: PaymentRequestRow } | null>;
  /** Every attempt to pay the dossier's fees at the gateway, oldest first. */
  abstract attempts(dossierCode: string): Promise<PaymentAttemptRow[]>;
  /**
   * Marks an open request paid through the gateway by this attempt (its TxnRef becomes the request's, the attempt is
   * PAID); false when the request was not open (paid already: by this attempt, by another, or at the desk).
   */
  abstract claimGatewayPayment(requestId: string, attemptId: string, payment: GatewayPayment): Promise<boolean>;
  /**
   * The desk's claim on an open fee while its payment is recorded on the workflow, under the Update's ID: true when the
   * fee is open and not claimed (or claimed under the same ID — a retry —, or by a claim no longer holding); false when
   * the gateway has claimed it, or another desk payment is being recorded.
   */
  abstract claimForDesk(requestId: string, claim: string, at: Date): Promise<boolean>;
  /** The workflow refused the desk's payment: the fee is open to anyone again. */
  abstract releaseDeskClaim(requestId: string, claim: string): Promise<void>;
  /**
   * The gateway's payments due back to the citizen (REFUND_DUE: money taken for a fee already paid, or cancelled), of
   * dossiers received by these units (`ALL`: every unit), oldest first.
   */
  abstract refundsDue(units: string[] | 'ALL'): Promise<RefundDueRow[]>;
  /** Keeps what the gateway said of an attempt that did not pay the fee: FAILED, or REFUND_DUE when it took money. */
  abstract noteAttempt(
    attemptId: string,
    outcome: { state: 'FAILED' | 'REFUND_DUE'; responseCode: string; transactionNo: string | null; at: Date },
  ): Promise<void>;
  /** The dossier's workflow has recorded the gateway's payment. */
  abstract markRecorded(id: string, at: Date): Promise<void>;
  /**
   * Decision 766's online-payment share: the dossiers of the units asked for a fee (a financial obligation) in
   * [from, to) — or paying one at the desk unasked — (`withFees`, the denominator), and those of them whose fee was
   * paid through the payment gateway (`paidOnline`, the numerator; a fee still unpaid counts only below the line).
   */
  abstract onlinePaymentShare(units: string[], from: Date, to: Date): Promise<{ withFees: number; paidOnline: number }>;
}

export class TypeOrmPaymentStore extends PaymentStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  list(dossierCode: string): Promise<PaymentRequestRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM payment_requests WHERE dossier_code = $1 ORDER BY created_at, id`,
      [dossierCode],
    );
  }

  async openRequest(dossierCode: string): Promise<PaymentRequestRow | null> {
    const [row] = await this.dataSource.query<PaymentRequestRow[]>(
      `SELECT ${COLUMNS} FROM payment_requests WHERE dossier_code = $1 AND state = 'PENDING'
       ORDER BY created_at, id LIMIT 1`,
      [dossierCode],
    );
    return row ?? null;
  }

  async find(id: string): Promise<PaymentRequestRow | null> {
    const [row] = await this.dataSource.query<PaymentRequestRow[]>(
      `SELECT ${COLUMNS} FROM payment_requests WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  async openAttempt(requestId: string, at: Date, expiresAt: Date): Promise<PaymentAttemptRow> {
    const [row] = await this.dataSource.query<PaymentAttemptRow[]>(
      `WITH a AS (
         INSERT INTO payment_attempts (payment_request_id, txn_ref, created_at, expires_at)
         VALUES ($1, replace(gen_random_uuid()::text, '-', ''), $2, $3) RETURNING *)
       SELECT ${ATTEMPT_COLUMNS} FROM a`,
      [requestId, at, expiresAt],
    );
    return row;
  }

  async findAttempt(txnRef: string): Promise<{ attempt: PaymentAttemptRow; request: PaymentRequestRow } | null> {
    const [attempt] = await this.dataSource.query<PaymentAttemptRow[]>(
      `SELECT ${ATTEMPT_COLUMNS} FROM payment_attempts a WHERE a.txn_ref = $1`,
      [txnRef],
    );
    const request = attempt ? await this.find(attempt.paymentRequestId) : null;
    return attempt && request ? { attempt, request } : null;
  }

  attempts(dossierCode: string): Promise<PaymentAttemptRow[]> {
    return this.dataSource.query(
      `SELECT ${ATTEMPT_COLUMNS} FROM payment_attempts a JOIN payment_requests p ON p.id = a.payment_request_id
       WHERE p.dossier_code = $1 ORDER BY a.created_at, a.id`,
      [dossierCode],
    );
  }

  claimGatewayPayment(requestId: string, attemptId: string, payment: GatewayPayment): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      // A SELECT around the UPDATE: TypeORM answers a bare UPDATE … RETURNING with [rows, count], not the rows.
      const rows: unknown[] = await m.query(
        `WITH u AS (
           UPDATE payment_requests SET state = 'PAID', paid_at = $2, channel = 'ONLINE_GATEWAY', method = 'ONLINE',
                  reference = $3, gateway_bank_code = $4, last_response_code = $5,
                  txn_ref = (SELECT txn_ref FROM payment_attempts WHERE id = $6)
           WHERE id = $1 AND state = 'PENDING'
             AND (desk_claim IS NULL OR desk_claimed_at < now() - ${DESK_CLAIM_HOLDS})
           RETURNING id)
         SELECT id FROM u`,
        [requestId, payment.paidAt, payment.reference, payment.bankCode, payment.responseCode, attemptId],
      );
      if (rows.length === 0) {
        return false;
      }
      await m.query(
        `UPDATE payment_attempts SET state = 'PAID', response_code = $2, transaction_no = $3, notified_at = $4
         WHERE id = $1`,
        [attemptId, payment.responseCode, payment.reference, new Date()],
      );
      return true;
    });
  }

  async claimForDesk(requestId: string, claim: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH u AS (
         UPDATE payment_requests SET desk_claim = $2, desk_claimed_at = $3
         WHERE id = $1 AND state = 'PENDING'
           AND (desk_claim IS NULL OR desk_claim = $2 OR desk_claimed_at < $3::timestamptz - ${DESK_CLAIM_HOLDS})
         RETURNING id)
       SELECT id FROM u`,
      [requestId, claim, at],
    );
    return rows.length > 0;
  }

  async releaseDeskClaim(requestId: string, claim: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE payment_requests SET desk_claim = NULL, desk_claimed_at = NULL WHERE id = $1 AND desk_claim = $2`,
      [requestId, claim],
    );
  }

  refundsDue(units: string[] | 'ALL'): Promise<RefundDueRow[]> {
    return this.dataSource.query(
      `SELECT p.dossier_code AS "dossierCode", d.receiving_unit_code AS "unitCode", d.applicant_name AS "applicantName",
              p.id AS "paymentRequestId", p.purpose, p.amount::float8 AS amount, p.state AS "feeState",
              p.channel AS "feeChannel", a.txn_ref AS "txnRef",
              a.transaction_no AS "transactionNo", a.notified_at AS "notifiedAt"
       FROM payment_attempts a JOIN payment_requests p ON p.id = a.payment_request_id
       JOIN dossiers d ON d.code = p.dossier_code
       WHERE a.state = 'REFUND_DUE' AND ($1::text[] IS NULL OR d.receiving_unit_code = ANY($1::text[]))
       ORDER BY a.notified_at, a.id`,
      [units === 'ALL' ? null : units],
    );
  }

  async noteAttempt(
    attemptId: string,
    outcome: { state: 'FAILED' | 'REFUND_DUE'; responseCode: string; transactionNo: string | null; at: Date },
  ): Promise<void> {
    // An attempt that paid the fee stays PAID, and one that took money stays REFUND_DUE, whatever is said of it later.
    await this.dataSource.query(
      `UPDATE payment_attempts SET state = $2, response_code = $3, transaction_no = $4, notified_at = $5
       WHERE id = $1 AND state <> 'PAID' AND NOT (state = 'REFUND_DUE' AND $2 = 'FAILED')`,
      [attemptId, outcome.state, outcome.responseCode, outcome.transactionNo, outcome.at],
    );
  }

  async markRecorded(id: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE payment_requests SET recorded_at = COALESCE(recorded_at, $2) WHERE id = $1`, [
      id,
      at,
    ]);
  }

  async onlinePaymentShare(units: string[], from: Date, to: Date): Promise<{ withFees: number; paidOnline: number }> {
    const [row] = await this.dataSource.query<{ withFees: number; paidOnline: number }[]>(
      `SELECT count(DISTINCT p.dossier_code)::int AS "withFees",
              count(DISTINCT p.dossier_code) FILTER (WHERE p.channel = 'ONLINE_GATEWAY')::int AS "paidOnline"
       FROM payment_requests p JOIN dossiers d ON d.code = p.dossier_code
       WHERE p.created_at >= $2 AND p.created_at < $3
         AND d.receiving_unit_code IN (SELECT unnest($1::text[])) AND ${SERVICE_DOSSIER('d')}`,
      [units, from, to],
    );
    return row;
  }
}
