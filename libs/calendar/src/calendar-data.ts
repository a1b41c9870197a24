import { type OfficeHours } from './working-calendar';
import { type ScopeYearEntry } from './vietnam-calendar';

/** The calendar data a workflow computes with; loaded by an activity so edits can reach running dossiers. */
export interface CalendarData {
  timeZone: string;
  chain: string[];
  officeHours?: OfficeHours;
  entries: ScopeYearEntry[];
  /** Bumped by every edit of a year in the chain (for the ledger). */
  loadedAt: string;
}

/**
 * What a dossier received at `receivedAt` needs of `data` to compute with, for its workflow's input: the stored
 * years it can reach (the year before its receipt's, for a receipt in the first hours of a year in the deployment's
 * zone, and every later one; a year not stored falls back to the statutory rules, as with the full data), and of
 * each only the days (no source or legal basis: the calendar does not compute with them).
 */
export function reachableCalendarData(data: CalendarData, receivedAt: string): CalendarData {
  const from = new Date(receivedAt).getUTCFullYear() - 1;
  return {
    timeZone: data.timeZone,
    chain: data.chain,
    ...(data.officeHours ? { officeHours: data.officeHours } : {}),
    entries: data.entries
      .filter((e) => e.year >= from)
      .map((e) => ({ scope: e.scope, year: e.year, holidays: e.holidays, makeupWorkdays: e.makeupWorkdays })),
    loadedAt: data.loadedAt,
  };
}
