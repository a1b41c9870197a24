import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/** The notification the gateway sent, and the product's JSON answer to it. */
export interface Notification {
  params: Record<string, string>;
  answer: { RspCode: string; Message: string };
}

export interface FakeGateway {
  /** The pay page (what PAYMENT_GATEWAY_URL names). */
  payUrl: string;
  tmnCode: string;
  secret: string;
  /** Where it sends notifications (the merchant registers its IPN URL with the gateway, not in the pay request). */
  ipnUrl: string;
  /** What the next payment does: the citizen pays (00), or cancels at the gateway (24). */
  nextResponseCode: '00' | '24';
  /** Every notification sent, in order, with the product's answer. */
  notifications: Notification[];
  /**
   * The citizen's browser, at the pay URL: the gateway checks it (and refuses a TxnRef it has seen), "pays", notifies,
   * and redirects back.
   */
  pay(paymentUrl: string): Promise<{ status: number; location: string | null; body: string }>;
  /** Sends a notification with these parameters, signed under `secret` (default: the merchant's) unless `hash`. */
  notify(params: Record<string, string>, options?: { secret?: string; hash?: string }): Promise<Notification>;
  /** The parameters of a success notification for an attempt (the citizen paid `amount` đồng, 2,000 by default). */
  success(txnRef: string, transactionNo: string, amount?: number): Record<string, string>;
  /** The gateway's signature, computed here independently of the product's code. */
  sign(params: Record<string, string>, secret?: string): string;
  server: Server;
}

/**
 * A fake of the payment gateway (VNPay 2.1.0) on loopback: it checks the pay URL's signature and merchant code as the
 * gateway does, takes the payment, sends the signed IPN to the product (GET, vnp_* query) and keeps the product's
 * answer, then redirects the browser to vnp_ReturnUrl with the same signed result.
 */
export async function fakeGateway(options: { tmnCode?: string; secret?: string } = {}): Promise<FakeGateway> {
  const tmnCode = options.tmnCode ?? 'FAKE0766';
  const secret = options.secret ?? 'FAKEGATEWAYHASHSECRETFAKEGATEWAY';
  let transactionNo = 14_000_000;
  const seen = new Set<string>();

  // form-urlencoding by WHATWG URLSearchParams, not the product's encoder: the same bytes only if both follow the spec.
  const signedData = (params: Record<string, string>): string =>
    new URLSearchParams(
      Object.keys(params)
        .filter((k) => k.startsWith('vnp_') && k !== 'vnp_SecureHash' && k !== 'vnp_SecureHashType' && params[k] !== '')
        .sort()
        .map((k): [string, string] => [k, params[k]]),
    ).toString();
  const sign = (params: Record<string, string>, key = secret): string =>
    createHmac('sha512', key).update(signedData(params), 'utf8').digest('hex');
  const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const payDate = (): string => new Date(Date.now() + 7 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);

  const gateway: FakeGateway = {
    payUrl: '',
    tmnCode,
    secret,
    ipnUrl: '',
    nextResponseCode: '00',
    notifications: [],
    sign,
    success: (txnRef, transactionNo, amount = 2_000) => ({
      vnp_Amount: String(amount * 100),
      vnp_BankCode: 'NCB',
      vnp_PayDate: '20301209143000',
      vnp_ResponseCode: '00',
      vnp_TmnCode: tmnCode,
      vnp_TransactionNo: transactionNo,
      vnp_TransactionStatus: '00',
      vnp_TxnRef: txnRef,
    }),
    server: createServer(),
    async pay(paymentUrl) {
      const res = await fetch(paymentUrl, { redirect: 'manual' });
      return { status: res.status, location: res.headers.get('location'), body: await res.text() };
    },
    async notify(params, opts = {}) {
      const signed = { ...params, vnp_SecureHash: opts.hash ?? sign(params, opts.secret) };
      const res = await fetch(`${gateway.ipnUrl}?${query(signed)}`);
      const notification = { params: signed, answer: (await res.json()) as Notification['answer'] };
      gateway.notifications.push(notification);
      return notification;
    },
  };

  gateway.server.on('request', (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const p = Object.fromEntries(url.searchParams.entries());
      const expires = p.vnp_ExpireDate ?? '';
      if (url.pathname !== '/paymentv2/vpcpay.html' || p.vnp_SecureHash !== sign(p)) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('70: Sai chữ ký (invalid signature)');
        return;
      }
      if (
        p.vnp_TmnCode !== tmnCode ||
        p.vnp_Version !== '2.1.0' ||
        p.vnp_Command !== 'pay' ||
        p.vnp_CurrCode !== 'VND'
      ) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('02: Merchant không hợp lệ');
        return;
      }
      if (expires < payDate()) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('11: Đã hết hạn chờ thanh toán');
        return;
      }
      // The gateway takes a TxnRef once: a link whose reference it has seen before (paid, failed or abandoned) is refused.
      if (seen.has(p.vnp_TxnRef)) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('94: Giao dịch trùng mã tham chiếu (vnp_TxnRef)');
        return;
      }
      seen.add(p.vnp_TxnRef);
      transactionNo += 1;
      const code = gateway.nextResponseCode;
      const result: Record<string, string> = {
        vnp_Amount: p.vnp_Amount,
        vnp_BankCode: 'NCB',
        vnp_BankTranNo: `VNP${transactionNo}`,
        vnp_CardType: 'ATM',
        vnp_OrderInfo: p.vnp_OrderInfo,
        vnp_PayDate: payDate(),
        vnp_ResponseCode: code,
        vnp_TmnCode: tmnCode,
        vnp_TransactionNo: code === '00' ? String(transactionNo) : '0',
        vnp_TransactionStatus: code === '00' ? '00' : '02',
        vnp_TxnRef: p.vnp_TxnRef,
      };
      await gateway.notify(result);
      res
        .writeHead(302, { location: `${p.vnp_ReturnUrl}?${query({ ...result, vnp_SecureHash: sign(result) })}` })
        .end();
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((resolve) => gateway.server.listen(0, '127.0.0.1', resolve));
  const { port } = gateway.server.address() as AddressInfo;
  gateway.payUrl = `http://127.0.0.1:${port}/paymentv2/vpcpay.html`;
  return gateway;
}
