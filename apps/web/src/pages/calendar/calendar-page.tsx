import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Modal, Row, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { fetchMe, keys } from '../../api/queries';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert } from '../../components/problem-alert';
import { formatIsoDate, isoDateIn } from '../../format';
import { t } from '../../i18n';
import {
  calendarKeys,
  type CalendarDraft,
  type CalendarYear,
  fetchCalendarYear,
  fetchUnits,
  flattenUnits,
  saveCalendar,
} from './calendar-api';
import { dayStatuses, isDirty } from './calendar-days';
import { ChangesPanel, DryRunSummary, ImpactPanel, useDryRun } from './calendar-panels';
import { AddDayForm, LegalBasisField, OwnDaysTable } from './day-editor';
import { NamedDaysList, YearGrid, YearLegend } from './year-grid';
import './calendar-page.css';

const NATIONAL = 'VN';

/** "Lịch làm việc": an admin picks a scope and a year, edits its holidays and make-up days, sees the impact, saves. */
export default function CalendarPage() {
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 5 * 60_000 });
  const units = useQuery({ queryKey: calendarKeys.units, queryFn: fetchUnits, staleTime: 10 * 60_000 });
  const thisYear = Number(isoDateIn(new Date()).slice(0, 4));
  const [scope, setScope] = useState(NATIONAL);
  const [year, setYear] = useState(thisYear);
  const title = `${t.calendar.title} — ${t.app.name}`;

  if (me.isPending) {
    return <PageLoading />;
  }
  const isAdmin = me.data?.roles.includes('ADMIN') ?? false;
  const years = Array.from({ length: 5 }, (_, i) => thisYear - 1 + i);
  const scopeName =
    scope === NATIONAL
      ? t.calendar.national
      : (flattenUnits(units.data?.units ?? []).find((u) => u.unit.code === scope)?.unit.name ?? scope);

  return (
    <div className="page">
      <title>{title}</title>
      <h1 className="page-title">{t.calendar.title}</h1>
      <Typography.Paragraph>{t.calendar.intro}</Typography.Paragraph>
      {!isAdmin ? (
        <Alert type="warning" showIcon role="alert" title={t.calendar.adminOnly} />
      ) : (
        <>
          <form className="filters" aria-label={t.calendar.picker} onSubmit={(e) => e.preventDefault()}>
            <div className="field field-wide">
              <label htmlFor="cal-scope">{t.calendar.scope}</label>
              <select id="cal-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
                <option value={NATIONAL}>{t.calendar.national}</option>
                {flattenUnits(units.data?.units ?? []).map(({ unit, depth }) => (
                  <option key={unit.code} value={unit.code}>
                    {'\u00a0\u00a0'.repeat(depth)}
                    {t.calendar.unitOption(unit.name, unit.code)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="cal-year">{t.calendar.year}</label>
              <select id="cal-year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
                {years.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
          </form>
          {units.error && <ProblemAlert error={units.error} />}
          <ScopeYear key={`${scope}/${year}`} scope={scope} scopeName={scopeName} year={year} />
        </>
      )}
    </div>
  );
}

const ownOf = (view: CalendarYear): CalendarDraft => ({
  holidays: view.own?.holidays ?? [],
  makeupWorkdays: view.own?.makeupWorkdays ?? [],
  legalBasis: view.own?.legalBasis,
});

interface Saved {
  since: string;
  expected: number;
  version: number;
}

/** One scope's year: loaded, then edited as a draft until saved; after a save, the re-projections it caused. */
function ScopeYear({ scope, scopeName, year }: { scope: string; scopeName: string; year: number }) {
  const view = useQuery({ queryKey: calendarKeys.year(scope, year), queryFn: () => fetchCalendarYear(scope, year) });
  const [saved, setSaved] = useState<Saved | null>(null);
  const scopeLabel = scope === NATIONAL ? scopeName : `${scopeName} (${scope})`;
  if (view.isPending) {
    return <PageLoading />;
  }
  if (view.error) {
    return <ProblemAlert error={view.error} />;
  }
  return (
    <>
      {saved && (
        <>
          <div role="status" className="notice-success">
            {t.calendar.saved(year, scopeLabel, saved.version)}
          </div>
          <ChangesPanel scope={scope} year={year} since={saved.since} expected={saved.expected} />
        </>
      )}
      {/* A fresh draft from each saved version. */}
      <YearEditor key={view.data.own?.version ?? 0} view={view.data} scopeLabel={scopeLabel} onSaved={setSaved} />
    </>
  );
}

function YearEditor({
  view,
  scopeLabel,
  onSaved,
}: {
  view: CalendarYear;
  scopeLabel: string;
  onSaved: (saved: Saved) => void;
}) {
  const { scope, year } = view;
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<CalendarDraft>(() => ownOf(view));
  const [picked, setPicked] = useState<string | null>(null);
  const [dateText, setDateText] = useState('');
  // A day picked on the year view goes into the date field; the name is what is left to type.
  const pick = (date: string) => {
    setPicked(date);
    setDateText(formatIsoDate(date));
    document.getElementById('cal-name')?.focus();
  };
  const [confirming, setConfirming] = useState(false);
  const dirty = isDirty(view, draft);
  const statuses = useMemo(() => dayStatuses(view, draft), [view, draft]);
  const dryRun = useDryRun(scope, year, draft, dirty);

  const save = useMutation({
    mutationFn: () => saveCalendar(scope, year, draft),
    onSuccess: (answer) => {
      setConfirming(false);
      const own = answer.own;
      // Re-projections are listed from just before the save's own time (the database's clock).
      onSaved({
        since: new Date(Date.parse(own?.updatedAt ?? new Date().toISOString()) - 1_000).toISOString(),
        expected: dryRun.data?.affectedDossiers ?? 0,
        version: own?.version ?? 0,
      });
      queryClient.setQueryData(calendarKeys.year(scope, year), answer);
    },
  });

  const remove = (list: 'holidays' | 'makeupWorkdays') => (date: string) =>
    setDraft({ ...draft, [list]: draft[list].filter((d) => d.date !== date) });

  return (
    <>
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card className="cal-panel-card">
            <section aria-labelledby="cal-year-title">
              <Typography.Title level={2} id="cal-year-title" className="cal-panel-title">
                {t.calendar.yearView(year, scopeLabel)}
              </Typography.Title>
              <YearLegend />
              <YearGrid year={year} statuses={statuses} selected={picked} onPick={pick} />
              <Typography.Title level={3} className="cal-named-title">
                {t.calendar.namedDays}
              </Typography.Title>
              <NamedDaysList statuses={statuses} />
              <Typography.Paragraph type="secondary" className="cal-note">
                {t.calendar.inheritedNote}
              </Typography.Paragraph>
            </section>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card className="cal-panel-card">
            <section aria-labelledby="cal-editor-title">
              <Typography.Title level={2} id="cal-editor-title" className="cal-panel-title">
                {t.calendar.editor}
              </Typography.Title>
              <AddDayForm year={year} draft={draft} date={dateText} setDate={setDateText} onChange={setDraft} />
              <OwnDaysTable
                title={t.calendar.ownHolidays}
                kindLabel={t.calendar.kinds.holiday}
                days={draft.holidays}
                onRemove={remove('holidays')}
              />
              <OwnDaysTable
                title={t.calendar.ownMakeup}
                kindLabel={t.calendar.kinds.makeup}
                days={draft.makeupWorkdays}
                onRemove={remove('makeupWorkdays')}
              />
              <LegalBasisField
                value={draft.legalBasis ?? ''}
                onChange={(v) => setDraft({ ...draft, legalBasis: v.trim() ? v : undefined })}
              />
            </section>
            <ImpactPanel dirty={dirty} dryRun={dryRun} />
            {save.error && <ProblemAlert error={save.error} />}
            <div className="cal-actions">
              <Button type="primary" disabled={!dirty || !dryRun.data} onClick={() => setConfirming(true)}>
                {t.calendar.save}
              </Button>
              <Button disabled={!dirty} onClick={() => setDraft(ownOf(view))}>
                {t.calendar.discard}
              </Button>
            </div>
          </Card>
        </Col>
      </Row>
      <Modal
        open={confirming}
        title={t.calendar.confirmTitle}
        okText={t.calendar.confirmOk}
        cancelText={t.calendar.confirmCancel}
        confirmLoading={save.isPending}
        onOk={() => save.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t.calendar.confirmText(year, scopeLabel)}</p>
        {dryRun.data && <DryRunSummary dryRun={dryRun.data} />}
      </Modal>
    </>
  );
}
