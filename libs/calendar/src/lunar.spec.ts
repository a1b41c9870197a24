import { daysFromCivil, formatIsoDate } from './civil-date';
import { lunarNewYear, lunarToSolar } from './lunar';

describe('Vietnamese lunar calendar', () => {
  it.each([
    [1985, '1985-01-21'], // Vietnam's Tết a month before China's (1985-02-20): UTC+7 matters
    [2007, '2007-02-17'], // a day before China's (2007-02-18)
    [2020, '2020-01-25'],
    [2023, '2023-01-22'],
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    [2030, '2030-02-02'], // new moon 23:07 at UTC+7 on 2 Feb, 00:07 on 3 Feb at UTC+8: China's is a day later
  ])('Tết %i falls on %s', (year, expected) => {
    expect(formatIsoDate(lunarNewYear(year))).toBe(expected);
  });

  it.each([
    [2023, { year: 2023, month: 4, day: 29 }],
    [2024, { year: 2024, month: 4, day: 18 }],
    [2025, { year: 2025, month: 4, day: 7 }],
    [2026, { year: 2026, month: 4, day: 26 }],
  ])('Hùng Kings day (10/3 lunar) %i', (year, expected) => {
    expect(lunarToSolar(year, 3, 10)).toEqual(expected);
  });

  it('knows the leap month of 2023 (2nd month doubled) and refuses a leap month that does not exist', () => {
    const leap = lunarToSolar(2023, 2, 1, true);
    expect(leap && daysFromCivil(leap.year, leap.month, leap.day)).toBe(daysFromCivil(2023, 3, 22));
    expect(lunarToSolar(2024, 2, 1, true)).toBeUndefined();
  });
});
