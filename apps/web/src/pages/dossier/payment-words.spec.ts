import { openFee, refundsDue } from './payment-words';

describe('refundsDue', () => {
  it("names the gateway's payments due back to the citizen, by transaction number, else TxnRef", () => {
    expect(
      refundsDue({
        attempts: [
          { txnRef: 'a1', state: 'REFUND_DUE', transactionNo: '14888888' },
          { txnRef: 'a2', state: 'FAILED', transactionNo: null },
          { txnRef: 'a3', state: 'PAID', transactionNo: '14999999' },
          { txnRef: 'a4', state: 'REFUND_DUE', transactionNo: null },
        ],
      }),
    ).toEqual(['14888888', 'a4']);
  });

  it('names none when no payment is due back', () => {
    expect(refundsDue({ attempts: [{ txnRef: 'a3', state: 'PAID', transactionNo: '1' }] })).toEqual([]);
  });
});

describe('openFee', () => {
  const fee = (fee: string, state: string, requestedAt: string) => ({ fee, amount: 1000, state, requestedAt });

  it('is the oldest fee still to pay, as the desk must take it', () => {
    const receipts = [
      fee('Lệ phí cấp giấy phép', 'PENDING', '2026-12-07T03:00:00.000Z'),
      fee('Phí thẩm định', 'PAID', '2026-12-01T03:00:00.000Z'),
      fee('Phí chứng thực bản sao', 'PENDING', '2026-12-02T03:00:00.000Z'),
    ];
    expect(openFee(receipts)?.fee).toBe('Phí chứng thực bản sao');
  });

  it('is none when every fee is paid or cancelled', () => {
    expect(openFee([fee('a', 'PAID', '2026-12-01T00:00:00Z'), fee('b', 'CANCELLED', '2026-12-02T00:00:00Z')])).toBe(
      null,
    );
    expect(openFee([])).toBe(null);
  });
});
