import { handlingSatisfaction, isContent } from './citizens-voice';
import { percent } from './report/progress';

describe('handlingSatisfaction', () => {
  it('is 100% less the overdue share and the complained-about share', () => {
    // 40 dossiers, 36 within the deadline (10% overdue), 2 complained about (5%): 100 − (10 + 5) = 85%.
    const share = handlingSatisfaction({ numerator: 36, denominator: 40 }, 2);
    expect(share).toEqual({ numerator: 34, denominator: 40 });
    expect(percent(share.numerator, share.denominator)).toBe(85);
  });

  it('never goes below zero when complaints outnumber the dossiers within the deadline', () => {
    expect(handlingSatisfaction({ numerator: 1, denominator: 3 }, 3)).toEqual({ numerator: 0, denominator: 3 });
  });
});

describe('isContent', () => {
  it('counts satisfied and acceptable, not the dissatisfied', () => {
    expect(['SATISFIED', 'ACCEPTABLE', 'NOT_SATISFIED'].map((r) => isContent(r as never))).toEqual([true, true, false]);
  });
});
