import { type ProgressGroup } from '../../../../libs/persistence/src';
import { type ProgressLine, type ProgressReport } from '../../../../libs/reports/src';

export const GROUP_HEADINGS: Record<ProgressGroup, string> = {
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
  { heading: 'Trong đó: quá hạn có văn bản xin lỗi', value: (l) => l.counts.lateWithApology },
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

/**
 * A text cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return before one) is
 * written with a leading apostrophe, shown as text: a procedure or officer named `=HYPERLINK(…)` must not run in the
 * office that opens the export (OWASP's CSV injection). Numbers are the report's own and stay numbers.
 */
export function csvText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const csvCell = (v: number | string | null): string => {
  const text = v === null ? '' : typeof v === 'number' ? String(v) : csvText(v);
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** CSV with a BOM so spreadsheet programs read the Vietnamese headings as UTF-8. */
export function progressCsv(report: ProgressReport): string {
  const header = ['Mã', GROUP_HEADINGS[report.groupBy], ...PROGRESS_COLUMNS.map((c) => c.heading)];
  const line = (l: ProgressLine, code: string) => [code, l.name, ...PROGRESS_COLUMNS.map((c) => c.value(l))];
  const lines = [...report.rows.map((l) => line(l, l.key)), line(report.total, '')];
  return `\uFEFF${[header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
