import { civilFromDays, daysFromCivil, formatIsoDate, isoWeekday, parseIsoDate } from './civil-date';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** One working day is eight working hours (practice). */
export const WORKING_DAY_MS = 8 * 60 * MINUTE_MS;

export type DurationUnit = 'WD' | 'WH' | 'CD';

/** A span of office hours within a day, `HH:MM`–`HH:MM` local time. */
export interface OfficeInterval {
  start: string;
  end: string;
}

export interface OfficeHours {
  /** Office hours per ISO weekday (1 Monday … 7 Sunday); a missing or empty day is not worked. */
  weekly: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, OfficeInterval[]>>;
  /** Hours of a make-up working day (làm bù), usually a Saturday worked as a weekday. */
  makeupDay: OfficeInterval[];
}

const STANDARD_DAY: OfficeInterval[] = [
  { start: '07:00', end: '11:30' },
  { start: '13:30', end: '17:00' },
];

export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  weekly: { 1: STANDARD_DAY, 2: STANDARD_DAY, 3: STANDARD_DAY, 4: STANDARD_DAY, 5: STANDARD_DAY },
  makeupDay: STANDARD_DAY,
};

/** The dates of a year that differ from the weekly pattern. */
export interface YearDays {
  holidays: readonly string[];
  makeupWorkdays: readonly string[];
}

/**
 * Receipt cut-offs (domain §3): receipt outside office hours or in the lunch break always counts from the next
 * working instant. These optional rules move it to the next working day's start instead.
 */
export interface CutoffPolicy {
  /** Receipt in the last office hour of the day counts from the next working day. */
  lastOfficeHour?: boolean;
  /** Receipt at or after this local time (`HH:MM`) counts from the next working day (e.g. `15:00`). */
  cutoffTime?: string;
}

/**
 * How a received dossier reaches the deciding agency (domain §2.3): electronically the same working day, or the next
 * working day when received at or after `nextDayFrom` (15:00); on paper within one working day.
 */
export interface TransferRule {
  medium: 'ELECTRONIC' | 'PAPER';
  /** Local time `HH:MM` from which an electronic dossier is transferred the next working day (default 15:00). */
  nextDayFrom?: string;
}

export const DEFAULT_TRANSFER_RULE: TransferRule = { medium: 'ELECTRONIC', nextDayFrom: '15:00' };

export interface DueResult {
  /** The instant counting starts from, after the cut-off rules. */
  anchor: Date;
  due: Date;
}

interface Interval {
  start: number;
  end: number;
}

interface YearIndex {
  year: number;
  firstDay: number;
  /** Office intervals (ms of day) of each day of the year. */
  days: Interval[][];
  /** Working ms before each day (length = days + 1). */
  cum: Float64Array;
  total: number;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseClock(text: string): number {
  const m = HHMM.exec(text);
  if (!m) {
    throw new RangeError(`"${text}" is not a time of day HH:MM`);
  }
  return (Number(m[1]) * 60 + Number(m[2])) * MINUTE_MS;
}

function toIntervals(list: readonly OfficeInterval[] | undefined): Interval[] {
  const out = (list ?? []).map((i) => ({
    start: parseClock(i.start),
    end: i.end === '24:00' ? DAY_MS : parseClock(i.end),
  }));
  out.sort((a, b) => a.start - b.start);
  for (let i = 0; i < out.length; i++) {
    if (out[i].end <= out[i].start || (i > 0 && out[i].start < out[i - 1].end)) {
      throw new RangeError('office intervals must be increasing and must not overlap');
    }
  }
  return out;
}

const workedWithin = (intervals: Interval[], msOfDay: number): number => {
  let worked = 0;
  for (const i of intervals) {
    if (msOfDay <= i.start) {
      break;
    }
    worked += Math.min(msOfDay, i.end) - i.start;
  }
  return worked;
};

/**
 * Offset of a zone from UTC (ms) at an instant, through Intl; cached per hour. One per zone, shared by every
 * calendar (`ZoneOffsets.of`): a formatter costs about half a millisecond to make, a miss a formatToParts call, and
 * each dossier's workflow makes its calendars anew (the workflows' thread shares this module: a pure cache).
 */
class ZoneOffsets {
  private static readonly zones = new Map<string, ZoneOffsets>();

  static of(timeZone: string): ZoneOffsets {
    let zone = ZoneOffsets.zones.get(timeZone);
    if (!zone) {
      zone = new ZoneOffsets(timeZone);
      ZoneOffsets.zones.set(timeZone, zone);
    }
    return zone;
  }

  private readonly cache = new Map<number, number>();
  private readonly format: Intl.DateTimeFormat;

  private constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  at(utcMs: number): number {
    const hour = Math.floor(utcMs / 3_600_000);
    let offset = this.cache.get(hour);
    if (offset === undefined) {
      const p = Object.fromEntries(this.format.formatToParts(new Date(hour * 3_600_000)).map((x) => [x.type, x.value]));
      const local = Date.UTC(
        Number(p.year),
        Number(p.month) - 1,
        Number(p.day),
        Number(p.hour),
        Number(p.minute),
        Number(p.second),
      );
      offset = local - hour * 3_600_000;
      this.cache.set(hour, offset);
    }
    return offset;
  }
}

/**
 * Working-time arithmetic over calendar data: pure and deterministic (instants in, instants out; no clock).
 * Positions are measured in working milliseconds from the start of each year, with a prefix sum per day, so a due
 * date costs a binary search rather than a walk.
 */
export class WorkingCalendar {
  private readonly years = new Map<number, YearIndex>();
  private readonly weekly: Interval[][];
  private readonly makeupDay: Interval[];
  private readonly zone: ZoneOffsets;

  constructor(
    private readonly spec: {
      timeZone: string;
      officeHours?: OfficeHours;
      /** Holidays and make-up days of a year; called once per year used. */
      yearDays: (year: number) => YearDays;
      /**
       * False only for dossiers whose workflows started before the rule (replay): a due time that fills its last
       * day exactly was then the next working day's opening (07:00) instead of that day's close (17:00).
       */
      dueAtClose?: boolean;
    },
  ) {
    const hours = spec.officeHours ?? DEFAULT_OFFICE_HOURS;
    this.weekly = [1, 2, 3, 4, 5, 6, 7].map((d) => toIntervals(hours.weekly[d as 1]));
    this.makeupDay = toIntervals(hours.makeupDay);
    this.zone = ZoneOffsets.of(spec.timeZone);
    if (this.weekly.every((d) => d.length === 0)) {
      throw new RangeError('office hours must include at least one working interval in the week');
    }
  }

  get timeZone(): string {
    return this.spec.timeZone;
  }

  /** Whether a due time that fills its last day exactly is that day's close (see the constructor). */
  get dueAtClose(): boolean {
    return this.spec.dueAtClose ?? true;
  }

  /** The same calendar with a due time at a day's end put at that day's close, or (`false`) the next opening. */
  withDueAtClose(dueAtClose: boolean): WorkingCalendar {
    return dueAtClose === this.dueAtClose ? this : new WorkingCalendar({ ...this.spec, dueAtClose });
  }

  /**
   * Adds working time: the earliest instant at which `amountMs` of office time has passed since `from`. When that
   * instant closes an office interval and the next interval of the same day opens at `keepTimeOfDay` (ms of day), the
   * opening is returned instead: the same working position, at the time of day the count started (13:30 + 1 WD is
   * 13:30). One that closes the day stays at the close: 07:00 + 1 WD is 17:00 of the same day, not 07:00 of the next
   * (a due time at the next day's opening would print and judge a day late).
   */
  addWorking(from: Date, amountMs: number, keepTimeOfDay?: number): Date {
    if (!(amountMs >= 0)) {
      throw new RangeError('amount must not be negative');
    }
    const { day, msOfDay } = this.local(from.getTime());
    if (amountMs === 0) {
      return this.nextWorkingInstant(from);
    }
    let idx = this.yearOf(day);
    let target = idx.cum[day - idx.firstDay] + workedWithin(idx.days[day - idx.firstDay], msOfDay) + amountMs;
    while (target > idx.total) {
      target -= idx.total;
      idx = this.index(idx.year + 1);
    }
    // The last day whose start position is still before the target holds the due instant.
    let lo = 0;
    let hi = idx.days.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (idx.cum[mid] < target) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    let rest = target - idx.cum[lo];
    const intervals = idx.days[lo];
    for (let k = 0; k < intervals.length; k++) {
      const i = intervals[k];
      const len = i.end - i.start;
      if (rest <= len) {
        const closesDay = k + 1 === intervals.length;
        if (rest === len && keepTimeOfDay !== undefined && !(closesDay && this.dueAtClose)) {
          const opening = closesDay
            ? this.startOfNextWorkingDay(idx.firstDay + lo)
            : this.instant(idx.firstDay + lo, intervals[k + 1].start);
          if (this.local(opening.getTime()).msOfDay === keepTimeOfDay) {
            return opening;
          }
        }
        return this.instant(idx.firstDay + lo, i.start + rest);
      }
      rest -= len;
    }
    throw new Error('unreachable: working-time index inconsistent');
  }

  /** Working time (ms) between two instants; negative when `to` is before `from`. */
  workingBetween(from: Date, to: Date): number {
    if (to.getTime() < from.getTime()) {
      return -this.workingBetween(to, from);
    }
    const a = this.position(from.getTime());
    const b = this.position(to.getTime());
    let total = 0;
    for (let y = a.year; y < b.year; y++) {
      total += this.index(y).total;
    }
    return total + b.pos - a.pos;
  }

  isWorkingInstant(at: Date): boolean {
    const { day, msOfDay } = this.local(at.getTime());
    return this.intervalsOf(day).some((i) => msOfDay >= i.start && msOfDay < i.end);
  }

  isWorkingDay(day: number): boolean {
    return this.intervalsOf(day).length > 0;
  }

  /** `at` itself when it is in office hours, otherwise the start of the next office interval. */
  nextWorkingInstant(at: Date): Date {
    const { day, msOfDay } = this.local(at.getTime());
    for (const i of this.intervalsOf(day)) {
      if (msOfDay < i.end) {
        return msOfDay >= i.start ? at : this.instant(day, i.start);
      }
    }
    return this.startOfNextWorkingDay(day);
  }

  /** `at` itself when it is in office hours or closes an interval, otherwise the close of the last interval before. */
  lastWorkingInstant(at: Date): Date {
    const { day, msOfDay } = this.local(at.getTime());
    const before = this.intervalsOf(day).filter((i) => i.start < msOfDay);
    const last = before.at(-1);
    if (last) {
      return msOfDay <= last.end ? at : this.instant(day, last.end);
    }
    for (let d = day - 1; day - d <= 3660; d--) {
      const intervals = this.intervalsOf(d);
      if (intervals.length > 0) {
        return this.instant(d, intervals[intervals.length - 1].end);
      }
    }
    throw new RangeError('no working day within ten years');
  }

  /** The close of office on a (working) day. */
  closeOf(day: number): Date {
    const intervals = this.intervalsOf(day);
    if (intervals.length === 0) {
      throw new RangeError(`${formatIsoDate(day)} is not a working day`);
    }
    return this.instant(day, intervals[intervals.length - 1].end);
  }

  /**
   * When a dossier received at `receivedAt` must have reached the deciding agency (domain §2.3): electronically by
   * the close of the day counting starts on, or of the next working day when counting starts at or after the rule's
   * `nextDayFrom`; on paper within one working day of it.
   */
  transferDue(receivedAt: Date, rule: TransferRule): Date {
    const from = this.nextWorkingInstant(receivedAt);
    const { day, msOfDay } = this.local(from.getTime());
    if (rule.medium === 'PAPER') {
      return this.addWorking(from, WORKING_DAY_MS, msOfDay);
    }
    const nextDay = msOfDay >= parseClock(rule.nextDayFrom ?? DEFAULT_TRANSFER_RULE.nextDayFrom ?? '15:00');
    return this.closeOf(nextDay ? this.local(this.startOfNextWorkingDay(day).getTime()).day : day);
  }

  startOfNextWorkingDay(day: number): Date {
    for (let d = day + 1; ; d++) {
      const intervals = this.intervalsOf(d);
      if (intervals.length > 0) {
        return this.instant(d, intervals[0].start);
      }
      if (d - day > 3660) {
        throw new RangeError('no working day within ten years');
      }
    }
  }

  /** Where counting starts for something received at `receivedAt`, under the cut-off rules. */
  anchor(receivedAt: Date, policy: CutoffPolicy = {}): Date {
    const { day, msOfDay } = this.local(receivedAt.getTime());
    const intervals = this.intervalsOf(day);
    if (intervals.length > 0) {
      const close = intervals[intervals.length - 1].end;
      const lastHour = policy.lastOfficeHour && msOfDay >= close - 60 * MINUTE_MS;
      const cutoff = policy.cutoffTime !== undefined && msOfDay >= parseClock(policy.cutoffTime);
      if (lastHour || cutoff) {
        return this.startOfNextWorkingDay(day);
      }
    }
    return this.nextWorkingInstant(receivedAt);
  }

  /**
   * The due instant of `amount` WD (8 working hours each), WH or CD after `from`, with the cut-off rules applied.
   * Working amounts keep the time of day. A calendar-day period whose last day is not worked ends at the close of the
   * next working day (Civil Code 2015 art. 148); one landing outside office hours moves to the next working instant.
   */
  due(from: Date, amount: number, unit: DurationUnit, policy: CutoffPolicy = {}): DueResult {
    const anchor = this.anchor(from, policy);
    switch (unit) {
      case 'WD':
        return {
          anchor,
          due: this.addWorking(anchor, Math.round(amount * WORKING_DAY_MS), this.local(anchor.getTime()).msOfDay),
        };
      case 'WH':
        return { anchor, due: this.addWorking(anchor, Math.round(amount * 60 * MINUTE_MS)) };
      case 'CD': {
        const { day, msOfDay } = this.local(anchor.getTime());
        const last = day + Math.round(amount);
        if (!this.isWorkingDay(last)) {
          const next = this.local(this.startOfNextWorkingDay(last).getTime()).day;
          const intervals = this.intervalsOf(next);
          return { anchor, due: this.instant(next, intervals[intervals.length - 1].end) };
        }
        return { anchor, due: this.nextWorkingInstant(this.instant(last, msOfDay)) };
      }
    }
  }

  /** Local calendar day number and ms of day of an instant. */
  local(utcMs: number): { day: number; msOfDay: number } {
    const localMs = utcMs + this.zone.at(utcMs);
    const day = Math.floor(localMs / DAY_MS);
    return { day, msOfDay: localMs - day * DAY_MS };
  }

  /** The instant of a local day and time (zone offset resolved at that instant). */
  instant(day: number, msOfDay: number): Date {
    const guess = day * DAY_MS + msOfDay;
    const first = guess - this.zone.at(guess);
    return new Date(guess - this.zone.at(first));
  }

  private position(utcMs: number): { year: number; pos: number } {
    const { day, msOfDay } = this.local(utcMs);
    const idx = this.yearOf(day);
    const i = day - idx.firstDay;
    return { year: idx.year, pos: idx.cum[i] + workedWithin(idx.days[i], msOfDay) };
  }

  private intervalsOf(day: number): Interval[] {
    const idx = this.yearOf(day);
    return idx.days[day - idx.firstDay];
  }

  private yearOf(day: number): YearIndex {
    return this.index(civilFromDays(day).year);
  }

  private index(year: number): YearIndex {
    let idx = this.years.get(year);
    if (idx) {
      return idx;
    }
    const data = this.spec.yearDays(year);
    const toDays = (list: readonly string[]): Set<number> =>
      new Set(list.map((d) => parseIsoDate(d)).filter((d): d is number => d !== undefined));
    const holidays = toDays(data.holidays);
    const makeup = toDays(data.makeupWorkdays);
    const firstDay = daysFromCivil(year, 1, 1);
    const length = daysFromCivil(year + 1, 1, 1) - firstDay;
    const days: Interval[][] = [];
    const cum = new Float64Array(length + 1);
    for (let i = 0; i < length; i++) {
      const d = firstDay + i;
      const intervals = makeup.has(d) ? this.makeupDay : holidays.has(d) ? [] : this.weekly[isoWeekday(d) - 1];
      days.push(intervals);
      cum[i + 1] = cum[i] + intervals.reduce((s, x) => s + x.end - x.start, 0);
    }
    idx = { year, firstDay, days, cum, total: cum[length] };
    if (idx.total === 0) {
      throw new RangeError(`the calendar of ${year} has no working time`);
    }
    this.years.set(year, idx);
    return idx;
  }
}

/** ISO 8601 with the calendar zone's offset, e.g. `2026-02-25T16:30:00+07:00` (milliseconds only when not zero). */
export function formatLocalIso(calendar: WorkingCalendar, at: Date): string {
  const { day, msOfDay } = calendar.local(at.getTime());
  const offsetMin = Math.round((day * DAY_MS + msOfDay - at.getTime()) / MINUTE_MS);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const two = (n: number): string => String(n).padStart(2, '0');
  const seconds = Math.floor(msOfDay / 1000);
  // Milliseconds only when there are some: an instant read back from this text is the instant given.
  const millis = msOfDay % 1000 === 0 ? '' : `.${String(msOfDay % 1000).padStart(3, '0')}`;
  return `${formatIsoDate(day)}T${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}${millis}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** `hh:mm dd/mm/yyyy` in the calendar's zone, as Vietnamese forms print times (Circular 03/2025). */
export function formatFormTime(calendar: WorkingCalendar, at: Date): string {
  const { day, msOfDay } = calendar.local(at.getTime());
  const [y, m, d] = formatIsoDate(day).split('-');
  const minutes = Math.floor(msOfDay / MINUTE_MS);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(minutes / 60))}:${two(minutes % 60)} ${d}/${m}/${y}`;
}
