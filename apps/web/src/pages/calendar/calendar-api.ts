import { api, unwrap } from '../../api/client';
import { type components } from '../../api/schema';

export type CalendarYear = components['schemas']['CalendarYearView'];
export type CalendarDryRun = components['schemas']['CalendarDryRunView'];
export type CalendarChanges = components['schemas']['CalendarChangesView'];
export type CalendarChange = CalendarChanges['items'][number];
export type CalendarDay = components['schemas']['CalendarDayDto'];
export type UnitNode = components['schemas']['UnitNodeView'];

/** What an admin edits: the scope's own holidays and make-up working days of a year. */
export interface CalendarDraft {
  holidays: CalendarDay[];
  makeupWorkdays: CalendarDay[];
  legalBasis?: string;
}

/** The calendar screen's query keys (one prefix, so a save refreshes all of them). */
export const calendarKeys = {
  all: ['calendar-admin'] as const,
  units: ['calendar-admin', 'units'] as const,
  year: (scope: string, year: number) => ['calendar-admin', 'year', scope, year] as const,
  dryRun: (scope: string, year: number, draft: CalendarDraft) =>
    ['calendar-admin', 'dry-run', scope, year, draft] as const,
  changes: (scope: string, year: number, since: string) => ['calendar-admin', 'changes', scope, year, since] as const,
};

export const fetchUnits = () => unwrap(api.GET('/api/v1/units'));

export const fetchCalendarYear = (scope: string, year: number) =>
  unwrap(api.GET('/api/v1/calendars/{scope}/{year}', { params: { path: { scope, year } } }));

const isDryRun = (answer: CalendarYear | CalendarDryRun): answer is CalendarDryRun => 'dryRun' in answer;

/** What saving the draft would do (the same PUT with `?dryRun=true`): nothing is saved. */
export async function dryRunCalendar(scope: string, year: number, draft: CalendarDraft): Promise<CalendarDryRun> {
  const answer = await unwrap(
    api.PUT('/api/v1/calendars/{scope}/{year}', {
      params: { path: { scope, year }, query: { dryRun: true } },
      body: draft,
    }),
  );
  if (!isDryRun(answer)) {
    throw new Error('the server saved instead of answering a dry run');
  }
  return answer;
}

export async function saveCalendar(scope: string, year: number, draft: CalendarDraft): Promise<CalendarYear> {
  const answer = await unwrap(
    api.PUT('/api/v1/calendars/{scope}/{year}', { params: { path: { scope, year } }, body: draft }),
  );
  if (isDryRun(answer)) {
    throw new Error('the server answered a dry run instead of saving');
  }
  return answer;
}

/** The dossiers whose deadlines edits of the year re-projected since `since` (their ledger entries). */
export const fetchCalendarChanges = (scope: string, year: number, since: string) =>
  unwrap(
    api.GET('/api/v1/calendars/{scope}/{year}/changes', {
      params: { path: { scope, year }, query: { since, limit: 200 } },
    }),
  );

/** The units of the tree, depth first, with their depth (for an indented list). */
export function flattenUnits(nodes: readonly UnitNode[], depth = 0): { unit: UnitNode; depth: number }[] {
  return nodes.flatMap((unit) => [{ unit, depth }, ...flattenUnits(unit.children, depth + 1)]);
}
