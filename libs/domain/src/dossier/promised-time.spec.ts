import { createScopedCalendar, statutoryHolidays, WORKING_DAY_MS } from '../../../calendar/src';
import { type DossierDeadline } from './dossier-process.types';
import { judgeAgainstPromise } from './promised-time';

const calendar = createScopedCalendar({
  timeZone: 'Asia/Ho_Chi_Minh',
  chain: ['VN'],
  entries: [{ scope: 'VN', ...statutoryHolidays(2030), legalBasis: 'Bộ luật Lao động 2019' }],
});
const iso = (local: string): string => new Date(`${local}:00+07:00`).toISOString();

/** Example A (30 WD from 09:40 on 6 May 2030, promised for 09:40 on 17 June), extended by 5 WD to 24 June. */
const extended = (pauses: DossierDeadline['clock']['pauses'] = []): DossierDeadline => ({
  anchorAt: iso('2030-05-06T09:40'),
  budget: { amount: 30, unit: 'WD' },
  promisedAt: iso('2030-06-17T09:40'),
  dueAt: null,
  warningAt: null,
  clock: { startedAt: iso('2030-05-06T09:40'), unit: 'WD', budgetMs: 35 * WORKING_DAY_MS, pauses },
  pausedSince: null,
  pauseReason: null,
  extended: true,
  supplementRequests: pauses.length,
  ledger: [],
});

describe(judgeAgainstPromise.name, () => {
  it('3. An extended dossier is not "on time": finished before its new time but after the promised one, it is late', () => {
    const judged = judgeAgainstPromise(calendar, {
      deadline: extended(),
      finishedAt: iso('2030-06-19T10:00'),
      timeliness: 'EARLY', // as the workflow judged it, against the new return time (24 June)
    });
    expect(judged).toEqual({ originalDueAt: iso('2030-06-17T09:40'), timeliness: 'LATE' });
  });

  it('keeps an extended dossier finished before the promised time early', () => {
    const judged = judgeAgainstPromise(calendar, {
      deadline: extended(),
      finishedAt: iso('2030-06-14T10:00'),
      timeliness: 'EARLY',
    });
    expect(judged.timeliness).toBe('EARLY');
  });

  it('moves the promised time by a pause for a supplement, as the promise itself moved', () => {
    // A week (5 WD) waiting for documents: the promise moved to 24 June, the letter's time to 1 July.
    const pauses = [{ from: iso('2030-05-13T09:40'), to: iso('2030-05-20T09:40'), reason: 'SUPPLEMENT' as const }];
    const judged = judgeAgainstPromise(calendar, {
      deadline: extended(pauses),
      finishedAt: iso('2030-06-24T09:00'),
      timeliness: 'EARLY',
    });
    expect(judged).toEqual({ originalDueAt: iso('2030-06-24T09:40'), timeliness: 'ON_TIME' });
  });

  it('leaves a dossier that was never extended as the workflow judged it', () => {
    const judged = judgeAgainstPromise(calendar, {
      deadline: { ...extended(), extended: false, clock: { ...extended().clock, budgetMs: 30 * WORKING_DAY_MS } },
      finishedAt: iso('2030-06-19T10:00'),
      timeliness: 'LATE',
    });
    expect(judged).toEqual({ originalDueAt: null, timeliness: 'LATE' });
  });
});
