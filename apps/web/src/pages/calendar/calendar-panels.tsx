import { useQuery } from '@tanstack/react-query';
import { Card, Spin, Typography } from 'antd';
import { Link } from 'react-router';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatIsoDate, formatNumber } from '../../format';
import { t } from '../../i18n';
import {
  type CalendarChange,
  type CalendarDay,
  calendarKeys,
  type CalendarDraft,
  type CalendarDryRun,
  dryRunCalendar,
  fetchCalendarChanges,
} from './calendar-api';

const dayList = (days: readonly CalendarDay[]): string =>
  days.map((d) => `${formatIsoDate(d.date)} (${d.name})`).join('; ');

/** The dry run of the draft: how many running dossiers a save would re-project, and which days it changes. */
export function useDryRun(scope: string, year: number, draft: CalendarDraft, enabled: boolean) {
  return useQuery({
    queryKey: calendarKeys.dryRun(scope, year, draft),
    queryFn: () => dryRunCalendar(scope, year, draft),
    enabled,
    staleTime: 5_000,
    retry: false,
  });
}

/** "N hồ sơ đang xử lý sẽ được tính lại hạn" and the days added and removed, before anything is saved. */
export function DryRunSummary({ dryRun }: { dryRun: CalendarDryRun }) {
  const rows: [string, CalendarDay[]][] = [
    [t.calendar.holidaysAdded, dryRun.holidaysAdded],
    [t.calendar.holidaysRemoved, dryRun.holidaysRemoved],
    [t.calendar.makeupAdded, dryRun.makeupWorkdaysAdded],
    [t.calendar.makeupRemoved, dryRun.makeupWorkdaysRemoved],
  ];
  return (
    <>
      <p className="cal-affected" data-testid="dry-run-count">
        {t.calendar.affected(formatNumber(dryRun.affectedDossiers, 0))}
      </p>
      <ul className="cal-diff">
        {rows
          .filter(([, days]) => days.length > 0)
          .map(([label, days]) => (
            <li key={label}>
              {label}: {dayList(days)}
            </li>
          ))}
      </ul>
    </>
  );
}

/** The impact region: nothing to save, the dry run running, its answer, or why it was refused. */
export function ImpactPanel({ dirty, dryRun }: { dirty: boolean; dryRun: ReturnType<typeof useDryRun> }) {
  return (
    <section aria-labelledby="cal-impact-title" className="cal-panel">
      <Typography.Title level={2} id="cal-impact-title" className="cal-panel-title">
        {t.calendar.impact}
      </Typography.Title>
      <div role="status" aria-live="polite">
        {!dirty ? (
          <Typography.Paragraph type="secondary">{t.calendar.noChanges}</Typography.Paragraph>
        ) : dryRun.isFetching && !dryRun.data ? (
          <p>
            <Spin size="small" /> {t.calendar.checking}
          </p>
        ) : dryRun.data ? (
          <>
            <DryRunSummary dryRun={dryRun.data} />
            <Typography.Paragraph type="secondary">{t.calendar.affectedNote}</Typography.Paragraph>
          </>
        ) : null}
      </div>
      {dirty && dryRun.error && <ProblemAlert error={dryRun.error} />}
    </section>
  );
}

function changeLine(c: CalendarChange): string {
  const dates = c.changedDates.map(formatIsoDate).join(', ');
  return c.dueAt !== c.previousDueAt && c.previousDueAt && c.dueAt
    ? t.calendar.changeLine(
        c.dossierCode,
        c.scope,
        c.year,
        dates,
        formatDateTime(c.previousDueAt),
        formatDateTime(c.dueAt),
      )
    : t.calendar.changeLineSameDue(c.dossierCode, c.scope, c.year, dates);
}

/** After a save: the dossiers' ledger entries naming the change, polled until the expected count has arrived. */
export function ChangesPanel({
  scope,
  year,
  since,
  expected,
}: {
  scope: string;
  year: number;
  since: string;
  expected: number;
}) {
  const changes = useQuery({
    queryKey: calendarKeys.changes(scope, year, since),
    queryFn: () => fetchCalendarChanges(scope, year, since),
    // Workflows re-project a moment after the save; stop asking after a minute (some may have nothing to move).
    refetchInterval: (query) =>
      (query.state.data?.items.length ?? 0) < expected && Date.now() - Date.parse(since) < 60_000 ? 1_000 : false,
  });
  const items = changes.data?.items ?? [];
  const waiting = items.length < expected && changes.dataUpdatedAt - Date.parse(since) < 60_000;
  return (
    <Card className="cal-panel-card">
      <section aria-labelledby="cal-changes-title">
        <Typography.Title level={2} id="cal-changes-title" className="cal-panel-title">
          {t.calendar.changes}
        </Typography.Title>
        {changes.error && <ProblemAlert error={changes.error} />}
        <p role="status" aria-live="polite">
          {waiting
            ? t.calendar.changesWaiting(formatNumber(items.length, 0), formatNumber(expected, 0))
            : items.length > 0
              ? t.calendar.changesDone(formatNumber(items.length, 0))
              : t.calendar.changesNone}
        </p>
        {items.length > 0 && (
          <ul className="cal-changes" aria-label={t.calendar.changes}>
            {items.map((c) => (
              <li key={`${c.dossierCode}-${c.at}`}>
                <div>
                  <Link to={`/ho-so/${encodeURIComponent(c.dossierCode)}`}>{c.dossierCode}</Link>
                  <span className="muted"> · {formatDateTime(c.at)}</span>
                </div>
                <div>{changeLine(c)}</div>
                {c.legalBasis && <div className="muted">{c.legalBasis}</div>}
                {c.explanation && (
                  <details className="muted">
                    <summary>{t.calendar.changeDetail}</summary>
                    {c.explanation}
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Card>
  );
}
