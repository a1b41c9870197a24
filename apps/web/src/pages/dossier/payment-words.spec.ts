import { refundsDue } from './payment-words';

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
