import { type CalendarDay, type CalendarYearData, statutoryHolidays } from './vietnam-holidays';
import { type OfficeHours, WorkingCalendar } from './working-calendar';

/** The national scope; provinces and agencies are narrower scopes below it. */
export const NATIONAL_SCOPE = 'VN';

/** One scope's own entry for a year: for the nation the whole schedule, for narrower scopes what they add. */
export interface ScopeYearEntry {
  scope: string;
  year: number;
  holidays: CalendarDay[];
  makeupWorkdays: CalendarDay[];
  source?: CalendarYearData['source'];
  legalBasis?: string;
}

/** The effective year of a scope chain, with where each day comes from. */
export interface EffectiveYear extends CalendarYearData {
  scopes: string[];
}

/**
 * Resolves the effective calendar year for a chain of scopes, broadest first (e.g. VN → province → agency):
 * the national entry replaces the computed statutory holidays; each narrower entry adds its own holidays and
 * make-up days. A make-up working day wins over a holiday on the same date.
 */
export function effectiveYear(year: number, chain: readonly (ScopeYearEntry | undefined)[]): EffectiveYear {
  const [national, ...narrower] = chain;
  const base: CalendarYearData = national
    ? {
        year,
        holidays: national.holidays,
        makeupWorkdays: national.makeupWorkdays,
        source: national.source ?? 'OFFICIAL',
        legalBasis: national.legalBasis,
      }
    : statutoryHolidays(year);
  const holidays = new Map(base.holidays.map((d) => [d.date, d]));
  const makeup = new Map(base.makeupWorkdays.map((d) => [d.date, d]));
  const scopes = [national ? national.scope : `${NATIONAL_SCOPE} (computed)`];
  for (const entry of narrower) {
    if (!entry) {
      continue;
    }
    scopes.push(entry.scope);
    entry.holidays.forEach((d) => holidays.set(d.date, d));
    entry.makeupWorkdays.forEach((d) => makeup.set(d.date, d));
  }
  for (const date of makeup.keys()) {
    holidays.delete(date);
  }
  const sorted = (m: Map<string, CalendarDay>): CalendarDay[] =>
    [...m.values()].sort((a, b) => a.date.localeCompare(b.date));
  return {
    year,
    holidays: sorted(holidays),
    makeupWorkdays: sorted(makeup),
    source: base.source,
    legalBasis: base.legalBasis,
    scopes,
  };
}

/** A working calendar over per-year entries of a scope chain (missing years fall back to the statutory rules). */
export function createScopedCalendar(options: {
  timeZone: string;
  officeHours?: OfficeHours;
  entries: readonly ScopeYearEntry[];
  /** Broadest first, e.g. ['VN', 'H36', '000.00.12.H36']. */
  chain: readonly string[];
}): WorkingCalendar {
  const byKey = new Map(options.entries.map((e) => [`${e.scope}|${e.year}`, e]));
  return new WorkingCalendar({
    timeZone: options.timeZone,
    officeHours: options.officeHours,
    yearDays: (year) => {
      const y = effectiveYear(
        year,
        options.chain.map((scope) => byKey.get(`${scope}|${year}`)),
      );
      return { holidays: y.holidays.map((d) => d.date), makeupWorkdays: y.makeupWorkdays.map((d) => d.date) };
    },
  });
}
