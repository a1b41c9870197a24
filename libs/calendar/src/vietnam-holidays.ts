import { daysFromCivil, formatIsoDate, isoWeekday, parseIsoDate } from './civil-date';
import { lunarNewYear, lunarToSolar } from './lunar';

export interface CalendarDay {
  /** `YYYY-MM-DD` in the deployment's zone. */
  date: string;
  name: string;
}

export type CalendarSource = 'OFFICIAL' | 'COMPUTED';

/** The non-working and make-up working days of one year in one scope. */
export interface CalendarYearData {
  year: number;
  holidays: CalendarDay[];
  makeupWorkdays: CalendarDay[];
  /** OFFICIAL: the published schedule; COMPUTED: derived from the Labour Code until it is published. */
  source: CalendarSource;
  /** Decision or circular the official schedule comes from. */
  legalBasis?: string;
}

const isWeekend = (d: number): boolean => isoWeekday(d) >= 6;

/**
 * Public holidays of the Labour Code 2019 art. 112 for any year, lunar dates computed: New Year, Tết (the last day
 * of the lunar year and the first four of the new), Hùng Kings day (10/3 lunar), 30/4, 1/5, 2/9 with 1/9.
 * A holiday on a weekend is compensated on the next working day. The government's yearly schedule overrides this.
 */
export function statutoryHolidays(year: number): CalendarYearData {
  const entries: { day: number; name: string }[] = [];
  const add = (day: number, name: string): void => {
    entries.push({ day, name });
  };
  add(daysFromCivil(year, 1, 1), 'Tết Dương lịch');
  const tet = lunarNewYear(year);
  add(tet - 1, 'Tết Nguyên Đán (30 Tết)');
  for (let i = 0; i < 4; i++) {
    add(tet + i, `Tết Nguyên Đán (mùng ${i + 1})`);
  }
  const hung = lunarToSolar(year, 3, 10);
  if (hung) {
    add(daysFromCivil(hung.year, hung.month, hung.day), 'Giỗ Tổ Hùng Vương (10/3 âm lịch)');
  }
  add(daysFromCivil(year, 4, 30), 'Ngày Chiến thắng (30/4)');
  add(daysFromCivil(year, 5, 1), 'Ngày Quốc tế Lao động (1/5)');
  add(daysFromCivil(year, 9, 1), 'Quốc khánh (ngày liền kề)');
  add(daysFromCivil(year, 9, 2), 'Quốc khánh (2/9)');

  const taken = new Set(entries.map((e) => e.day));
  const result = entries.filter((e) => !isWeekend(e.day));
  for (const e of entries.filter((x) => isWeekend(x.day)).sort((a, b) => a.day - b.day)) {
    let d = e.day + 1;
    while (isWeekend(d) || taken.has(d)) {
      d += 1;
    }
    taken.add(d);
    result.push({ day: d, name: `Nghỉ bù ${e.name}` });
  }
  return {
    year,
    holidays: result
      .filter((e) => formatIsoDate(e.day).startsWith(String(year)))
      .sort((a, b) => a.day - b.day)
      .map((e) => ({ date: formatIsoDate(e.day), name: e.name })),
    makeupWorkdays: [],
    source: 'COMPUTED',
  };
}

const range = (from: string, to: string, name: string): CalendarDay[] => {
  const out: CalendarDay[] = [];
  for (let d = parseIsoDate(from) as number; d <= (parseIsoDate(to) as number); d++) {
    out.push({ date: formatIsoDate(d), name });
  }
  return out;
};

/** The official schedules for civil servants shipped with the engine (weekdays off; weekends are off anyway). */
export const OFFICIAL_VIETNAM_YEARS: readonly CalendarYearData[] = [
  {
    year: 2025,
    source: 'OFFICIAL',
    legalBasis: 'Thông báo của Bộ Lao động - Thương binh và Xã hội về lịch nghỉ lễ, Tết năm 2025',
    holidays: [
      { date: '2025-01-01', name: 'Tết Dương lịch' },
      ...range('2025-01-27', '2025-01-31', 'Tết Nguyên Đán'),
      { date: '2025-04-07', name: 'Giỗ Tổ Hùng Vương' },
      { date: '2025-04-30', name: 'Ngày Chiến thắng' },
      { date: '2025-05-01', name: 'Ngày Quốc tế Lao động' },
      { date: '2025-05-02', name: 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4)' },
      { date: '2025-09-01', name: 'Quốc khánh (ngày liền kề)' },
      { date: '2025-09-02', name: 'Quốc khánh' },
    ],
    makeupWorkdays: [{ date: '2025-04-26', name: 'Làm bù cho ngày 2/5' }],
  },
  {
    year: 2026,
    source: 'OFFICIAL',
    legalBasis:
      'Thông báo của Bộ Nội vụ về lịch nghỉ lễ, Tết năm 2026; Công văn 12729/VPCP-KGVX ngày 25/12/2025 (Tết Dương lịch)',
    holidays: [
      { date: '2026-01-01', name: 'Tết Dương lịch' },
      { date: '2026-01-02', name: 'Nghỉ hoán đổi Tết Dương lịch (làm bù thứ Bảy 10/1)' },
      ...range('2026-02-16', '2026-02-20', 'Tết Nguyên Đán'),
      { date: '2026-04-27', name: 'Nghỉ bù Giỗ Tổ Hùng Vương (26/4 là Chủ nhật)' },
      { date: '2026-04-30', name: 'Ngày Chiến thắng' },
      { date: '2026-05-01', name: 'Ngày Quốc tế Lao động' },
      { date: '2026-08-31', name: 'Nghỉ hoán đổi Quốc khánh (làm bù thứ Bảy 22/8)' },
      { date: '2026-09-01', name: 'Quốc khánh (ngày liền kề)' },
      { date: '2026-09-02', name: 'Quốc khánh' },
    ],
    makeupWorkdays: [
      { date: '2026-01-10', name: 'Làm bù cho ngày 2/1' },
      { date: '2026-08-22', name: 'Làm bù cho ngày 31/8' },
    ],
  },
  // 2027 has no published schedule yet: the Labour Code's holidays, to be replaced by the official one.
  statutoryHolidays(2027),
];
