import { resumeAfterSupplement } from '../clock';
import { requireDesk, requireState } from '../guards';
import { type ActionHandler } from './action-handler';

/** The desk hands in the applicant's documents: the clock resumes, or restarts, by the procedure's policy. */
export const submitSupplement: ActionHandler<'submit-supplement'> = {
  permit(d, actor) {
    requireState(d, ['AWAITING_SUPPLEMENT'], 'submit-supplement');
    requireDesk(d, actor, 'hand in the supplement');
  },
  validate() {},
  perform(d, actor, request, now) {
    return resumeAfterSupplement(d, actor, request.note ?? null, now);
  },
};
