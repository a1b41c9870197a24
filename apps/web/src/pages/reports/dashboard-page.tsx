import { useQuery } from '@tanstack/react-query';
import { Button } from 'antd';
import { lazy, Suspense, useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fetchMe, keys } from '../../api/queries';
import { NotAllowedPage } from '../../components/not-allowed-page';
import { PageLoading } from '../../components/page-loading';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime, formatIsoDate, formatNumber } from '../../format';
import { t } from '../../i18n';
import { monthsEnding, periodParams, readPeriod } from './period';
import { figureLink } from './links';
import { PeriodPicker } from './period-picker';
import {
  fetchAtRisk,
  fetchAttribution,
  fetchIndex766,
  fetchMonthly,
  fetchOverdue,
  fetchProgress,
  type Figure,
  type OverdueReport,
  REPORT_ROLES,
  reportKeys,
} from './report-api';
import './reports.css';

// ECharts is heavy: only this chunk (loaded after the tiles) imports it.
const DashboardCharts = lazy(() => import('./dashboard-charts'));

/** "Bảng điều khiển": a head's subtree over a period, every figure a link to the dossiers behind it. */
export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const period = readPeriod(params);
  const unit = params.get('donVi') ?? undefined;
  const me = useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: 60_000 });
  const allowed = me.data?.roles.some((r) => REPORT_ROLES.includes(r)) ?? false;
  const q = { from: period.from, to: period.to, ...(unit ? { unit } : {}) };
  const progress = useQuery({
    queryKey: reportKeys.progress(q),
    queryFn: () => fetchProgress(q),
    enabled: allowed,
  });
  // the six months ending with the period's last, in one call
  const monthlyQuery = { from: monthsEnding(period.to, 6)[0].from, to: period.to, ...(unit ? { unit } : {}) };
  const monthly = useQuery({
    queryKey: reportKeys.monthly(monthlyQuery),
    queryFn: () => fetchMonthly(monthlyQuery),
    enabled: allowed,
  });
  const index766 = useQuery({ queryKey: reportKeys.index766(q), queryFn: () => fetchIndex766(q), enabled: allowed });
  const age = params.get('tuoi');
  const ageBucket = age !== null && /^\d$/.test(age) ? Number(age) : null;
  const overdue = useQuery({ queryKey: reportKeys.overdue(unit), queryFn: () => fetchOverdue(unit), enabled: allowed });
  // the overdue list, narrowed to the age bucket chosen on the chart
  const overdueAged = useQuery({
    queryKey: reportKeys.overdue(unit, ageBucket ?? undefined),
    queryFn: () => fetchOverdue(unit, ageBucket ?? undefined),
    enabled: allowed && ageBucket !== null,
  });
  const atRisk = useQuery({ queryKey: reportKeys.atRisk(unit), queryFn: () => fetchAtRisk(unit), enabled: allowed });
  const attribution = useQuery({
    queryKey: reportKeys.attribution(q),
    queryFn: () => fetchAttribution(q),
    enabled: allowed,
  });
  const title = `${t.dashboard.title} — ${t.app.name}`;
  useEffect(() => {
    if (ageBucket !== null) {
      document.getElementById('overdue-list')?.scrollIntoView();
    }
  }, [ageBucket]);
  const clearAgeBucket = () =>
    setParams(
      (p) => {
        p.delete('tuoi');
        return p;
      },
      { replace: true },
    );

  if (me.isPending) {
    return <PageLoading />;
  }
  if (!allowed) {
    return <NotAllowedPage title={t.dashboard.title} reason={t.dashboard.notAllowed} />;
  }
  const report = progress.data;
  const c = report?.total.counts;
  const link = (figure: Figure) => figureLink(figure, period, unit);
  /** A tile's line for one figure: its name, its count and the dossiers behind it. */
  const part = (figure: TilePart, tone?: 'late'): [string, number, string, 'late'?] => [
    t.dashboard[figure],
    c?.[figure] ?? 0,
    link(figure),
    tone,
  ];

  return (
    <div className="page">
      <title>{title}</title>
      <h1 className="page-title">{t.dashboard.title}</h1>
      <p className="page-intro">
        {report ? `${report.unit.name} (${report.unit.code}) — ` : ''}
        {t.dashboard.periodLabel(formatIsoDate(period.from), formatIsoDate(period.to))}
      </p>
      <PeriodPicker
        key={`${period.preset}-${period.from}-${period.to}`}
        period={period}
        onChange={(p) => setParams(periodParams(p, unit))}
      />
      {progress.error && <ProblemAlert error={progress.error} />}
      {!c ? (
        progress.isPending && <PageLoading />
      ) : (
        <section aria-label={t.dashboard.tiles} className="tiles">
          <Tile
            label={t.dashboard.received}
            value={c.total}
            to={link('total')}
            parts={[part('carriedOver'), part('newOnline'), part('newInPerson'), part('newPostal')]}
          />
          <Tile
            label={t.dashboard.resolved}
            value={c.resolved}
            to={link('resolved')}
            parts={[part('early'), part('onTime'), part('late', 'late')]}
          />
          <div className="tile tile-rate" data-figure="onTimeRate">
            <h2 className="tile-label">{t.dashboard.onTimeRate}</h2>
            <p className="tile-value">
              {report.total.onTimeRate === null ? t.dashboard.noRate : `${formatNumber(report.total.onTimeRate)} %`}
            </p>
            <p className="tile-note">{t.dashboard.formula(report.formula.label)}</p>
          </div>
          <Tile
            label={t.dashboard.inProgress}
            value={c.inProgress}
            to={link('inProgress')}
            parts={[part('withinDeadline'), part('overdue', 'late')]}
          />
          <Tile
            label={t.dashboard.paused}
            value={c.paused}
            to={link('paused')}
            parts={[part('pausedSupplement'), part('pausedPayment')]}
          />
          <Tile label={t.dashboard.withdrawn} value={c.withdrawn} to={link('withdrawn')} parts={[]} />
          <Tile label={t.dashboard.refused} value={c.refused} to={link('refused')} parts={[]} />
        </section>
      )}
      <section aria-label={t.dashboard.charts}>
        {report && monthly.data && (
          <Suspense fallback={<PageLoading />}>
            <DashboardCharts
              period={period}
              unit={unit}
              monthly={monthly.data}
              report={report}
              overdue={overdue.data}
              attribution={attribution.data}
              index766={index766.data}
            />
          </Suspense>
        )}
        {monthly.error && <ProblemAlert error={monthly.error} />}
      </section>
      <WorkList
        kind="overdue"
        data={ageBucket === null ? overdue.data : overdueAged.data}
        error={overdue.error ?? overdueAged.error}
        bucket={ageBucket === null ? undefined : overdue.data?.buckets[ageBucket]}
        onClearBucket={clearAgeBucket}
      />
      <WorkList kind="atRisk" data={atRisk.data} error={atRisk.error} />
    </div>
  );
}

/** The figures shown as a tile's lines, named in the catalog under the same key. */
type TilePart = Exclude<Figure, 'total' | 'new'> & keyof typeof t.dashboard;

function Tile({
  label,
  value,
  to,
  parts,
}: {
  label: string;
  value: number;
  to: string;
  parts: [string, number, string, string?][];
}) {
  return (
    <div className="tile">
      <h2 className="tile-label">{label}</h2>
      <p className="tile-value">
        <Link to={to} aria-label={t.dashboard.open(label, formatNumber(value))} data-testid={`tile-${label}`}>
          {formatNumber(value)}
        </Link>
      </p>
      {parts.length > 0 && (
        <ul className="tile-parts">
          {parts.map(([name, n, href, tone]) => (
            <li key={name} className={tone === 'late' ? 'tile-part-late' : undefined}>
              <span>{name}</span>{' '}
              <Link to={href} aria-label={t.dashboard.open(`${label} — ${name}`, formatNumber(n))}>
                {formatNumber(n)}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type WorkItem = {
  code: string;
  procedure: { name: string };
  dueAt: string;
  step: { name: string } | null;
  holder: { name: string | null } | null;
  overdueWorkingDays?: number;
  shortfallWorkingDays?: number;
};

type AgeBucket = OverdueReport['buckets'][number];

function WorkList({
  kind,
  data,
  error,
  bucket,
  onClearBucket,
}: {
  kind: 'overdue' | 'atRisk';
  data: { total: number; items: WorkItem[] } | undefined;
  error: Error | null;
  bucket?: AgeBucket;
  onClearBucket?: () => void;
}) {
  const heading = kind === 'overdue' ? t.dashboard.overdueList : t.dashboard.atRiskList;
  const items = data?.items.slice(0, 20) ?? [];
  return (
    <section aria-label={heading} className="work-list" id={kind === 'overdue' ? 'overdue-list' : undefined}>
      <h2>{heading}</h2>
      {error && <ProblemAlert error={error} />}
      {bucket && (
        <p className="work-list-filter" data-testid="age-filter">
          {t.dashboard.ageFilter(bucket.label)}{' '}
          <Button size="small" onClick={onClearBucket}>
            {t.dashboard.clearAgeFilter}
          </Button>
        </p>
      )}
      {data && (
        <>
          <p data-testid={`${kind}-count`}>
            {t.dashboard.listTotal(formatNumber(items.length), formatNumber(data.total))}
          </p>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">{heading}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.dashboard.colCode}</th>
                  <th scope="col">{t.dashboard.colProcedure}</th>
                  <th scope="col">{t.dashboard.colStep}</th>
                  <th scope="col">{t.dashboard.colHolder}</th>
                  <th scope="col">{t.dashboard.colDue}</th>
                  <th scope="col">{kind === 'overdue' ? t.dashboard.colOverdueDays : t.dashboard.colShortfall}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.code}>
                    <th scope="row">
                      <Link to={`/ho-so/${encodeURIComponent(i.code)}`}>{i.code}</Link>
                    </th>
                    <td>{i.procedure.name}</td>
                    <td>{i.step?.name ?? t.app.dash}</td>
                    <td>{i.holder?.name ?? t.dashboard.unassigned}</td>
                    <td>{formatDateTime(i.dueAt)}</td>
                    <td>
                      {formatNumber((kind === 'overdue' ? i.overdueWorkingDays : i.shortfallWorkingDays) ?? 0, 1)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
