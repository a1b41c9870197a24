import fc from 'fast-check';
import { NATIONAL_SCOPE, createScopedCalendar, effectiveYear } from './vietnam-calendar';
import { OFFICIAL_VIETNAM_YEARS, statutoryHolidays } from './vietnam-holidays';
import { WORKING_DAY_MS, WorkingCalendar, formatLocalIso } from './working-calendar';

const entries = OFFICIAL_VIETNAM_YEARS.map((y) => ({ ...y, scope: NATIONAL_SCOPE }));
const sut = createScopedCalendar({ timeZone: 'Asia/Ho_Chi_Minh', entries, chain: [NATIONAL_SCOPE] });
const at = (local: string): Date => new Date(`${local}+07:00`);
const iso = (d: Date): string => new Date(d.getTime() + 7 * 3_600_000).toISOString().replace('.000Z', '+07:00');

describe(WorkingCalendar.name, () => {
  describe('due dates on real 2026 dates', () => {
    it('skips the Tết holiday: Friday 13 Feb 16:30 + 3 WD is Wednesday 25 Feb 16:30', () => {
      expect(iso(sut.due(at('2026-02-13T16:30:00'), 3, 'WD').due)).toBe('2026-02-25T16:30:00+07:00');
    });

    it('keeps the time of day: N WD after 09:40 ends at 09:40 on the Nth working day', () => {
      expect(iso(sut.due(at('2026-03-17T09:40:00'), 1, 'WD').due)).toBe('2026-03-18T09:40:00+07:00');
      expect(iso(sut.due(at('2026-03-17T09:40:00'), 5, 'WD').due)).toBe('2026-03-24T09:40:00+07:00');
    });

    it('works the make-up Saturday 22 Aug and skips 31 Aug – 2 Sep', () => {
      expect(iso(sut.due(at('2026-08-21T16:00:00'), 1, 'WD').due)).toBe('2026-08-22T16:00:00+07:00');
      expect(iso(sut.due(at('2026-08-28T09:00:00'), 1, 'WD').due)).toBe('2026-09-03T09:00:00+07:00');
      expect(sut.isWorkingInstant(at('2026-08-22T08:00:00'))).toBe(true);
      expect(sut.isWorkingInstant(at('2026-08-29T08:00:00'))).toBe(false);
    });

    it('crosses the year boundary, New Year’s day and the swapped Friday 2 Jan', () => {
      expect(iso(sut.due(at('2025-12-31T16:00:00'), 2, 'WD').due)).toBe('2026-01-06T16:00:00+07:00');
    });

    it('skips Friday 2 Jan 2026 and works Saturday 10 Jan 2026 (letter 12729/VPCP-KGVX)', () => {
      expect(iso(sut.due(at('2025-12-31T16:00:00'), 1, 'WD').due)).toBe('2026-01-05T16:00:00+07:00');
      expect(iso(sut.due(at('2026-01-09T16:00:00'), 1, 'WD').due)).toBe('2026-01-10T16:00:00+07:00');
      expect(iso(sut.due(at('2026-01-09T09:00:00'), 2, 'WD').due)).toBe('2026-01-12T09:00:00+07:00');
      expect(sut.isWorkingInstant(at('2026-01-02T08:00:00'))).toBe(false);
      expect(sut.isWorkingInstant(at('2026-01-10T08:00:00'))).toBe(true);
    });

    it('keeps the time of day when counting starts at an opening (13:30), and ends whole days at the close', () => {
      expect(iso(sut.due(at('2026-03-17T07:00:00'), 1, 'WD').due)).toBe('2026-03-17T17:00:00+07:00');
      expect(iso(sut.due(at('2026-03-17T13:30:00'), 2, 'WD').due)).toBe('2026-03-19T13:30:00+07:00');
      // Working hours are not days: 1.5 WH from 10:00 ends before lunch.
      expect(iso(sut.due(at('2026-03-17T10:00:00'), 1.5, 'WH').due)).toBe('2026-03-17T11:30:00+07:00');
    });

    it('counts quarters of a day and working hours', () => {
      expect(iso(sut.due(at('2026-03-17T10:00:00'), 0.25, 'WD').due)).toBe('2026-03-17T14:00:00+07:00');
      expect(iso(sut.due(at('2026-03-17T16:00:00'), 4, 'WH').due)).toBe('2026-03-18T10:00:00+07:00');
    });

    it('ends a calendar-day period falling on a day off at the close of the next working day', () => {
      expect(iso(sut.due(at('2026-02-13T09:00:00'), 3, 'CD').due)).toBe('2026-02-23T17:00:00+07:00');
      expect(iso(sut.due(at('2026-03-16T09:00:00'), 2, 'CD').due)).toBe('2026-03-18T09:00:00+07:00');
    });
  });

  describe('7. due at the close of a day', () => {
    it('ends a count started at 07:00 at 17:00 of its last day, not at 07:00 of the next working day', () => {
      expect(iso(sut.due(at('2026-03-16T07:00:00'), 5, 'WD').due)).toBe('2026-03-20T17:00:00+07:00');
      expect(iso(sut.due(at('2026-03-16T07:00:00'), 8, 'WH').due)).toBe('2026-03-16T17:00:00+07:00');
    });

    it('does not carry a whole day over Tết: Friday 13 Feb 07:00 + 1 WD is 17:00 the same day', () => {
      expect(iso(sut.due(at('2026-02-13T07:00:00'), 1, 'WD').due)).toBe('2026-02-13T17:00:00+07:00');
    });

    it('keeps the next opening for an execution from before the rule (replay)', () => {
      const before = sut.withDueAtClose(false);
      expect(iso(before.due(at('2026-03-16T07:00:00'), 5, 'WD').due)).toBe('2026-03-23T07:00:00+07:00');
      expect(before.dueAtClose).toBe(false);
      expect(sut.dueAtClose).toBe(true);
    });

    it('maps an instant at a day’s opening to the previous working day’s close', () => {
      expect(iso(sut.lastWorkingInstant(at('2026-02-23T07:00:00')))).toBe('2026-02-13T17:00:00+07:00');
      expect(iso(sut.lastWorkingInstant(at('2026-03-17T12:00:00')))).toBe('2026-03-17T11:30:00+07:00');
      expect(iso(sut.lastWorkingInstant(at('2026-03-17T09:40:00')))).toBe('2026-03-17T09:40:00+07:00');
    });
  });

  describe('6. same-day transfer rule', () => {
    const electronic = { medium: 'ELECTRONIC' as const, nextDayFrom: '15:00' };

    it('transfers an electronic dossier received before 15:00 by the close of the same day', () => {
      expect(iso(sut.transferDue(at('2026-03-17T09:40:00'), electronic))).toBe('2026-03-17T17:00:00+07:00');
      expect(iso(sut.transferDue(at('2026-03-17T14:59:00'), electronic))).toBe('2026-03-17T17:00:00+07:00');
    });

    it('transfers one received at or after 15:00 the next working day', () => {
      expect(iso(sut.transferDue(at('2026-03-17T15:00:00'), electronic))).toBe('2026-03-18T17:00:00+07:00');
      expect(iso(sut.transferDue(at('2026-03-20T16:30:00'), electronic))).toBe('2026-03-23T17:00:00+07:00');
    });

    it('counts one received after hours or on a day off from the next working morning (the same day rule)', () => {
      expect(iso(sut.transferDue(at('2026-03-17T18:00:00'), electronic))).toBe('2026-03-18T17:00:00+07:00');
      expect(iso(sut.transferDue(at('2026-03-21T10:00:00'), electronic))).toBe('2026-03-23T17:00:00+07:00');
    });

    it('gives a paper dossier one working day', () => {
      const paper = { medium: 'PAPER' as const };
      expect(iso(sut.transferDue(at('2026-03-17T09:40:00'), paper))).toBe('2026-03-18T09:40:00+07:00');
      expect(iso(sut.transferDue(at('2026-03-20T16:30:00'), paper))).toBe('2026-03-23T16:30:00+07:00');
    });
  });

  describe('cut-offs', () => {
    it('counts receipt in the lunch break from 13:30 and after hours from the next working start', () => {
      expect(iso(sut.anchor(at('2026-03-17T12:10:00')))).toBe('2026-03-17T13:30:00+07:00');
      expect(iso(sut.anchor(at('2026-02-13T18:00:00')))).toBe('2026-02-23T07:00:00+07:00');
      expect(iso(sut.due(at('2026-03-17T12:10:00'), 1, 'WD').due)).toBe('2026-03-18T13:30:00+07:00');
    });

    it('counts receipt in the last office hour from the next working day when the policy says so', () => {
      expect(iso(sut.anchor(at('2026-03-17T16:10:00')))).toBe('2026-03-17T16:10:00+07:00');
      expect(iso(sut.anchor(at('2026-03-17T16:10:00'), { lastOfficeHour: true }))).toBe('2026-03-18T07:00:00+07:00');
      expect(iso(sut.anchor(at('2026-03-17T15:50:00'), { lastOfficeHour: true }))).toBe('2026-03-17T15:50:00+07:00');
    });

    it('applies a cut-off time such as 15:00 (same day, or next working day after 15:00)', () => {
      expect(iso(sut.anchor(at('2026-03-20T15:05:00'), { cutoffTime: '15:00' }))).toBe('2026-03-23T07:00:00+07:00');
      expect(iso(sut.anchor(at('2026-03-20T14:55:00'), { cutoffTime: '15:00' }))).toBe('2026-03-20T14:55:00+07:00');
    });
  });

  describe('elapsed working time', () => {
    it('measures across Tết in working days', () => {
      expect(sut.workingBetween(at('2026-02-13T16:30:00'), at('2026-02-25T16:30:00')) / WORKING_DAY_MS).toBe(3);
      expect(sut.workingBetween(at('2026-02-14T08:00:00'), at('2026-02-22T20:00:00'))).toBe(0);
    });
  });

  describe('scopes', () => {
    it('lets a province add a holiday and an agency add a make-up day to the national schedule', () => {
      const year = effectiveYear(2026, [
        { ...OFFICIAL_VIETNAM_YEARS[1], scope: 'VN' },
        {
          scope: 'H36',
          year: 2026,
          holidays: [{ date: '2026-04-01', name: 'Ngày truyền thống tỉnh' }],
          makeupWorkdays: [],
        },
        { scope: '000.00.12.H36', year: 2026, holidays: [], makeupWorkdays: [{ date: '2026-04-01', name: 'Trực' }] },
      ]);
      expect(year.scopes).toEqual(['VN', 'H36', '000.00.12.H36']);
      expect(year.holidays.map((d) => d.date)).not.toContain('2026-04-01');
      expect(year.makeupWorkdays.map((d) => d.date)).toEqual(['2026-01-10', '2026-04-01', '2026-08-22']);
    });

    it('falls back to the Labour Code holidays with lunar dates for years without a schedule', () => {
      const y2030 = statutoryHolidays(2030);
      expect(y2030.source).toBe('COMPUTED');
      // Tết 2030 is Saturday 2 Feb: 1–5 Feb off, the weekend days compensated on the following weekdays.
      expect(y2030.holidays.map((d) => d.date)).toEqual(
        expect.arrayContaining(['2030-02-01', '2030-02-04', '2030-02-05', '2030-02-06', '2030-02-07']),
      );
      const cal = createScopedCalendar({ timeZone: 'Asia/Ho_Chi_Minh', entries: [], chain: ['VN'] });
      expect(cal.isWorkingInstant(at('2030-02-04T09:00:00'))).toBe(false);
    });
  });

  describe('properties (10 years, holidays, year boundaries)', () => {
    const instant = fc
      .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2033, 11, 31) })
      .map((ms) => new Date(Math.floor(ms / 60_000) * 60_000));
    const quarterDays = fc.integer({ min: 1, max: 400 }).map((q) => q / 4);

    it('measuring what was added gives the amount back', () => {
      fc.assert(
        fc.property(instant, quarterDays, (from, amount) => {
          const { anchor, due } = sut.due(from, amount, 'WD');
          return (
            sut.workingBetween(anchor, due) === amount * WORKING_DAY_MS &&
            sut.workingBetween(from, due) === amount * WORKING_DAY_MS
          );
        }),
        { numRuns: 2000 },
      );
    });

    it('is monotonic in the amount and in the start', () => {
      fc.assert(
        fc.property(instant, instant, quarterDays, quarterDays, (a, b, x, y) => {
          const [from1, from2] = a <= b ? [a, b] : [b, a];
          const [small, large] = x <= y ? [x, y] : [y, x];
          return (
            sut.due(from1, small, 'WD').due <= sut.due(from1, large, 'WD').due &&
            sut.due(from1, small, 'WD').due <= sut.due(from2, small, 'WD').due
          );
        }),
        { numRuns: 2000 },
      );
    });

    it('never ends inside non-working time', () => {
      fc.assert(
        fc.property(
          instant,
          quarterDays,
          fc.constantFrom('WD' as const, 'WH' as const, 'CD' as const),
          (from, amount, unit) => {
            const { due } = sut.due(from, amount, unit);
            // In office hours, or the very end of an office interval (the closing instant itself).
            return sut.isWorkingInstant(due) || sut.isWorkingInstant(new Date(due.getTime() - 1));
          },
        ),
        { numRuns: 3000 },
      );
    });

    it('agrees with a minute-by-minute walk', () => {
      fc.assert(
        fc.property(
          instant,
          fc.integer({ min: 1, max: 12 }).map((q) => q / 4),
          (from, amount) => {
            let t = sut.anchor(from).getTime();
            let left = amount * 8 * 60;
            while (left > 0) {
              if (sut.isWorkingInstant(new Date(t))) {
                left -= 1;
              }
              t += 60_000;
            }
            // The walk finds the earliest instant; the engine may give the opening after it (same working position).
            const due = sut.due(from, amount, 'WD').due;
            return due.getTime() === t || (due.getTime() > t && sut.workingBetween(new Date(t), due) === 0);
          },
        ),
        { numRuns: 150 },
      );
    });
  });

  describe(formatLocalIso.name, () => {
    it('writes whole seconds without a fraction and keeps milliseconds when there are some', () => {
      expect(formatLocalIso(sut, at('2026-02-25T16:30:00'))).toBe('2026-02-25T16:30:00+07:00');
      expect(formatLocalIso(sut, new Date('2027-01-19T00:10:29.464Z'))).toBe('2027-01-19T07:10:29.464+07:00');
      expect(formatLocalIso(sut, new Date('2027-01-19T00:10:29.004Z'))).toBe('2027-01-19T07:10:29.004+07:00');
    });

    it('reads back as the instant it was given', () => {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) }), (ms) => {
          expect(new Date(formatLocalIso(sut, new Date(ms))).getTime()).toBe(ms);
        }),
      );
    });
  });
});
