import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { fetchMe, keys } from '../../api/queries';
import { NotAllowedPage } from '../../components/not-allowed-page';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatIsoDate, formatNumber } from '../../format';
import { t } from '../../i18n';
import { periodParams, readPeriod } from './period';
import { PeriodPicker } from './period-picker';
import {
  CLOSING_ROLES,
  closePeriod,
  downloadProgress,
  fetchProgress,
  type Formula,
  type GroupBy,
  type ProgressCounts,
  REPORT_ROLES,
  reportKeys,
} from './report-api';
import './reports.css';

const GROUPS: GroupBy[] = ['unit', 'procedure', 'field', 'officer', 'step'];
const FORMULAS: Formula[] = ['RESOLVED', 'TOTAL', 'INDEX_766'];
const COLUMNS: [keyof ProgressCounts, string][] = [
  ['total', t.report.colTotal],
  ['carriedOver', t.report.colCarried],
  ['newOnline', t.report.colOnline],
  ['newInPerson', t.report.colInPerson],
  ['newPostal', t.report.colPostal],
  ['resolved', t.report.colResolved],
  ['early', t.report.colEarly],
  ['onTime', t.report.colOnTime],
  ['late', t.report.colLate],
  ['lateWithApology', t.report.colLateWithApology],
  ['withinDeadline', t.report.colWithin],
  ['overdue', t.report.colOverdue],
  ['paused', t.report.colPaused],
  ['withdrawn', t.report.colWithdrawn],
  ['refused', t.report.colRefused],
];

/** "Báo cáo tiến độ": the national progress table, its exports, and closing a period. */
export default function ReportPage() {
  const [params, setParams] = useSearchParams();
  const period = readPeriod(params);
  const unit = params.get('donVi') ?? undefined;
  const groupBy = GROUPS.find((g) => g === params.get('theo')) ?? 'unit';
  const formula = FORMULAS.find((f) => f === params.get('congThuc'));
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 60_000 });
  const allowed = me.data?.roles.some((r) => REPORT_ROLES.includes(r)) ?? false;
  const mayClose = me.data?.roles.some((r) => CLOSING_ROLES.includes(r)) ?? false;
  const q = { from: period.from, to: period.to, groupBy, ...(formula ? { formula } : {}), ...(unit ? { unit } : {}) };
  const report = useQuery({ queryKey: reportKeys.progress(q), queryFn: () => fetchProgress(q), enabled: allowed });
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const close = useMutation({
    mutationFn: () => closePeriod({ from: period.from, to: period.to, ...(unit ? { unit } : {}) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['reports'] }),
    onSuccess: () => setConfirming(false),
  });
  const download = useMutation({ mutationFn: (format: 'csv' | 'xlsx') => downloadProgress(q, format) });
  const title = `${t.report.title} — ${t.app.name}`;
  const write = (next: Record<string, string | undefined>) => {
    const all: Record<string, string> = { ...periodParams(period, unit) };
    if (groupBy !== 'unit') {
      all.theo = groupBy;
    }
    if (formula) {
      all.congThuc = formula;
    }
    for (const [k, v] of Object.entries(next)) {
      if (v) {
        all[k] = v;
      } else {
        delete all[k];
      }
    }
    setParams(all);
  };

  if (me.isPending) {
    return <PageLoading />;
  }
  if (!allowed) {
    return <NotAllowedPage title={t.report.title} reason={t.dashboard.notAllowed} />;
  }
  const data = report.data;
  const periodText = `${formatIsoDate(period.from)}–${formatIsoDate(period.to)}`;
  return (
    <div className="page">
      <title>{title}</title>
      <h1 className="page-title">{t.report.title}</h1>
      <p className="page-intro">{t.report.intro}</p>
      <PeriodPicker
        key={`${period.preset}-${period.from}-${period.to}`}
        period={period}
        onChange={(p) =>
          setParams({
            ...periodParams(p, unit),
            ...(groupBy !== 'unit' ? { theo: groupBy } : {}),
            ...(formula ? { congThuc: formula } : {}),
          })
        }
      />
      <form className="filters" aria-label={t.report.groupBy} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="report-group">{t.report.groupBy}</label>
          <select
            id="report-group"
            value={groupBy}
            onChange={(e) => write({ theo: e.target.value === 'unit' ? undefined : e.target.value })}
          >
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {t.report.groups[g]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-wide">
          <label htmlFor="report-formula">{t.report.formula}</label>
          <select
            id="report-formula"
            value={formula ?? data?.formula.code ?? 'RESOLVED'}
            onChange={(e) => write({ congThuc: e.target.value })}
          >
            {FORMULAS.map((f) => (
              <option key={f} value={f}>
                {t.report.formulas[f]}
              </option>
            ))}
          </select>
        </div>
      </form>
      <div className="report-actions">
        <Button onClick={() => download.mutate('csv')} loading={download.isPending && download.variables === 'csv'}>
          {t.report.exportCsv}
        </Button>
        <Button onClick={() => download.mutate('xlsx')} loading={download.isPending && download.variables === 'xlsx'}>
          {t.report.exportXlsx}
        </Button>
        {mayClose && !data?.closed && (
          <Button danger onClick={() => setConfirming(true)}>
            {t.report.close}
          </Button>
        )}
      </div>
      <div role="status" aria-live="polite">
        {close.isSuccess && (
          <p className="notice-success">{t.report.closed(formatIsoDate(period.from), formatIsoDate(period.to))}</p>
        )}
      </div>
      {download.error && <ProblemAlert error={download.error} />}
      {report.error && <ProblemAlert error={report.error} />}
      {report.isPending && <PageLoading />}
      {data && (
        <>
          {data.closed && (
            <div data-testid="report-published">
              <Alert
                type="info"
                showIcon
                title={t.report.published(formatDateTime(data.closed.closedAt), data.closed.closedBy)}
              />
            </div>
          )}
          <p>
            {t.dashboard.formula(data.formula.label)} · {t.report.asOf(formatDateTime(data.asOf))}
          </p>
          <div className="table-scroll" tabIndex={0} role="group" aria-label={t.report.title}>
            <table className="data-table report-table">
              <caption>
                {t.report.tableCaption(t.report.groups[groupBy].toLowerCase(), data.unit.name, periodText)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t.report.colName}</th>
                  {COLUMNS.map(([k, label]) => (
                    <th scope="col" key={k}>
                      {label}
                    </th>
                  ))}
                  <th scope="col">{t.report.colRate}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.name}</th>
                    {COLUMNS.map(([k]) => (
                      <td key={k}>{formatNumber(r.counts[k])}</td>
                    ))}
                    <td>{r.onTimeRate === null ? t.app.dash : formatNumber(r.onTimeRate)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{data.total.name}</th>
                  {COLUMNS.map(([k]) => (
                    <td key={k}>{formatNumber(data.total.counts[k])}</td>
                  ))}
                  <td>{data.total.onTimeRate === null ? t.app.dash : formatNumber(data.total.onTimeRate)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          {data.adjustments && (
            <section aria-label={t.report.adjustmentsCaption}>
              <h2>{t.report.adjustmentsCaption}</h2>
              <p>
                {t.report.adjustments(
                  formatIsoDate(data.adjustments.period.from),
                  formatIsoDate(data.adjustments.period.to),
                )}
              </p>
              <table className="data-table">
                <caption className="visually-hidden">{t.report.adjustmentsCaption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.report.colName}</th>
                    <th scope="col">{t.report.colChange}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.adjustments.rows.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">{r.name}</th>
                      <td>
                        {COLUMNS.filter(([k]) => r.changes[k] !== undefined)
                          .map(
                            ([k, label]) =>
                              `${label} ${(r.changes[k] ?? 0) > 0 ? '+' : ''}${formatNumber(r.changes[k] ?? 0)}`,
                          )
                          .join('; ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
      <Modal
        open={confirming}
        title={t.report.closeTitle}
        okText={t.report.closeOk}
        cancelText={t.report.closeCancel}
        okButtonProps={{ danger: true, loading: close.isPending }}
        onOk={() => close.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t.report.closeText(data?.unit.name ?? unit ?? '', formatIsoDate(period.from), formatIsoDate(period.to))}</p>
        {close.error && <ProblemAlert error={close.error} />}
      </Modal>
    </div>
  );
}
