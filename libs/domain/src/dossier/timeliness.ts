import { type WorkingCalendar } from '../../../calendar/src';

/** Kết quả: finished before the due day, on the due day up to the due time, or after it. */
export const TIMELINESS = ['EARLY', 'ON_TIME', 'LATE'] as const;
export type Timeliness = (typeof TIMELINESS)[number];

export const TIMELINESS_LABELS: Record<Timeliness, string> = {
  EARLY: 'Trước hạn',
  ON_TIME: 'Đúng hạn',
  LATE: 'Quá hạn',
};

/**
 * How finishing is judged against the promised time (domain §3, a deployment policy):
 * DUE_DAY (default) early before the due day, on time on it up to the due time; EXACT compares instants only;
 * SAME_DATE counts anything on the due date as on time.
 */
export type TimelinessPolicy = 'DUE_DAY' | 'EXACT' | 'SAME_DATE';

export function judgeTimeliness(
  calendar: WorkingCalendar,
  finishedAt: Date,
  due: Date,
  policy: TimelinessPolicy = 'DUE_DAY',
): Timeliness {
  const finishedDay = calendar.local(finishedAt.getTime()).day;
  const dueDay = calendar.local(due.getTime()).day;
  switch (policy) {
    case 'EXACT':
      return finishedAt.getTime() < due.getTime()
        ? 'EARLY'
        : finishedAt.getTime() === due.getTime()
          ? 'ON_TIME'
          : 'LATE';
    case 'SAME_DATE':
      return finishedDay < dueDay ? 'EARLY' : finishedDay === dueDay ? 'ON_TIME' : 'LATE';
    case 'DUE_DAY':
      return finishedAt.getTime() > due.getTime() ? 'LATE' : finishedDay < dueDay ? 'EARLY' : 'ON_TIME';
  }
}
