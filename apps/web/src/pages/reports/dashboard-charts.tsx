import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { memo, useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import { formatNumber } from '../../format';
import { t } from '../../i18n';
import { dashboardLink, figureLink } from './links';
import { type Period } from './period';
import {
  type AttributionReport,
  type Figure,
  type Index766Report,
  type OverdueReport,
  type ProgressMonthly,
  type ProgressReport,
} from './report-api';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

const COLORS = { early: '#2e7d32', onTime: '#1677ff', late: '#c62828', overdue: '#ef6c00', rate: '#6a1b9a' };

/** A cell of a chart's table: its text, and where it drills down to when it is a figure. */
interface Cell {
  text: string;
  href?: string;
}

interface ChartTable {
  columns: string[];
  rows: { label: string; cells: Cell[] }[];
}

/**
 * One chart: drawn by ECharts (SVG), with its figures as a table underneath for keyboards and screen readers. A bar
 * that stands for a figure drills down: `pick` maps a clicked bar (series, index) to the address behind it.
 */
function Chart({
  id,
  title,
  option,
  table,
  pick,
}: {
  id: string;
  title: string;
  option: echarts.EChartsCoreOption;
  table: ChartTable;
  pick?: (seriesIndex: number, dataIndex: number) => string | undefined;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  // The chart is drawn again only when what it shows changes (its option as data), not on every render of the page.
  const drawn = JSON.stringify(option);
  const latest = useRef({ option, pick, navigate });
  useEffect(() => {
    latest.current = { option, pick, navigate };
  });
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return undefined;
    }
    const chart = echarts.init(el, undefined, { renderer: 'svg' });
    chart.on('finished', () => el.setAttribute('data-drawn', 'true'));
    chart.setOption({ animation: false, ...latest.current.option });
    if (latest.current.pick) {
      chart.on('click', (e) => {
        const to = latest.current.pick?.(e.seriesIndex ?? 0, e.dataIndex);
        if (to) {
          void latest.current.navigate(to);
        }
      });
      chart.getZr().setCursorStyle('pointer');
    }
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [drawn]);
  const empty = table.rows.length === 0;
  return (
    <figure className="chart" data-chart={id}>
      <figcaption>
        <h3>{title}</h3>
        {pick && !empty && <p className="chart-hint">{t.dashboard.chartHint}</p>}
      </figcaption>
      {empty ? (
        <p data-drawn="true">{t.dashboard.noData}</p>
      ) : (
        <div ref={ref} className="chart-canvas" role="img" aria-label={title} />
      )}
      <details>
        <summary>{t.dashboard.chartTable}</summary>
        <table className="data-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                {r.cells.map((c, i) => (
                  <td key={table.columns[i + 1] ?? i}>{c.href ? <Link to={c.href}>{c.text}</Link> : c.text}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

const rateText = (rate: number | null | undefined): string =>
  rate === null || rate === undefined ? t.app.dash : `${formatNumber(rate)} %`;

/** The Decision 766 indicators shown, in the order of the decision's groups. */
const INDICATORS = [
  'onTimeRate',
  'onlineSubmissionShare',
  'onlinePaymentShare',
  'electronicResultShare',
  'digitisedShare',
  'digitisedResultShare',
  'reusedDataShare',
  'syncedShare',
  'citizenRatingShare',
  'handlingSatisfaction',
  'petitionOnTimeShare',
] as const;

/** The dashboard's charts (ECharts, its own chunk); every bar that is a figure opens the dossiers behind it. */
export default memo(DashboardCharts);

function DashboardCharts({
  period,
  unit,
  monthly,
  report,
  overdue,
  attribution,
  index766,
}: {
  period: Period;
  unit: string | undefined;
  monthly: ProgressMonthly;
  report: ProgressReport;
  overdue: OverdueReport | undefined;
  attribution: AttributionReport | undefined;
  index766: Index766Report | undefined;
}) {
  const months = monthly.months;
  const labels = months.map((m) => `${m.period.from.slice(5, 7)}/${m.period.from.slice(0, 4)}`);
  const monthPeriod = (i: number): Period => ({ preset: 'custom', ...months[i].period });
  const resolvedFigures: Figure[] = ['early', 'onTime', 'late'];
  const monthlyOption: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: labels },
    yAxis: [
      { type: 'value', name: t.dashboard.count },
      { type: 'value', name: '%', min: 0, max: 100 },
    ],
    series: [
      ...resolvedFigures.map((f) => ({
        name: t.dashboard[f as 'early' | 'onTime' | 'late'],
        type: 'bar',
        stack: 'r',
        color: COLORS[f as 'early' | 'onTime' | 'late'],
        data: months.map((m) => m.counts[f as 'early' | 'onTime' | 'late']),
      })),
      {
        name: t.dashboard.monthlyRate,
        type: 'line',
        yAxisIndex: 1,
        color: COLORS.rate,
        data: months.map((m) => m.onTimeRate),
      },
    ],
  };

  // Sub-units: the report's rows other than the unit's own dossiers, each a whole subtree.
  const subUnits = report.rows.filter((r) => r.key !== report.unit.code);
  const byLate = [...subUnits]
    .filter((r) => r.counts.late + r.counts.overdue > 0)
    .sort((a, b) => b.counts.late + b.counts.overdue - (a.counts.late + a.counts.overdue))
    .slice(0, 10);
  const lateOption: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 200, right: 24, top: 40, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: byLate.map((r) => r.name) },
    series: [
      { name: t.dashboard.late, type: 'bar', stack: 'l', color: COLORS.late, data: byLate.map((r) => r.counts.late) },
      {
        name: t.dashboard.overdue,
        type: 'bar',
        stack: 'l',
        color: COLORS.overdue,
        data: byLate.map((r) => r.counts.overdue),
      },
    ],
  };
  // Worst rate first: the units a head should look at.
  const byRate = subUnits
    .filter((r) => r.onTimeRate !== null)
    .sort((a, b) => (a.onTimeRate ?? 0) - (b.onTimeRate ?? 0) || a.name.localeCompare(b.name))
    .slice(0, 10);
  const rateOption: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${formatNumber(v)} %` },
    grid: { left: 200, right: 40, top: 24, bottom: 24 },
    xAxis: { type: 'value', min: 0, max: 100, name: '%' },
    yAxis: { type: 'category', inverse: true, data: byRate.map((r) => r.name) },
    series: [
      { name: t.dashboard.onTimeRate, type: 'bar', color: COLORS.onTime, data: byRate.map((r) => r.onTimeRate) },
    ],
  };

  const buckets = overdue?.buckets ?? [];
  const ageOption: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 24, top: 24, bottom: 30 },
    xAxis: { type: 'category', data: buckets.map((b) => b.label) },
    yAxis: { type: 'value', name: t.dashboard.count },
    series: [{ name: t.dashboard.count, type: 'bar', color: COLORS.late, data: buckets.map((b) => b.count) }],
  };

  const attributed = (attribution?.rows ?? []).slice(0, 10);
  const attributionOption: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 260, right: 24, top: 24, bottom: 24 },
    xAxis: { type: 'value', name: t.dashboard.lateDays },
    yAxis: { type: 'category', inverse: true, data: attributed.map((r) => `${r.unitCode} · ${r.stepName}`) },
    series: [
      { name: t.dashboard.lateDays, type: 'bar', color: '#ad1457', data: attributed.map((r) => r.lateWorkingDays) },
    ],
  };

  const indicators = index766 ? INDICATORS.map((key) => ({ key, ...index766.indicators[key] })) : [];
  const measured = indicators.filter((i) => i.value !== null);
  const indicatorOption: echarts.EChartsCoreOption = {
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number; seriesIndex: number }) => {
        const i = measured[p.dataIndex];
        return p.seriesIndex === 1
          ? `${t.dashboard.indicators[i.key]}: ${t.dashboard.target} ${formatNumber(i.target ?? 0)} %`
          : `${t.dashboard.indicators[i.key]}: ${rateText(i.value)} = ${formatNumber(i.numerator ?? 0)} / ${formatNumber(i.denominator ?? 0)}`;
      },
    },
    legend: { top: 0 },
    grid: { left: 220, right: 40, top: 40, bottom: 24 },
    xAxis: { type: 'value', min: 0, max: 100, name: '%' },
    yAxis: { type: 'category', inverse: true, data: measured.map((i) => t.dashboard.indicators[i.key]) },
    series: [
      { name: t.dashboard.indicatorValue, type: 'bar', color: COLORS.onTime, data: measured.map((i) => i.value) },
      {
        name: t.dashboard.target,
        type: 'bar',
        color: '#bfbfbf',
        barGap: '-100%',
        z: 1,
        itemStyle: { opacity: 0.5 },
        data: measured.map((i) => i.target ?? null),
      },
    ],
  };

  return (
    <div className="charts">
      <Chart
        id="monthly"
        title={t.dashboard.monthly}
        option={monthlyOption}
        pick={(s, i) => (s < 3 ? figureLink(resolvedFigures[s], monthPeriod(i), unit) : undefined)}
        table={{
          columns: [t.dashboard.month, t.dashboard.early, t.dashboard.onTime, t.dashboard.late, t.dashboard.onTimeRate],
          rows: months.map((m, i) => ({
            label: labels[i],
            cells: [
              ...resolvedFigures.map((f) => ({
                text: formatNumber(m.counts[f as 'early' | 'onTime' | 'late']),
                href: figureLink(f, monthPeriod(i), unit),
              })),
              { text: rateText(m.onTimeRate) },
            ],
          })),
        }}
      />
      <Chart
        id="indicators"
        title={t.dashboard.index766}
        option={indicatorOption}
        table={{
          columns: [t.dashboard.indicator, t.dashboard.indicatorValue, t.dashboard.fraction, t.dashboard.target],
          rows: indicators.map((i) => ({
            label: t.dashboard.indicators[i.key],
            // Not recorded (a note says why), or measured: its numerator and denominator (0 / 0: nothing to divide).
            cells:
              i.value === null && i.denominator === undefined
                ? [{ text: t.dashboard.notRecorded }, { text: i.note ?? t.app.dash }, { text: rateText(i.target) }]
                : [
                    { text: rateText(i.value) },
                    { text: `${formatNumber(i.numerator ?? 0)} / ${formatNumber(i.denominator ?? 0)}` },
                    { text: rateText(i.target) },
                  ],
          })),
        }}
      />
      <Chart
        id="sub-units-late"
        title={t.dashboard.subUnits}
        option={lateOption}
        pick={(s, i) => figureLink(s === 0 ? 'late' : 'overdue', period, byLate[i].key)}
        table={{
          columns: [t.dashboard.unit, t.dashboard.late, t.dashboard.overdue],
          rows: byLate.map((r) => ({
            label: r.name,
            cells: [
              { text: formatNumber(r.counts.late), href: figureLink('late', period, r.key) },
              { text: formatNumber(r.counts.overdue), href: figureLink('overdue', period, r.key) },
            ],
          })),
        }}
      />
      <Chart
        id="sub-units-rate"
        title={t.dashboard.subUnitsByRate}
        option={rateOption}
        pick={(_, i) => dashboardLink(period, byRate[i].key)}
        table={{
          columns: [t.dashboard.unit, t.dashboard.onTimeRate, t.dashboard.resolved],
          rows: byRate.map((r) => ({
            label: r.name,
            cells: [
              { text: rateText(r.onTimeRate), href: dashboardLink(period, r.key) },
              { text: formatNumber(r.counts.resolved), href: figureLink('resolved', period, r.key) },
            ],
          })),
        }}
      />
      <Chart
        id="overdue-age"
        title={t.dashboard.overdueAge}
        option={ageOption}
        pick={(_, i) => dashboardLink(period, unit, i)}
        table={{
          columns: [t.dashboard.age, t.dashboard.count],
          rows: buckets.map((b, i) => ({
            label: b.label,
            cells: [{ text: formatNumber(b.count), href: dashboardLink(period, unit, i) }],
          })),
        }}
      />
      <Chart
        id="attribution"
        title={t.dashboard.attribution}
        option={attributionOption}
        table={{
          columns: [t.dashboard.unitStep, t.dashboard.lateDays, t.dashboard.attributionOfficers],
          rows: attributed.map((r) => ({
            label: `${r.unitCode} · ${r.stepName}`,
            cells: [
              { text: formatNumber(r.lateWorkingDays, 1) },
              {
                text: r.officers
                  .map((o) => `${o.name ?? t.dashboard.unassigned}: ${formatNumber(o.lateWorkingDays, 1)}`)
                  .join('; '),
              },
            ],
          })),
        }}
      />
    </div>
  );
}
