import { checkBudgets } from './budget-sum';

describe('checkBudgets', () => {
  it('adds working days and hours in the target unit', () => {
    const check = checkBudgets(
      [
        { amount: 0.5, unit: 'WD' },
        { amount: 4, unit: 'WH' },
        { amount: 29, unit: 'WD' },
      ],
      { amount: 30, unit: 'WD' },
    );
    expect(check).toEqual({ total: { amount: 30, unit: 'WD' }, matches: true });
  });

  it('says when they do not add up', () => {
    expect(checkBudgets([{ amount: 15, unit: 'WD' }], { amount: 30, unit: 'WD' }).matches).toBe(false);
  });

  it('refuses to mix calendar and working time', () => {
    expect(checkBudgets([{ amount: 5, unit: 'CD' }], { amount: 5, unit: 'WD' })).toEqual({
      total: undefined,
      matches: false,
    });
  });
});
