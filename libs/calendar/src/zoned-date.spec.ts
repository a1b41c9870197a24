import { localDateOf } from './zoned-date';

describe('localDateOf', () => {
  it('gives the Vietnamese calendar date of an instant that is still the previous day in UTC', () => {
    expect(localDateOf(new Date('2026-03-15T18:30:00Z'), 'Asia/Ho_Chi_Minh')).toEqual({
      year: 2026,
      month: 3,
      day: 16,
    });
  });

  it('crosses the year boundary in the zone, not in UTC', () => {
    expect(localDateOf(new Date('2025-12-31T17:00:00Z'), 'Asia/Ho_Chi_Minh')).toEqual({ year: 2026, month: 1, day: 1 });
    expect(localDateOf(new Date('2025-12-31T16:59:59Z'), 'Asia/Ho_Chi_Minh')).toEqual({
      year: 2025,
      month: 12,
      day: 31,
    });
  });
});
