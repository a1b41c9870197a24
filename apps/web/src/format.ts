import { LOCALE, t } from './i18n';

/** The deployment's zone: times are shown there whatever the browser's zone is. */
export const DEPLOYMENT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** One working day is 8 working hours. */
export const WORKING_HOUR_MS = 3_600_000;
export const WORKING_DAY_MS = 8 * WORKING_HOUR_MS;

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function partsIn(instant: Date, timeZone: string): Record<string, string> {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
}

function toDate(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `dd/MM/yyyy HH:mm` in the deployment's zone; empty for no time. */
export function formatDateTime(value: string | Date | null | undefined, timeZone = DEPLOYMENT_TIME_ZONE): string {
  const date = toDate(value);
  if (!date) {
    return '';
  }
  const p = partsIn(date, timeZone);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** `dd/MM/yyyy` in the deployment's zone; empty for no time. */
export function formatDate(value: string | Date | null | undefined, timeZone = DEPLOYMENT_TIME_ZONE): string {
  const date = toDate(value);
  if (!date) {
    return '';
  }
  const p = partsIn(date, timeZone);
  return `${p.day}/${p.month}/${p.year}`;
}

/** `yyyy-MM-dd` of an instant in the deployment's zone (the API's local-date parameters). */
export function isoDateIn(value: string | Date, timeZone = DEPLOYMENT_TIME_ZONE): string {
  const date = toDate(value);
  if (!date) {
    return '';
  }
  const p = partsIn(date, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** vi-VN grouping: 1.234.567 and 0,25. */
export function formatNumber(value: number, maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits }).format(value);
}

/** A working-time amount as "2 ngày 3 giờ làm việc" (1 working day = 8 working hours); the sign is ignored. */
export function formatWorkingDuration(workingMs: number): string {
  const minutes = Math.round(Math.abs(workingMs) / 60_000);
  if (minutes < 60) {
    return minutes === 0
      ? `0 ${t.time.hour} ${t.time.working}`
      : `${formatNumber(minutes)} ${t.time.minute} ${t.time.working}`;
  }
  const hours = Math.round(minutes / 60);
  const days = Math.floor(hours / 8);
  const rest = hours % 8;
  const parts = [
    ...(days > 0 ? [`${formatNumber(days)} ${t.time.day}`] : []),
    ...(rest > 0 ? [`${rest} ${t.time.hour}`] : []),
  ];
  return `${parts.join(' ')} ${t.time.working}`;
}

export interface RemainingLike {
  workingMs: number;
  paused: boolean;
  overdue: boolean;
}

/** "Còn 2 ngày 3 giờ làm việc", "Quá hạn 4 giờ làm việc" or "Tạm dừng tính thời gian". */
export function formatRemaining(remaining: RemainingLike | null | undefined): string {
  if (!remaining) {
    return t.time.noDeadline;
  }
  if (remaining.paused) {
    return t.time.paused;
  }
  const amount = formatWorkingDuration(remaining.workingMs);
  return remaining.overdue || remaining.workingMs < 0 ? t.time.overdueBy(amount) : t.time.remaining(amount);
}

export interface DurationLike {
  amount: number;
  unit: string;
}

/** A budget as the procedure states it: "30 ngày làm việc", "4 giờ làm việc", "5 ngày". */
export function formatBudget(budget: DurationLike | null | undefined): string {
  if (!budget) {
    return '';
  }
  const n = formatNumber(budget.amount);
  switch (budget.unit) {
    case 'WH':
      return t.time.workingHours(n);
    case 'CD':
      return t.time.calendarDays(n);
    default:
      return t.time.workingDays(n);
  }
}

/** The share of a budget already used, between 0 and 1 (1 once late). */
export function usedFraction(remainingMs: number, budgetMs: number): number {
  if (budgetMs <= 0) {
    return remainingMs > 0 ? 0 : 1;
  }
  return Math.min(1, Math.max(0, 1 - remainingMs / budgetMs));
}

/** The working milliseconds of a budget, for WD and WH budgets; null for calendar days. */
export function budgetWorkingMs(budget: DurationLike | null | undefined): number | null {
  if (!budget) {
    return null;
  }
  if (budget.unit === 'WD') {
    return budget.amount * WORKING_DAY_MS;
  }
  if (budget.unit === 'WH') {
    return budget.amount * WORKING_HOUR_MS;
  }
  return null;
}

/** A wait in seconds as "45 giây" or "3 phút" (rounded up), for the rate limit's Retry-After. */
export function formatWait(seconds: number): string {
  if (seconds < 60) {
    return t.format.seconds(formatNumber(Math.max(1, Math.ceil(seconds)), 0));
  }
  return t.format.minutes(formatNumber(Math.ceil(seconds / 60), 0));
}

/** `dd/MM/yyyy` typed by an officer → `yyyy-MM-dd`; null when it is not a real date. */
export function parseVnDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) {
    return null;
  }
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `yyyy-MM-dd` → `dd/MM/yyyy` (no zone involved: it is already a local date). */
export function formatIsoDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/** A file size as a clerk reads it: "850 B", "12,5 KB", "20 MB" (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${formatNumber(bytes, 0)} B`;
  }
  if (bytes < 1024 * 1024) {
    return `${formatNumber(bytes / 1024, 1)} KB`;
  }
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
}
