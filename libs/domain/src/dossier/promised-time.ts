import { type WorkingCalendar } from '../../../calendar/src';
import { budgetMs, dueAt } from './deadline-clock';
import { type DossierWorkflowSnapshot } from './dossier-process.types';
import { judgeTimeliness, type Timeliness, type TimelinessPolicy } from './timeliness';

/** How the reports judge a finished dossier: against the due time it was promised, with that due time. */
export interface PromiseJudgement {
  /** The due time without the extension (null when the dossier was not extended). */
  originalDueAt: string | null;
  timeliness: Timeliness | null;
}

/**
 * An apology letter (form 04) sets a new return time for the applicant, but the dossier is still judged against the
 * one it was promised (domain §3): finished after it, it is late, with apology. That due time is the dossier's clock
 * without the extension's extra time: it moves with pauses and a restart, as the promise did, but not with the letter.
 */
export function judgeAgainstPromise(
  calendar: WorkingCalendar,
  p: Pick<DossierWorkflowSnapshot, 'deadline' | 'finishedAt' | 'timeliness'>,
  policy: TimelinessPolicy = 'DUE_DAY',
): PromiseJudgement {
  const { deadline } = p;
  if (!deadline.extended) {
    return { originalDueAt: null, timeliness: p.timeliness };
  }
  const original = dueAt(calendar, {
    ...deadline.clock,
    budgetMs: budgetMs(deadline.budget.amount, deadline.budget.unit),
  });
  return {
    originalDueAt: original?.toISOString() ?? null,
    // Only a result (approved or refused) is judged; a withdrawal has no timeliness.
    timeliness:
      p.timeliness && p.finishedAt && original
        ? judgeTimeliness(calendar, new Date(p.finishedAt), original, policy)
        : p.timeliness,
  };
}
