import { ValidateBy } from 'class-validator';
import { civilFromDays, parseIsoDate } from '../../../../libs/calendar/src';

/** The years a day may name: PostgreSQL has no year 0, and nothing the engine counts lies outside them. */
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2200;

/** A real day `YYYY-MM-DD` between FIRST_YEAR and LAST_YEAR; 2026-02-30 or 0000-01-01 is not one. */
export function isLocalDay(value: unknown): value is string {
  const days = typeof value === 'string' ? parseIsoDate(value) : undefined;
  if (days === undefined) {
    return false;
  }
  const { year } = civilFromDays(days);
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

/**
 * A local day, checked as a day and not only as a shape: `\d{4}-\d{2}-\d{2}` let 2026-02-30 and 0000-01-01 through to
 * PostgreSQL, which answered them with a 500.
 */
export const IsLocalDay = (field: string, note?: string) =>
  ValidateBy({
    name: 'isLocalDay',
    validator: {
      validate: isLocalDay,
      defaultMessage: () =>
        `${field} must be a day YYYY-MM-DD${note ? ` (${note})` : ''} between ${FIRST_YEAR} and ${LAST_YEAR}`,
    },
  });
