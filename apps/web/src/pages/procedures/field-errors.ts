import { type FieldError } from '../../api/client';
import { formatBudget } from '../../format';
import { t } from '../../i18n';

/** The validator's errors by field path (`version.cases[0].steps[4].budget.amount` …). */
export type ErrorsByField = Map<string, string[]>;

export function groupErrors(errors: readonly FieldError[]): ErrorsByField {
  const map: ErrorsByField = new Map();
  for (const e of errors) {
    map.set(e.field, [...(map.get(e.field) ?? []), e.message]);
  }
  return map;
}

/** The errors of a field and of its parts (a budget's `.amount`, `.unit`). */
export function errorsAt(errors: ErrorsByField, path: string, withParts = true): string[] {
  return [...errors.entries()]
    .filter(([field]) => field === path || (withParts && field.startsWith(`${path}.`)))
    .flatMap(([, messages]) => messages);
}

const amount = (n: string, unit: string) => formatBudget({ amount: Number(n), unit });

/** The validator's (English) message in Vietnamese when it is a known rule; otherwise as the server wrote it. */
export function validatorMessage(message: string): string {
  const m = t.procedures.validator;
  let x = /^counted step budgets add up to (\S+) (WD|WH|CD) but (.+) is (\S+) (WD|WH|CD)$/.exec(message);
  if (x) {
    return m.stepsDontAddUp(
      amount(x[1], x[2]),
      x[3].includes('segment') ? m.segmentBudget : m.legalTime,
      amount(x[4], x[5]),
    );
  }
  x = /^segment budgets add up to (\S+) (WD|WH|CD) but the legal processing time is (\S+) (WD|WH|CD)$/.exec(message);
  if (x) {
    return m.segmentsDontAddUp(amount(x[1], x[2]), amount(x[3], x[4]));
  }
  const known: Record<string, string> = {
    'must be positive': m.positive,
    'must not be negative': m.notNegative,
    'must be a multiple of 0.25': m.quarters,
    'must be whole calendar days': m.wholeDays,
    'must be a date YYYY-MM-DD': m.date,
    'is required': m.required,
  };
  return known[message] ?? message;
}
