import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { formatNumber } from '../../format';
import { t } from '../../i18n';
import { type Period } from './period';
import { type AttributionReport, type OverdueReport, type ProgressCounts, type ProgressReport } from './report-api';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const COLORS = { early: '#2e7d32', onTime: '#1677ff', late: '#c62828', rate: '#6a1b9a' };

function Chart({
  title,
  option,
  rows,
}: {
  title: string;
  option: echarts.EChartsCoreOption;
  rows: [string, string][];
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) {
      return undefined;
    }
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.setOption({ animation: false, ...option });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return (
    <figure className="chart">
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      {rows.length === 0 ? (
        <p>{t.dashboard.noData}</p>
      ) : (
        <div ref={ref} className="chart-canvas" role="img" aria-label={title} />
      )}
      <details>
        <summary>{t.dashboard.chartTable}</summary>
        <table className="data-table">
          <caption className="visually-hidden">{title}</caption>
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** The dashboard's charts (ECharts, its own chunk). */
export default function DashboardCharts({
  months,
  report,
  overdue,
  attribution,
}: {
  months: { period: Period; counts: ProgressCounts; rate: number | null }[];
  report: ProgressReport;
  overdue: OverdueReport | undefined;
  attribution: AttributionReport | undefined;
}) {
  const labels = months.map((m) => `${m.period.from.slice(5, 7)}/${m.period.from.slice(0, 4)}`);
  const monthly: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 56, right: 56, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: labels },
    yAxis: [
      { type: 'value', name: t.dashboard.count },
      { type: 'value', name: '%', min: 0, max: 100 },
    ],
    series: [
      {
        name: t.dashboard.early,
        type: 'bar',
        stack: 'r',
        color: COLORS.early,
        data: months.map((m) => m.counts.early),
      },
      {
        name: t.dashboard.onTime,
        type: 'bar',
        stack: 'r',
        color: COLORS.onTime,
        data: months.map((m) => m.counts.onTime),
      },
      { name: t.dashboard.late, type: 'bar', stack: 'r', color: COLORS.late, data: months.map((m) => m.counts.late) },
      {
        name: t.dashboard.monthlyRate,
        type: 'line',
        yAxisIndex: 1,
        color: COLORS.rate,
        data: months.map((m) => m.rate),
      },
    ],
  };
  const subUnits = report.rows
    .filter((r) => r.key !== report.unit.code)
    .sort((a, b) => b.counts.late + b.counts.overdue - (a.counts.late + a.counts.overdue))
    .slice(0, 10);
  const subUnitOption: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 200, right: 24, top: 40, bottom: 24 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: subUnits.map((r) => r.name) },
    series: [
      { name: t.dashboard.late, type: 'bar', stack: 'l', color: COLORS.late, data: subUnits.map((r) => r.counts.late) },
      {
        name: t.dashboard.overdue,
        type: 'bar',
        stack: 'l',
        color: '#ef6c00',
        data: subUnits.map((r) => r.counts.overdue),
      },
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
  return (
    <div className="charts">
      <Chart
        title={t.dashboard.monthly}
        option={monthly}
        rows={months.map((m, i) => [
          labels[i],
          `${t.dashboard.early} ${formatNumber(m.counts.early)}, ${t.dashboard.onTime} ${formatNumber(m.counts.onTime)}, ${t.dashboard.late} ${formatNumber(m.counts.late)}, ${t.dashboard.onTimeRate} ${m.rate === null ? t.app.dash : `${formatNumber(m.rate)} %`}`,
        ])}
      />
      <Chart
        title={t.dashboard.subUnits}
        option={subUnitOption}
        rows={subUnits.map((r) => [
          r.name,
          `${t.dashboard.late} ${formatNumber(r.counts.late)}, ${t.dashboard.overdue} ${formatNumber(r.counts.overdue)}`,
        ])}
      />
      <Chart
        title={t.dashboard.overdueAge}
        option={ageOption}
        rows={buckets.map((b) => [b.label, formatNumber(b.count)])}
      />
      <Chart
        title={t.dashboard.attribution}
        option={attributionOption}
        rows={attributed.map((r) => [
          `${r.unitCode} · ${r.stepName}`,
          `${formatNumber(r.lateWorkingDays, 1)} (${r.officers.map((o) => `${o.name ?? t.dashboard.unassigned}: ${formatNumber(o.lateWorkingDays, 1)}`).join('; ')})`,
        ])}
      />
    </div>
  );
}
