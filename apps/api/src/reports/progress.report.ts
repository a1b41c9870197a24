import {
  ON_TIME_FORMULA_LABELS,
  type OnTimeFormula,
  type ProgressCounts,
  onTimeRate,
  percent,
} from '../../../../libs/domain/src';
import { type ProgressGroup } from '../../../../libs/persistence/src';

export interface ProgressLine {
  key: string;
  name: string;
  counts: ProgressCounts;
  /** Shares of the resolved dossiers, in percent. */
  resolvedShares: { early: number | null; onTime: number | null; late: number | null };
  onTimeRate: number | null;
}

export interface ProgressReport {
  period: { from: string; to: string };
  unit: { code: string; name: string };
  groupBy: ProgressGroup;
  formula: { code: OnTimeFormula; label: string };
  rows: ProgressLine[];
  total: ProgressLine;
  /** Where the figures come from; rollups are as of their last refresh (`asOf`). */
  source: 'facts' | 'rollups';
  asOf: string;
  /** Set when the period is closed: these are the published figures, frozen at closing. */
  closed?: { closedAt: string; closedBy: string };
  /**
   * Changes to the figures of the closed period just before this one that arrived after it was closed (a correction,
   * a dossier finished by a retried activity): shown here, in the next period, never by changing the closed one.
   */
  adjustments?: ProgressAdjustments;
}

export interface ProgressAdjustments {
  period: { from: string; to: string };
  closedAt: string;
  rows: { key: string; name: string; changes: Partial<ProgressCounts> }[];
  total: Partial<ProgressCounts>;
}

/** The counts that differ between two lines (later minus earlier), nonzero ones only. */
export function countChanges(
  before: ProgressCounts | undefined,
  after: ProgressCounts | undefined,
): Partial<ProgressCounts> {
  const keys = Object.keys(after ?? before ?? {}) as (keyof ProgressCounts)[];
  return Object.fromEntries(
    keys.map((k) => [k, (after?.[k] ?? 0) - (before?.[k] ?? 0)]).filter(([, d]) => d !== 0),
  ) as Partial<ProgressCounts>;
}

export function progressLine(key: string, name: string, counts: ProgressCounts, formula: OnTimeFormula): ProgressLine {
  return {
    key,
    name,
    counts,
    resolvedShares: {
      early: percent(counts.early, counts.resolved),
      onTime: percent(counts.onTime, counts.resolved),
      late: percent(counts.late, counts.resolved),
    },
    onTimeRate: onTimeRate(counts, formula),
  };
}

export { ON_TIME_FORMULA_LABELS };

const GROUP_HEADING: Record<ProgressGroup, string> = {
  unit: 'Đơn vị',
  procedure: 'Thủ tục',
  field: 'Lĩnh vực',
  officer: 'Cán bộ',
  step: 'Bước xử lý',
};

/** The columns of the national table, with Vietnamese headings, in the order the forms print them. */
export const PROGRESS_COLUMNS: { heading: string; value: (l: ProgressLine) => number | string | null }[] = [
  { heading: 'Tổng số hồ sơ', value: (l) => l.counts.total },
  { heading: 'Kỳ trước chuyển qua', value: (l) => l.counts.carriedOver },
  { heading: 'Mới tiếp nhận trực tuyến', value: (l) => l.counts.newOnline },
  { heading: 'Mới tiếp nhận trực tiếp', value: (l) => l.counts.newInPerson },
  { heading: 'Mới tiếp nhận qua BCCI', value: (l) => l.counts.newPostal },
  { heading: 'Đã giải quyết', value: (l) => l.counts.resolved },
  { heading: 'Trước hạn', value: (l) => l.counts.early },
  { heading: 'Đúng hạn', value: (l) => l.counts.onTime },
  { heading: 'Quá hạn', value: (l) => l.counts.late },
  { heading: 'Đang giải quyết', value: (l) => l.counts.inProgress },
  { heading: 'Trong hạn', value: (l) => l.counts.withinDeadline },
  { heading: 'Quá hạn (đang giải quyết)', value: (l) => l.counts.overdue },
  { heading: 'Tạm dừng chờ bổ sung', value: (l) => l.counts.pausedSupplement },
  { heading: 'Tạm dừng chờ nghĩa vụ tài chính', value: (l) => l.counts.pausedPayment },
  { heading: 'Rút hồ sơ / trả lại', value: (l) => l.counts.withdrawn },
  { heading: 'Từ chối', value: (l) => l.counts.refused },
  { heading: 'Tỷ lệ trước hạn (%)', value: (l) => l.resolvedShares.early },
  { heading: 'Tỷ lệ đúng hạn (%)', value: (l) => l.resolvedShares.onTime },
  { heading: 'Tỷ lệ quá hạn (%)', value: (l) => l.resolvedShares.late },
  { heading: 'Tỷ lệ giải quyết đúng hạn (%)', value: (l) => l.onTimeRate },
];

const csvCell = (v: number | string | null): string => {
  const text = v === null ? '' : String(v);
  return /[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** CSV with a BOM so spreadsheet programs read the Vietnamese headings as UTF-8. */
export function progressCsv(report: ProgressReport): string {
  const header = ['Mã', GROUP_HEADING[report.groupBy], ...PROGRESS_COLUMNS.map((c) => c.heading)];
  const line = (l: ProgressLine, code: string) => [code, l.name, ...PROGRESS_COLUMNS.map((c) => c.value(l))];
  const lines = [...report.rows.map((l) => line(l, l.key)), line(report.total, '')];
  return `\uFEFF${[header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export const GROUP_HEADINGS = GROUP_HEADING;
