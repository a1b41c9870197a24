import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The link the citizen follows to pay a fee at the gateway. */
export class PaymentLinkView {
  @ApiProperty({ description: 'The signed payment URL at the gateway (VNPay 2.1.0)' }) paymentUrl!: string;
  @ApiProperty({ description: 'Whole đồng' }) amount!: number;
  @ApiProperty() purpose!: string;
  @ApiProperty({ description: 'The reference the gateway knows the payment by (vnp_TxnRef)' }) txnRef!: string;
  @ApiProperty({ description: 'After this the gateway no longer takes the payment' }) expiresAt!: string;
}

/** One fee of a dossier and how it was paid. */
export class PaymentReceiptView {
  @ApiProperty({ description: 'What the fee is for' }) fee!: string;
  @ApiProperty({ description: 'Whole đồng' }) amount!: number;
  @ApiProperty({ enum: ['PENDING', 'PAID'] }) state!: string;
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
  @ApiProperty({ description: 'The gateway transaction reference (vnp_TxnRef)' }) txnRef!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The gateway's transaction number (vnp_TransactionNo), or the desk's receipt number",
  })
  reference!: string | null;
  @ApiProperty({ description: "Whether the dossier's workflow has recorded the payment" }) recordedOnDossier!: boolean;
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
  @ApiProperty({ enum: ['PENDING', 'PAID', 'UNKNOWN'], description: 'The fee as recorded (only the IPN records it)' })
  state!: string;
  @ApiPropertyOptional({ enum: ['SUCCESS', 'FAILED'], description: 'What the gateway told the browser' })
  gatewayResult?: string;
  @ApiProperty() message!: string;
}
