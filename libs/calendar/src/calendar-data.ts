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
