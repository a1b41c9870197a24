import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The payment gateway's protocol (VNPay 2.1.0): a payment URL whose vnp_* parameters are signed, and an instant payment
 * notification (IPN) signed the same way. The signed data is every non-empty vnp_* parameter except the hash fields,
 * sorted by name, each `name=value` with the value form-urlencoded (as the gateway's PHP and Java demos do: space as
 * `+`, only letters, digits and `-_.` left as they are), joined with `&`; vnp_SecureHash is its HMAC-SHA512 in hex.
 */
export const VNPAY_VERSION = '2.1.0';

/** The IPN's answers (the gateway's `{RspCode, Message}` contract): anything but 00 or 02 makes it notify again. */
export const IPN_ANSWERS = {
  confirmed: { RspCode: '00', Message: 'Confirm Success' },
  notFound: { RspCode: '01', Message: 'Order not found' },
  alreadyConfirmed: { RspCode: '02', Message: 'Order already confirmed' },
  invalidAmount: { RspCode: '04', Message: 'Invalid amount' },
  invalidSignature: { RspCode: '97', Message: 'Invalid signature' },
  unknownError: { RspCode: '99', Message: 'Unknown error' },
} as const;
export type IpnAnswer = (typeof IPN_ANSWERS)[keyof typeof IPN_ANSWERS];

/** The gateway's "successful" code for both vnp_ResponseCode and vnp_TransactionStatus. */
export const SUCCESS = '00';

const HASH_FIELDS = ['vnp_SecureHash', 'vnp_SecureHashType'];

/** application/x-www-form-urlencoded, as PHP's urlencode and Java's URLEncoder (UTF-8) write it. */
export function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** The string the gateway signs: the sorted, encoded, non-empty vnp_* parameters without the hash fields. */
export function signedData(params: Record<string, string | undefined>): string {
  return Object.keys(params)
    .filter((k) => k.startsWith('vnp_') && !HASH_FIELDS.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${formEncode(k)}=${formEncode(params[k] as string)}`)
    .join('&');
}

/** vnp_SecureHash of the parameters under the merchant's hash secret (lower-case hex). */
export function secureHash(secret: string, params: Record<string, string | undefined>): string {
  return createHmac('sha512', secret).update(signedData(params), 'utf8').digest('hex');
}

/** The gateway URL with the parameters and their vnp_SecureHash. */
export function signedUrl(gatewayUrl: string, secret: string, params: Record<string, string>): string {
  return `${gatewayUrl}?${signedData(params)}&vnp_SecureHash=${secureHash(secret, params)}`;
}

/** Whether vnp_SecureHash signs the other vnp_* parameters under `secret` (compared in constant time). */
export function verifySignature(secret: string, params: Record<string, string | undefined>): boolean {
  const given = params.vnp_SecureHash;
  if (typeof given !== 'string' || !/^[0-9a-fA-F]{128}$/.test(given)) {
    return false;
  }
  const expected = Buffer.from(secureHash(secret, params), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** yyyyMMddHHmmss in the gateway's zone (Asia/Ho_Chi_Minh, UTC+7 with no daylight saving). */
export function gatewayTime(at: Date): string {
  return new Date(at.getTime() + 7 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The instant a gatewayTime names, or null when it is not one. */
export function parseGatewayTime(text: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text ?? '');
  if (!m) {
    return null;
  }
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** What a payment URL asks the gateway for. */
export interface PaymentOrder {
  tmnCode: string;
  /** Whole đồng: the gateway takes it ×100. */
  amount: number;
  txnRef: string;
  /** Shown to the citizen: ASCII letters, digits and spaces only (the gateway's advice for vnp_OrderInfo). */
  orderInfo: string;
  returnUrl: string;
  ipAddr: string;
  createdAt: Date;
  expiresAt: Date;
  locale: 'vn' | 'en';
}

/** The vnp_* parameters of a pay command (unsigned). */
export function payParameters(order: PaymentOrder): Record<string, string> {
  return {
    vnp_Version: VNPAY_VERSION,
    vnp_Command: 'pay',
    vnp_TmnCode: order.tmnCode,
    vnp_Amount: String(order.amount * 100),
    vnp_CurrCode: 'VND',
    vnp_TxnRef: order.txnRef,
    vnp_OrderInfo: order.orderInfo,
    vnp_OrderType: 'other',
    vnp_ReturnUrl: order.returnUrl,
    vnp_CreateDate: gatewayTime(order.createdAt),
    vnp_ExpireDate: gatewayTime(order.expiresAt),
    vnp_IpAddr: order.ipAddr,
    vnp_Locale: order.locale,
  };
}

/** Vietnamese text as the gateway wants vnp_OrderInfo: without diacritics or punctuation. */
export function plainOrderInfo(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
}
