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
