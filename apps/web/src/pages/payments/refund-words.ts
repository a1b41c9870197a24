/** Who the API lets read the refunds due (apps/api/src/payments, RefundsDueController): the menu and the page. */
export const REFUND_ROLES = ['DESK_CLERK', 'UNIT_HEAD', 'AGENCY_LEADER', 'ADMIN'];

/** Why a payment the gateway took is due back to the citizen. */
export type RefundReason = 'FEE_CANCELLED' | 'PAID_AT_DESK' | 'PAID_ONLINE_ALREADY';

/**
 * The reason of a refund due (the API's REFUND_DUE attempt): the fee was cancelled (the dossier finished without it),
 * or it was paid already — at the desk, or by another payment through the gateway.
 */
export function refundReason(row: { feeState: string; feeChannel: string | null }): RefundReason {
  if (row.feeState === 'CANCELLED') {
    return 'FEE_CANCELLED';
  }
  return row.feeChannel === 'DESK' ? 'PAID_AT_DESK' : 'PAID_ONLINE_ALREADY';
}
