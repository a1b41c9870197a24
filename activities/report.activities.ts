import { log } from '@temporalio/activity';
import { createScopedCalendar } from '../libs/calendar/src';
import { type OnTimeFormula } from '../libs/domain/src';
import { type CalendarStore } from '../libs/persistence/src/stores/calendar.store';
import { type ProcedureStore } from '../libs/persistence/src/stores/procedure.store';
import { type ReportStore } from '../libs/persistence/src/stores/report.store';
import { previousMonth, ProgressReporter, unitTrees } from '../libs/reports/src';
import { workingCalendarData } from './dossier.activities';

export interface ReportActivityDeps {
  reports: ReportStore;
  procedures: ProcedureStore;
  calendars: CalendarStore;
  timeZone: string;
  formula: OnTimeFormula;
}

export interface RollupRunSummary {
  units: number;
  facts: number;
  watermark: string;
}

export interface MonthClosingSummary {
  period: { from: string; to: string };
  closed: string[];
  alreadyClosed: string[];
}

export function createReportActivities({ reports, procedures, calendars, timeZone, formula }: ReportActivityDeps) {
  const reporter = new ProgressReporter(
    reports,
    procedures,
    async (unit) => {
      const data = await workingCalendarData(calendars, unit, timeZone);
      return createScopedCalendar({
        timeZone,
        officeHours: data.officeHours,
        entries: data.entries,
        chain: data.chain,
      });
    },
    formula,
  );
  return {
    /** Rebuilds the rollups of the units whose facts changed since the last run (serialised by an advisory lock). */
    async refreshReportRollups(): Promise<RollupRunSummary> {
      const run = await reports.refreshRollups(timeZone);
      log.info('report rollups refreshed', { units: run.units, facts: run.facts });
      return { units: run.units, facts: run.facts, watermark: run.watermark.toISOString() };
    },

    /**
     * Closes last month for every top unit of the organisation (the schedule runs early on the 1st): its figures are
     * frozen as they stand; a month a head already closed stays as they closed it.
     */
    async closePreviousMonth(): Promise<MonthClosingSummary> {
      const period = previousMonth(new Date(), timeZone);
      const summary: MonthClosingSummary = { period, closed: [], alreadyClosed: [] };
      for (const root of unitTrees(await reports.units())) {
        const closed = await reporter.close(root, period.from, period.to, 'schedule');
        (closed ? summary.closed : summary.alreadyClosed).push(root.code);
      }
      log.info('month closed', { ...period, closed: summary.closed.length });
      return summary;
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
