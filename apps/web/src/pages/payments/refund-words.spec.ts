import { refundReason } from './refund-words';

describe('refundReason', () => {
  it('says the fee was cancelled when the dossier finished without it', () => {
    expect(refundReason({ feeState: 'CANCELLED', feeChannel: null })).toBe('FEE_CANCELLED');
  });

  it('says how the fee was paid already: at the desk, or by another payment through the gateway', () => {
    expect(refundReason({ feeState: 'PAID', feeChannel: 'DESK' })).toBe('PAID_AT_DESK');
    expect(refundReason({ feeState: 'PAID', feeChannel: 'ONLINE_GATEWAY' })).toBe('PAID_ONLINE_ALREADY');
  });
});
