import { t } from '../../i18n';
import { type CalendarDay, type CalendarDraft, type CalendarYear } from './calendar-api';

export type DayKind = 'working' | 'weekend' | 'holiday' | 'makeup';

/** How one date of the year is shown: its kind, its name, where it comes from and whether it is an unsaved edit. */
export interface DayStatus {
  date: string;
  kind: DayKind;
  name?: string;
  inherited: boolean;
  /** Added by the draft, or (with the kind it had) removed by it. */
  pending: 'added' | 'removed' | null;
  removedKind?: DayKind;
}

const DAY_MS = 86_400_000;

/** `yyyy-MM-dd` of a UTC midnight (dates here are local dates: no zone involved). */
const isoOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Monday 0 … Sunday 6. */
export const weekdayIndex = (isoDate: string): number => (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;

/** The dates of a month as `yyyy-MM-dd`. */
export function monthDates(year: number, month: number): string[] {
  const first = Date.UTC(year, month - 1, 1);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return Array.from({ length: days }, (_, i) => isoOf(first + i * DAY_MS));
}

const byDate = (days: readonly CalendarDay[]): Map<string, CalendarDay> => new Map(days.map((d) => [d.date, d]));

/**
 * Each date's status as the screen draws it: the draft's own days first, then the days the scope inherits (in the
 * effective year but not the scope's own saved entry), then weekends. Display only: the server decides deadlines.
 */
export function dayStatuses(view: CalendarYear, draft: CalendarDraft): Map<string, DayStatus> {
  const saved = { holidays: byDate(view.own?.holidays ?? []), makeup: byDate(view.own?.makeupWorkdays ?? []) };
  const own = { holidays: byDate(draft.holidays), makeup: byDate(draft.makeupWorkdays) };
  const inherited = {
    holidays: byDate(view.effective.holidays.filter((d) => !saved.holidays.has(d.date) && !saved.makeup.has(d.date))),
    makeup: byDate(
      view.effective.makeupWorkdays.filter((d) => !saved.makeup.has(d.date) && !saved.holidays.has(d.date)),
    ),
  };
  const statuses = new Map<string, DayStatus>();
  for (let month = 1; month <= 12; month++) {
    for (const date of monthDates(view.year, month)) {
      const weekend = weekdayIndex(date) >= 5;
      const base: DayKind = weekend ? 'weekend' : 'working';
      const ownMakeup = own.makeup.get(date);
      const ownHoliday = own.holidays.get(date);
      const inheritedMakeup = inherited.makeup.get(date);
      const inheritedHoliday = inherited.holidays.get(date);
      let status: DayStatus;
      if (ownMakeup) {
        status = { date, kind: 'makeup', name: ownMakeup.name, inherited: false, pending: null };
        status.pending = saved.makeup.has(date) ? null : 'added';
      } else if (ownHoliday) {
        status = { date, kind: 'holiday', name: ownHoliday.name, inherited: false, pending: null };
        status.pending = saved.holidays.has(date) ? null : 'added';
      } else if (inheritedMakeup) {
        status = { date, kind: 'makeup', name: inheritedMakeup.name, inherited: true, pending: null };
      } else if (inheritedHoliday) {
        status = { date, kind: 'holiday', name: inheritedHoliday.name, inherited: true, pending: null };
      } else {
        status = { date, kind: base, inherited: false, pending: null };
      }
      if (status.pending === null && !status.inherited && (saved.holidays.has(date) || saved.makeup.has(date))) {
        const was: DayKind = saved.makeup.has(date) ? 'makeup' : 'holiday';
        if (status.kind !== was) {
          status = { ...status, pending: 'removed', removedKind: was };
        }
      }
      statuses.set(date, status);
    }
  }
  return statuses;
}

/** The day's accessible name: weekday, date, kind, name, origin and pending edit. */
export function dayLabel(s: DayStatus): string {
  const parts = [t.calendar.kinds[s.kind]];
  if (s.name) {
    parts[0] = `${parts[0]} — ${s.name}`;
  }
  if (s.inherited) {
    parts.push(t.calendar.inherited);
  }
  if (s.pending === 'added') {
    parts.push(t.calendar.pendingAdded);
  }
  if (s.pending === 'removed' && s.removedKind) {
    parts.push(t.calendar.pendingRemoved(t.calendar.kinds[s.removedKind]));
  }
  const [year, month, day] = s.date.split('-').map(Number);
  return t.calendar.dayLabel(day, month, year, t.calendar.weekdays[weekdayIndex(s.date)], parts.join(', '));
}

/** The draft differs from what is saved. */
export function isDirty(view: CalendarYear, draft: CalendarDraft): boolean {
  const key = (d: { holidays: readonly CalendarDay[]; makeupWorkdays: readonly CalendarDay[]; legalBasis?: string }) =>
    JSON.stringify([
      [...d.holidays].sort((a, b) => a.date.localeCompare(b.date)),
      [...d.makeupWorkdays].sort((a, b) => a.date.localeCompare(b.date)),
      d.legalBasis ?? '',
    ]);
  return (
    key(draft) !==
    key({
      holidays: view.own?.holidays ?? [],
      makeupWorkdays: view.own?.makeupWorkdays ?? [],
      legalBasis: view.own?.legalBasis,
    })
  );
}
