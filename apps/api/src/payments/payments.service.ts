import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { type Actor, DomainErrorCode, DomainException, PAYMENT_GATEWAY_ROLE } from '../../../../libs/domain/src';
import {
  type DossierEntity,
  type PaymentAttemptRow,
  PaymentStore,
  type PaymentRequestRow,
} from '../../../../libs/persistence/src';
import { DossierWorkflowGateway } from '../infrastructure/dossier-workflow.gateway';
import { OrganisationService } from '../organisation/organisation.service';
import { type Principal } from '../auth/principal';
import {
  type PaymentLinkView,
  type PaymentReceiptView,
  type PaymentReturnView,
  type RefundDueView,
} from './payment.view';
import {
  IPN_ANSWERS,
  type IpnAnswer,
  parseGatewayTime,
  payParameters,
  plainOrderInfo,
  signedUrl,
  SUCCESS,
  verifySignature,
} from './vnpay-protocol';

/** How long a payment link stays payable at the gateway (vnp_ExpireDate). */
const LINK_MINUTES = 15;

/**
 * Who records an online payment on the workflow: the API itself, for a notification whose signature it verified. No
 * officer has the role; the workflow lets it record a payment (payment-gateway patch) and nothing else.
 */
export const PAYMENT_GATEWAY_ACTOR: Actor = {
  officerId: '00000000-0000-4000-8000-000000000766',
  username: 'payment-gateway',
  fullName: 'Cổng thanh toán trực tuyến',
  roles: [PAYMENT_GATEWAY_ROLE],
  unitCodes: [],
  headOfUnits: [],
};

type Query = Record<string, string | undefined>;

/** What a vnp_* query parameter holds, when it is one string (a repeated parameter is not the gateway's). */
const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Fees paid online through the payment gateway: the citizen's payment link, the gateway's notification (IPN) — the only
 * thing that records an online payment — the page the citizen's browser comes back to, and a dossier's receipts.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger(PaymentsService.name);

  constructor(
    private readonly payments: PaymentStore,
    private readonly workflows: DossierWorkflowGateway,
    private readonly organisation: OrganisationService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private gateway() {
    const { PAYMENT_GATEWAY_URL: url, PAYMENT_TMN_CODE: tmnCode, PAYMENT_HASH_SECRET: secret } = this.config;
    const returnUrl = this.config.PAYMENT_RETURN_URL;
    return url && tmnCode && secret && returnUrl ? { url, tmnCode, secret, returnUrl } : null;
  }

  /**
   * The signed link to the gateway for the dossier's oldest fee still to pay (the citizen verified by code + PIN). Each
   * link is a new attempt under a TxnRef of its own: the gateway refuses a TxnRef it has already seen, so a citizen who
   * abandoned the gateway's page, or whose payment failed, pays with the next link; every attempt is kept against the
   * one payment request.
   */
  async payLink(d: DossierEntity, ipAddr: string, now = new Date()): Promise<PaymentLinkView> {
    const gateway = this.gateway();
    if (!gateway) {
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        'Fees are not paid online here (no payment gateway is configured): pay at the desk.',
      );
    }
    if (d.state !== 'AWAITING_PAYMENT') {
      throw new DomainException(
        DomainErrorCode.INVALID_STATE,
        `Dossier ${d.code} is not waiting for a payment (${d.state}): a fee is paid only while the dossier is open and waits for it.`,
        [],
        { state: d.state, rule: 'PAYABLE_WHILE_AWAITING_PAYMENT' },
      );
    }
    const open = await this.payments.openRequest(d.code);
    if (!open) {
      throw new DomainException(DomainErrorCode.INVALID_STATE, `Dossier ${d.code} has no fee to pay.`);
    }
    const expiresAt = new Date(now.getTime() + LINK_MINUTES * 60_000);
    const attempt = await this.payments.openAttempt(open.id, now, expiresAt);
    const params = payParameters({
      tmnCode: gateway.tmnCode,
      amount: open.amount,
      txnRef: attempt.txnRef,
      orderInfo: plainOrderInfo(`Ho so ${d.code} ${open.purpose}`),
      returnUrl: gateway.returnUrl,
      ipAddr: ipAddr.replace(/^::ffff:/, ''),
      createdAt: now,
      expiresAt,
      locale: 'vn',
    });
    return {
      paymentUrl: signedUrl(gateway.url, gateway.secret, params),
      amount: open.amount,
      purpose: open.purpose,
      txnRef: attempt.txnRef,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /**
   * The gateway's instant payment notification, answered with its `{RspCode, Message}` contract. Verified (signature
   * in constant time, merchant code, amount) before anything changes. The TxnRef names one attempt of one fee: the
   * first attempt to pay claims the fee (a duplicate answers "already confirmed" and changes nothing) and is then
   * recorded on the dossier's workflow as an online payment, with the paying TxnRef as the Update's ID, so a retry
   * after an outage records it once. A failed attempt leaves the fee open (the next link is a new attempt). An attempt
   * that reports money taken for a fee already paid — by another attempt, or at the desk — or cancelled (the dossier
   * finished without it) changes nothing on the dossier: it is answered "already confirmed" (02, the gateway's answer for an order the merchant has settled, which
   * stops its retries) and kept as REFUND_DUE, logged for the desk to refund.
   */
  async ipn(raw: Record<string, unknown>): Promise<IpnAnswer> {
    const gateway = this.gateway();
    const q: Query = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, single(v)]));
    if (!gateway || !verifySignature(gateway.secret, q)) {
      return IPN_ANSWERS.invalidSignature;
    }
    if (q.vnp_TmnCode !== gateway.tmnCode) {
      return IPN_ANSWERS.invalidSignature;
    }
    const found = q.vnp_TxnRef ? await this.payments.findAttempt(q.vnp_TxnRef) : null;
    if (!found) {
      return IPN_ANSWERS.notFound;
    }
    const { attempt, request } = found;
    if (q.vnp_Amount !== String(request.amount * 100)) {
      return IPN_ANSWERS.invalidAmount;
    }
    const reference = q.vnp_TransactionNo ?? null;
    const responseCode = q.vnp_ResponseCode ?? '';
    const succeeded = responseCode === SUCCESS && q.vnp_TransactionStatus === SUCCESS;
    if (request.state !== 'PENDING') {
      // Paid already, or cancelled when the dossier finished without it.
      return this.settledAlready(request, attempt, succeeded, responseCode, reference);
    }
    if (!succeeded) {
      await this.payments.noteAttempt(attempt.id, {
        state: 'FAILED',
        responseCode,
        transactionNo: null,
        at: new Date(),
      });
      return IPN_ANSWERS.confirmed;
    }
    const claimed = await this.payments.claimGatewayPayment(request.id, attempt.id, {
      paidAt: parseGatewayTime(q.vnp_PayDate) ?? new Date(),
      reference,
      bankCode: q.vnp_BankCode ?? null,
      responseCode,
    });
    if (claimed) {
      return this.record({ ...request, txnRef: attempt.txnRef });
    }
    // Another notification claimed the fee between the read and the claim: the same one (a duplicate, which that
    // notification records), or another attempt's (this one paid twice).
    const now = await this.payments.find(request.id);
    if (!now || (now.channel === 'ONLINE_GATEWAY' && now.txnRef === attempt.txnRef)) {
      return IPN_ANSWERS.alreadyConfirmed;
    }
    if (now.state === 'PENDING') {
      // The desk is recording a payment of this fee: ask the gateway to retry; by then the fee is the desk's (this
      // payment is due back) or open again (the desk's payment was refused), and this one claims it.
      this.logger.warn({ dossier: now.dossierCode, txnRef: attempt.txnRef }, 'fee claimed by the desk: retry');
      return IPN_ANSWERS.unknownError;
    }
    return this.settledAlready(now, attempt, succeeded, responseCode, reference);
  }

  /** A notification for a fee already paid: finishes this attempt's own recording, or changes nothing. */
  private async settledAlready(
    request: PaymentRequestRow,
    attempt: PaymentAttemptRow,
    succeeded: boolean,
    responseCode: string,
    transactionNo: string | null,
  ): Promise<IpnAnswer> {
    if (request.channel === 'ONLINE_GATEWAY' && request.txnRef === attempt.txnRef) {
      // Claimed by an earlier notification whose recording on the workflow failed: this retry finishes it.
      return request.recordedAt === null && succeeded
        ? this.record({ ...request, txnRef: attempt.txnRef })
        : IPN_ANSWERS.alreadyConfirmed;
    }
    if (succeeded) {
      await this.payments.noteAttempt(attempt.id, { state: 'REFUND_DUE', responseCode, transactionNo, at: new Date() });
      this.logger.warn(
        {
          dossier: request.dossierCode,
          txnRef: attempt.txnRef,
          transactionNo,
          paidBy: request.channel === 'DESK' ? request.receiptNo : request.txnRef,
        },
        'fee paid again after it was settled (by another attempt or at the desk): the desk must refund this payment',
      );
    } else {
      await this.payments.noteAttempt(attempt.id, {
        state: 'FAILED',
        responseCode,
        transactionNo: null,
        at: new Date(),
      });
    }
    return IPN_ANSWERS.alreadyConfirmed;
  }

  private async record(request: PaymentRequestRow & { txnRef: string }): Promise<IpnAnswer> {
    try {
      await this.workflows.act(
        request.dossierCode,
        {
          actor: PAYMENT_GATEWAY_ACTOR,
          request: { action: 'record-payment', amount: request.amount, method: 'ONLINE', reference: request.txnRef },
        },
        { what: 'record-payment', retryWith: 'vnp_TxnRef', updateId: `gateway-payment:${request.txnRef}` },
      );
    } catch (e) {
      if (e instanceof DomainException && e.code !== DomainErrorCode.UNAVAILABLE) {
        // The money is taken and kept on the receipt; the workflow will not take it (e.g. the dossier was withdrawn).
        this.logger.error(
          { dossier: request.dossierCode, txnRef: request.txnRef, refusal: e.message },
          'online payment confirmed but not recorded on the dossier: the desk must settle it',
        );
        return IPN_ANSWERS.confirmed;
      }
      this.logger.warn({ dossier: request.dossierCode, txnRef: request.txnRef }, 'payment not yet recorded: retry');
      return IPN_ANSWERS.unknownError;
    }
    await this.payments.markRecorded(request.id, new Date());
    return IPN_ANSWERS.confirmed;
  }

  /**
   * Where the citizen's browser lands after paying: what the fee's state is, read from the store, once the query's
   * signature is verified. It never records a payment: only the notification does (a browser can be made to say
   * anything, and may never come back).
   */
  async returned(raw: Record<string, unknown>): Promise<PaymentReturnView> {
    const gateway = this.gateway();
    const q: Query = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, single(v)]));
    if (!gateway || !verifySignature(gateway.secret, q) || q.vnp_TmnCode !== gateway.tmnCode) {
      return { verified: false, state: 'UNKNOWN', message: 'Không xác thực được kết quả từ cổng thanh toán.' };
    }
    const found = q.vnp_TxnRef ? await this.payments.findAttempt(q.vnp_TxnRef) : null;
    if (!found) {
      return { verified: true, state: 'UNKNOWN', message: 'Không tìm thấy khoản phí của giao dịch này.' };
    }
    const { request, attempt } = found;
    const gatewaySays = q.vnp_ResponseCode === SUCCESS ? 'SUCCESS' : 'FAILED';
    return {
      verified: true,
      dossierCode: request.dossierCode,
      txnRef: attempt.txnRef,
      amount: request.amount,
      state: request.state,
      gatewayResult: gatewaySays,
      message:
        request.state === 'PAID'
          ? 'Đã ghi nhận thanh toán phí, lệ phí của hồ sơ.'
          : request.state === 'CANCELLED'
            ? 'Hồ sơ đã kết thúc, khoản phí đã hủy: số tiền cổng thanh toán đã thu (nếu có) sẽ được hoàn lại.'
            : gatewaySays === 'SUCCESS'
              ? 'Cổng thanh toán báo giao dịch thành công; hồ sơ sẽ được cập nhật khi nhận được xác nhận.'
              : 'Giao dịch không thành công; khoản phí vẫn chờ thanh toán.',
    };
  }

  /**
   * The gateway's payments due back to citizens, of the dossiers received in the caller's scope (their units, their
   * subtrees for heads, everything for admin), or in one unit of it (403 outside).
   */
  async refundsDue(principal: Principal, unit?: string): Promise<RefundDueView[]> {
    if (unit) {
      await this.organisation.assertCanSee(principal, unit, 'list the refunds due of');
    }
    const visible = await this.organisation.visibleUnits(principal);
    const rows = await this.payments.refundsDue(unit ? [unit] : visible === 'ALL' ? 'ALL' : [...visible]);
    return rows.map((r) => ({
      dossierCode: r.dossierCode,
      unitCode: r.unitCode,
      applicantName: r.applicantName,
      fee: r.purpose,
      amount: r.amount,
      feeState: r.feeState,
      feeChannel: r.feeChannel,
      txnRef: r.txnRef,
      transactionNo: r.transactionNo,
      notifiedAt: r.notifiedAt ? new Date(r.notifiedAt).toISOString() : null,
    }));
  }

  /** The dossier's fees and how each was paid (the caller's access to the dossier checked by the controller). */
  async receipts(code: string): Promise<PaymentReceiptView[]> {
    const [rows, attempts] = await Promise.all([this.payments.list(code), this.payments.attempts(code)]);
    const iso = (x: Date | null): string | null => (x ? new Date(x).toISOString() : null);
    return rows.map((r) => ({
      id: r.id,
      fee: r.purpose,
      amount: r.amount,
      state: r.state,
      channel: r.channel,
      method: r.method,
      requestedAt: new Date(r.createdAt).toISOString(),
      paidAt: iso(r.paidAt),
      txnRef: r.txnRef,
      // What the receipt shows as its number: the desk's receipt number, or the gateway's transaction number.
      reference: r.channel === 'DESK' ? r.receiptNo : r.reference,
      payerReference: r.payerReference,
      recordedOnDossier: r.recordedAt !== null,
      cancelledAt: iso(r.cancelledAt),
      attempts: attempts
        .filter((a) => a.paymentRequestId === r.id)
        .map((a) => ({
          txnRef: a.txnRef,
          createdAt: new Date(a.createdAt).toISOString(),
          state: a.state,
          responseCode: a.responseCode,
          transactionNo: a.transactionNo,
        })),
    }));
  }
}
