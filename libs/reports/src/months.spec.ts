import { monthsOf } from './progress-reporter';

describe('monthsOf', () => {
  it('clips the first and last month to the period', () => {
    expect(monthsOf('2023-12-15', '2024-02-10')).toEqual([
      { from: '2023-12-15', to: '2023-12-31' },
      { from: '2024-01-01', to: '2024-01-31' },
      { from: '2024-02-01', to: '2024-02-10' },
    ]);
  });

  it('knows leap years and a period inside one month', () => {
    expect(monthsOf('2024-02-01', '2024-02-29')).toEqual([{ from: '2024-02-01', to: '2024-02-29' }]);
    expect(monthsOf('2025-02-03', '2025-02-05')).toEqual([{ from: '2025-02-03', to: '2025-02-05' }]);
  });

  it('keeps only the latest months beyond the limit', () => {
    const months = monthsOf('2020-01-01', '2025-06-30', 24);
    expect(months).toHaveLength(24);
    expect(months[0]).toEqual({ from: '2023-07-01', to: '2023-07-31' });
    expect(months[23]).toEqual({ from: '2025-06-01', to: '2025-06-30' });
  });
});
