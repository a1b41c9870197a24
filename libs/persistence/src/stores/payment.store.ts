import { type DataSource, type EntityManager } from 'typeorm';
import { type TransitionRecord } from '../../../domain/src';
import { SERVICE_DOSSIER } from './service-dossiers.sql';

export type PaymentChannel = 'ONLINE_GATEWAY' | 'DESK';

/** One fee of a dossier: asked for (PENDING) or paid, and how. */
export interface PaymentRequestRow {
  id: string;
  dossierCode: string;
  /** Whole đồng. */
  amount: number;
  purpose: string;
  state: 'PENDING' | 'PAID';
  createdAt: Date;
  paidAt: Date | null;
  channel: PaymentChannel | null;
  /** CASH, BANK_TRANSFER or ONLINE. */
  method: string | null;
  /** The reference the gateway knows the payment by (vnp_TxnRef). */
  txnRef: string;
  /** The gateway's transaction number, or the desk's receipt number. */
  reference: string | null;
  bankCode: string | null;
  /** When the dossier's workflow recorded it (PAYMENT_RECORDED); null while it has not yet. */
  recordedAt: Date | null;
}

const COLUMNS = `id, dossier_code AS "dossierCode", amount::float8 AS amount, purpose, state, created_at AS "createdAt",
  paid_at AS "paidAt", channel, method, txn_ref AS "txnRef", reference, gateway_bank_code AS "bankCode",
  recorded_at AS "recordedAt"`;

/** What the gateway's notification says about a payment it took. */
export interface GatewayPayment {
  paidAt: Date;
  /** vnp_TransactionNo. */
  reference: string | null;
  bankCode: string | null;
  responseCode: string;
}

/**
 * The fees of a transition, in its transaction (`DossierStore.recordTransition`): a PAYMENT_REQUESTED opens a request
 * with a fresh gateway reference; a PAYMENT_RECORDED marks the gateway's payment (by its reference) as recorded on the
 * workflow, or is the desk's payment of the oldest open request — or of a fee paid with no request open.
 */
export async function writePayments(manager: EntityManager, record: TransitionRecord): Promise<void> {
  const { event } = record;
  if (event.type === 'PAYMENT_REQUESTED') {
    await manager.query(
      `INSERT INTO payment_requests (dossier_code, requested_seq, amount, purpose, state, created_at, txn_ref)
       VALUES ($1, $2, $3, $4, 'PENDING', $5, replace(gen_random_uuid()::text, '-', ''))
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
    const desk: unknown[] = await manager.query(
      `WITH u AS (
         UPDATE payment_requests SET state = 'PAID', paid_at = $2, channel = 'DESK', method = $3, reference = $4,
                recorded_seq = $5, recorded_at = $2
         WHERE id = (SELECT id FROM payment_requests WHERE dossier_code = $1 AND state = 'PENDING'
                     ORDER BY created_at, id LIMIT 1)
         RETURNING id)
       SELECT id FROM u`,
      [record.dossierCode, event.occurredAt, method, reference, record.seq],
    );
    if (desk.length === 0) {
      await manager.query(
        `INSERT INTO payment_requests (dossier_code, amount, purpose, state, created_at, paid_at, channel, method,
                                       txn_ref, reference, recorded_seq, recorded_at)
         VALUES ($1, $2, 'Nộp tại bộ phận một cửa', 'PAID', $3, $3, 'DESK', $4,
                 replace(gen_random_uuid()::text, '-', ''), $5, $6, $3)`,
        [record.dossierCode, amount, event.occurredAt, method, reference, record.seq],
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
  abstract findByTxnRef(txnRef: string): Promise<PaymentRequestRow | null>;
  /** Marks an open request paid through the gateway; false when it was not open (already paid: a duplicate). */
  abstract claimGatewayPayment(id: string, payment: GatewayPayment): Promise<boolean>;
  /** Keeps the gateway's answer to an attempt that did not pay (the request stays open). */
  abstract noteFailedAttempt(id: string, responseCode: string): Promise<void>;
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

  async findByTxnRef(txnRef: string): Promise<PaymentRequestRow | null> {
    const [row] = await this.dataSource.query<PaymentRequestRow[]>(
      `SELECT ${COLUMNS} FROM payment_requests WHERE txn_ref = $1`,
      [txnRef],
    );
    return row ?? null;
  }

  async claimGatewayPayment(id: string, payment: GatewayPayment): Promise<boolean> {
    // A SELECT around the UPDATE: TypeORM answers a bare UPDATE … RETURNING with [rows, count], not the rows.
    const rows: unknown[] = await this.dataSource.query(
      `WITH u AS (
         UPDATE payment_requests SET state = 'PAID', paid_at = $2, channel = 'ONLINE_GATEWAY', method = 'ONLINE',
                reference = $3, gateway_bank_code = $4, last_response_code = $5
         WHERE id = $1 AND state = 'PENDING' RETURNING id)
       SELECT id FROM u`,
      [id, payment.paidAt, payment.reference, payment.bankCode, payment.responseCode],
    );
    return rows.length > 0;
  }

  async noteFailedAttempt(id: string, responseCode: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE payment_requests SET last_response_code = $2 WHERE id = $1 AND state = 'PENDING'`,
      [id, responseCode],
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
