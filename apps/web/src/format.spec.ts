import {
  formatBytes,
  budgetWorkingMs,
  formatBudget,
  formatDate,
  formatDateTime,
  formatIsoDate,
  formatNumber,
  formatRemaining,
  formatWait,
  formatWorkingDuration,
  isoDateIn,
  parseVnDate,
  usedFraction,
  WORKING_DAY_MS,
  WORKING_HOUR_MS,
} from './format';

describe('format', () => {
  describe(formatDateTime.name, () => {
    it('shows the time in Hà Nội time whatever the zone of the instant', () => {
      expect(formatDateTime('2030-06-17T02:40:00Z')).toBe('17/06/2030 09:40');
      expect(formatDateTime('2030-06-17T09:40:00+07:00')).toBe('17/06/2030 09:40');
    });

    it('moves to the next day in Hà Nội when UTC is still on the day before', () => {
      expect(formatDateTime('2026-12-31T17:05:00Z')).toBe('01/01/2027 00:05');
    });

    it('uses another zone when asked', () => {
      expect(formatDateTime('2030-06-17T02:40:00Z', 'UTC')).toBe('17/06/2030 02:40');
    });

    it('is empty for a missing or broken time', () => {
      expect(formatDateTime(null)).toBe('');
      expect(formatDateTime(undefined)).toBe('');
      expect(formatDateTime('not a date')).toBe('');
    });
  });

  it('formats dates and local ISO dates in the deployment zone', () => {
    expect(formatDate('2026-12-31T17:05:00Z')).toBe('01/01/2027');
    expect(isoDateIn('2026-12-31T17:05:00Z')).toBe('2027-01-01');
  });

  it('groups numbers the Vietnamese way', () => {
    expect(formatNumber(1234567)).toBe('1.234.567');
    expect(formatNumber(0.25)).toBe('0,25');
  });

  describe(formatWorkingDuration.name, () => {
    it('counts 8 working hours to the working day', () => {
      expect(formatWorkingDuration(2 * WORKING_DAY_MS + 3 * WORKING_HOUR_MS)).toBe('2 ngày 3 giờ làm việc');
      expect(formatWorkingDuration(8 * WORKING_HOUR_MS)).toBe('1 ngày làm việc');
      expect(formatWorkingDuration(30 * WORKING_DAY_MS)).toBe('30 ngày làm việc');
    });

    it('rounds to the nearest working hour', () => {
      expect(formatWorkingDuration(30 * WORKING_DAY_MS - 2_148)).toBe('30 ngày làm việc');
      expect(formatWorkingDuration(5 * WORKING_HOUR_MS + 29 * 60_000)).toBe('5 giờ làm việc');
    });

    it('shows minutes under an hour, and ignores the sign', () => {
      expect(formatWorkingDuration(-45 * 60_000)).toBe('45 phút làm việc');
      expect(formatWorkingDuration(0)).toBe('0 giờ làm việc');
    });

    it('groups a large number of days', () => {
      expect(formatWorkingDuration(1200 * WORKING_DAY_MS)).toBe('1.200 ngày làm việc');
    });
  });

  describe(formatRemaining.name, () => {
    it('says what is left, how late it is, or that the clock is stopped', () => {
      const day = WORKING_DAY_MS;
      expect(formatRemaining({ workingMs: 2 * day, paused: false, overdue: false })).toBe('Còn 2 ngày làm việc');
      expect(formatRemaining({ workingMs: -4 * WORKING_HOUR_MS, paused: false, overdue: true })).toBe(
        'Quá hạn 4 giờ làm việc',
      );
      expect(formatRemaining({ workingMs: day, paused: true, overdue: false })).toBe('Tạm dừng tính thời gian');
      expect(formatRemaining(null)).toBe('Không tính thời hạn');
    });
  });

  it('states budgets in their unit', () => {
    expect(formatBudget({ amount: 30, unit: 'WD' })).toBe('30 ngày làm việc');
    expect(formatBudget({ amount: 0.5, unit: 'WD' })).toBe('0,5 ngày làm việc');
    expect(formatBudget({ amount: 4, unit: 'WH' })).toBe('4 giờ làm việc');
    expect(formatBudget({ amount: 5, unit: 'CD' })).toBe('5 ngày');
    expect(budgetWorkingMs({ amount: 0.25, unit: 'WD' })).toBe(2 * WORKING_HOUR_MS);
    expect(budgetWorkingMs({ amount: 5, unit: 'CD' })).toBeNull();
  });

  it('measures the used share of a budget between 0 and 1', () => {
    expect(usedFraction(WORKING_DAY_MS, 4 * WORKING_DAY_MS)).toBe(0.75);
    expect(usedFraction(-WORKING_DAY_MS, 4 * WORKING_DAY_MS)).toBe(1);
    expect(usedFraction(5 * WORKING_DAY_MS, 4 * WORKING_DAY_MS)).toBe(0);
  });

  it('explains a wait in seconds or whole minutes', () => {
    expect(formatWait(45)).toBe('45 giây');
    expect(formatWait(61)).toBe('2 phút');
    expect(formatWait(900)).toBe('15 phút');
  });

  it('reads a typed dd/mm/yyyy date and refuses one that does not exist', () => {
    expect(parseVnDate('05/03/2030')).toBe('2030-03-05');
    expect(parseVnDate(' 5/3/2030 ')).toBe('2030-03-05');
    expect(parseVnDate('29/02/2030')).toBeNull();
    expect(parseVnDate('2030-03-05')).toBeNull();
    expect(formatIsoDate('2030-03-05')).toBe('05/03/2030');
    expect(formatIsoDate('')).toBe('');
  });

  it('writes a file size in B, KB or MB with the Vietnamese decimal comma', () => {
    expect(formatBytes(850)).toBe('850 B');
    expect(formatBytes(12_800)).toBe('12,5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(1_572_864)).toBe('1,5 MB');
  });
});
