import {
  formEncode,
  gatewayTime,
  parseGatewayTime,
  payParameters,
  plainOrderInfo,
  secureHash,
  signedData,
  signedUrl,
  verifySignature,
} from './vnpay-protocol';

const SECRET = 'SECRETKEYSECRETKEYSECRETKEY1234';
const ORDER = {
  tmnCode: 'DEMO0001',
  amount: 200_000,
  txnRef: 'P000000202030120900011',
  orderInfo: 'Phi cung cap thong tin ly lich tu phap',
  returnUrl: 'https://dvc.example.vn/thanh-toan/ket-qua?a=1',
  ipAddr: '127.0.0.1',
  createdAt: new Date('2030-12-09T07:30:00Z'),
  expiresAt: new Date('2030-12-09T07:45:00Z'),
  locale: 'vn',
} as const;
/** The data the gateway signs for ORDER, written out by hand. */
const DATA =
  'vnp_Amount=20000000&vnp_Command=pay&vnp_CreateDate=20301209143000&vnp_CurrCode=VND&vnp_ExpireDate=20301209144500' +
  '&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Phi+cung+cap+thong+tin+ly+lich+tu+phap&vnp_OrderType=other' +
  '&vnp_ReturnUrl=https%3A%2F%2Fdvc.example.vn%2Fthanh-toan%2Fket-qua%3Fa%3D1&vnp_TmnCode=DEMO0001' +
  '&vnp_TxnRef=P000000202030120900011&vnp_Version=2.1.0';
/** Computed independently: printf '%s' "$DATA" | openssl dgst -sha512 -hmac "$SECRET". */
const HASH =
  '6c0bdaddd78c750271d1756495cff44b10a6e8398f118fd1457c3882346ee813e3e2607a9979b7436504c5ffa9f6aa1afec17a50179bc7cb7c16e992d77cc8ca';

describe('vnpay protocol', () => {
  it('signs the sorted, form-encoded parameters: the data and the hash match a vector computed with openssl', () => {
    const params = payParameters(ORDER);
    expect(signedData(params)).toBe(DATA);
    expect(secureHash(SECRET, params)).toBe(HASH);
  });

  it('builds the payment URL as the data plus vnp_SecureHash', () => {
    expect(signedUrl('https://sandbox.vnpayment.vn/paymentv2/vpcpay.html', SECRET, payParameters(ORDER))).toBe(
      `https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?${DATA}&vnp_SecureHash=${HASH}`,
    );
  });

  it('leaves out empty values, the hash fields and parameters that are not vnp_*', () => {
    const params = { ...payParameters(ORDER), vnp_BankCode: '', vnp_SecureHashType: 'HmacSHA512', other: 'x' };
    expect(signedData(params)).toBe(DATA);
  });

  it('form-encodes as the gateway does: space as +, reserved characters and UTF-8 as %XX', () => {
    expect(formEncode("a b*~!'()&=/:?é-_.")).toBe('a+b%2A%7E%21%27%28%29%26%3D%2F%3A%3F%C3%A9-_.');
  });

  it('verifies the hash in either case, and refuses a changed parameter, a wrong secret or a malformed hash', () => {
    const params = { ...payParameters(ORDER), vnp_SecureHash: HASH.toUpperCase() };
    expect(verifySignature(SECRET, params)).toBe(true);
    expect(verifySignature(SECRET, { ...params, vnp_Amount: '100' })).toBe(false);
    expect(verifySignature(`${SECRET}x`, params)).toBe(false);
    expect(verifySignature(SECRET, { ...params, vnp_SecureHash: 'abc' })).toBe(false);
    expect(verifySignature(SECRET, { ...params, vnp_SecureHash: undefined })).toBe(false);
  });

  it('writes and reads times as yyyyMMddHHmmss in Asia/Ho_Chi_Minh', () => {
    expect(gatewayTime(new Date('2030-12-31T17:59:59Z'))).toBe('20310101005959');
    expect(parseGatewayTime('20310101005959')?.toISOString()).toBe('2030-12-31T17:59:59.000Z');
    expect(parseGatewayTime('2031-01-01')).toBeNull();
  });

  it('writes the order info without diacritics or punctuation', () => {
    expect(plainOrderInfo('Hồ sơ 000.00.20.H36: Lệ phí đăng ký (Đợt 1)')).toBe(
      'Ho so 000 00 20 H36 Le phi dang ky Dot 1',
    );
  });
});
