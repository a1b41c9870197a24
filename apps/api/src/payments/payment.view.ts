import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The link the citizen follows to pay a fee at the gateway. */
export class PaymentLinkView {
  @ApiProperty({ description: 'The signed payment URL at the gateway (VNPay 2.1.0)' }) paymentUrl!: string;
  @ApiProperty({ description: 'Whole đồng' }) amount!: number;
  @ApiProperty() purpose!: string;
  @ApiProperty({ description: 'The reference the gateway knows the payment by (vnp_TxnRef)' }) txnRef!: string;
  @ApiProperty({ description: 'After this the gateway no longer takes the payment' }) expiresAt!: string;
}

/** One link to the gateway given for a fee, and what the gateway said of it. */
export class PaymentAttemptView {
  @ApiProperty({ description: 'The TxnRef of this attempt (each link to the gateway has its own)' }) txnRef!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({
    enum: ['OPEN', 'FAILED', 'PAID', 'REFUND_DUE'],
    description:
      'OPEN: no notification yet (abandoned, or still at the gateway); FAILED; PAID: the attempt that paid the fee; REFUND_DUE: money taken after the fee was already paid (or cancelled), to refund',
  })
  state!: string;
  @ApiProperty({ nullable: true, type: String, description: "The gateway's vnp_ResponseCode" })
  responseCode!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The gateway's transaction number, when it took money" })
  transactionNo!: string | null;
}

/** One fee of a dossier and how it was paid. */
export class PaymentReceiptView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'What the fee is for' }) fee!: string;
  @ApiProperty({ description: 'Whole đồng' }) amount!: number;
  @ApiProperty({
    enum: ['PENDING', 'PAID', 'CANCELLED'],
    description: 'CANCELLED: still open when the dossier finished without it (withdrawn, refused, closed)',
  })
  state!: string;
  @ApiProperty({
    enum: ['ONLINE_GATEWAY', 'DESK'],
    nullable: true,
    type: String,
    description: 'Paid online through the payment gateway, or at the desk; null while unpaid',
  })
  channel!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['ONLINE', 'CASH', 'BANK_TRANSFER'] }) method!: string | null;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ nullable: true, type: String }) paidAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The TxnRef of the attempt that paid the fee online; null while unpaid or paid at the desk',
  })
  txnRef!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "The receipt's number: the gateway's transaction number (vnp_TransactionNo) for an online payment, the desk's receipt number (per desk and year) for one at the desk",
  })
  reference!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "What the clerk typed with a desk payment (a paper receipt book's number, a bank transfer's reference)",
  })
  payerReference!: string | null;
  @ApiProperty({ description: "Whether the dossier's workflow has recorded the payment" }) recordedOnDossier!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'When the fee was cancelled' }) cancelledAt!: string | null;
  @ApiProperty({
    type: [PaymentAttemptView],
    description: 'Every link to the gateway given for this fee, oldest first',
  })
  attempts!: PaymentAttemptView[];
}

/** The gateway's answer to its notification (its JSON contract). */
export class IpnAnswerView {
  @ApiProperty({ enum: ['00', '01', '02', '04', '97', '99'] }) RspCode!: string;
  @ApiProperty() Message!: string;
}

/** What the citizen's browser is shown on coming back from the gateway. */
export class PaymentReturnView {
  @ApiProperty({ description: 'Whether the gateway signed what the browser brought back' }) verified!: boolean;
  @ApiPropertyOptional() dossierCode?: string;
  @ApiPropertyOptional() txnRef?: string;
  @ApiPropertyOptional() amount?: number;
  @ApiProperty({
    enum: ['PENDING', 'PAID', 'CANCELLED', 'UNKNOWN'],
    description: 'The fee as recorded (only the IPN records it)',
  })
  state!: string;
  @ApiPropertyOptional({ enum: ['SUCCESS', 'FAILED'], description: 'What the gateway told the browser' })
  gatewayResult?: string;
  @ApiProperty() message!: string;
}

/** A payment the gateway took that is due back to the citizen: the fee was already paid, or cancelled. */
export class RefundDueView {
  @ApiProperty() dossierCode!: string;
  @ApiProperty({ description: "The dossier's receiving unit (its desk refunds)" }) unitCode!: string;
  @ApiProperty({ description: 'The applicant the money is due back to' }) applicantName!: string;
  @ApiProperty({ description: 'What the fee was for' }) fee!: string;
  @ApiProperty({ description: 'Whole đồng taken by the gateway' }) amount!: number;
  @ApiProperty({
    enum: ['PAID', 'CANCELLED'],
    description: 'PAID: by another attempt or at the desk; CANCELLED: the dossier finished without it',
  })
  feeState!: string;
  @ApiProperty({
    enum: ['ONLINE_GATEWAY', 'DESK'],
    nullable: true,
    type: String,
    description:
      'How the fee itself was paid (PAID): by another attempt at the gateway, or at the desk; null when cancelled',
  })
  feeChannel!: string | null;
  @ApiProperty({ description: 'The TxnRef of the attempt that took the money' }) txnRef!: string;
  @ApiProperty({ nullable: true, type: String, description: "The gateway's transaction number" })
  transactionNo!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "When the gateway's notification said so" })
  notifiedAt!: string | null;
}
