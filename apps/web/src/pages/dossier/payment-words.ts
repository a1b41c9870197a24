/** The part of a receipt the payments table reads to say which of the gateway's payments must be refunded. */
export interface ReceiptAttempts {
  attempts: { txnRef: string; state: string; transactionNo: string | null }[];
}

/**
 * The gateway's payments of one fee due back to the citizen (REFUND_DUE: money taken after the fee was paid by another
 * attempt or at the desk, or once it was cancelled): the gateway's transaction number of each, else its TxnRef.
 */
export function refundsDue(receipt: ReceiptAttempts): string[] {
  return receipt.attempts.filter((a) => a.state === 'REFUND_DUE').map((a) => a.transactionNo ?? a.txnRef);
}

/** The part of a receipt the record-payment form reads to find the fee the desk takes. */
export interface ReceiptFee {
  fee: string;
  amount: number;
  state: string;
  requestedAt: string;
}

/**
 * The fee the desk's payment settles: the oldest still to pay (PENDING), as the API picks it; the desk takes exactly
 * its amount (any other is refused, 422 naming `amount`). Null when no fee is open.
 */
export function openFee<R extends ReceiptFee>(receipts: readonly R[]): R | null {
  const open = receipts.filter((r) => r.state === 'PENDING');
  return open.reduce<R | null>((oldest, r) => (!oldest || r.requestedAt < oldest.requestedAt ? r : oldest), null);
}
