import { type DurationLike } from '../../format';

const MINUTES: Record<string, number> = { WD: 480, WH: 60 };

export interface BudgetCheck {
  /** The counted budgets' total in the target's unit (undefined when working and calendar time are mixed). */
  total: DurationLike | undefined;
  /** True when the total equals the target. */
  matches: boolean;
}

/** What the counted steps' (or segments') budgets add up to, against the legal time they must fill. */
export function checkBudgets(budgets: readonly DurationLike[], target: DurationLike): BudgetCheck {
  const calendar = target.unit === 'CD';
  let amount = 0;
  for (const b of budgets) {
    if ((b.unit === 'CD') !== calendar) {
      return { total: undefined, matches: false };
    }
    amount += calendar ? b.amount : b.amount * (MINUTES[b.unit] ?? 480);
  }
  const targetAmount = calendar ? target.amount : target.amount * (MINUTES[target.unit] ?? 480);
  const total = calendar ? amount : amount / (MINUTES[target.unit] ?? 480);
  return { total: { amount: total, unit: target.unit }, matches: Math.abs(amount - targetAmount) < 1e-9 };
}
