import { requireHolder, requireList, requireRefusalSigner } from '../guards';
import { closeStep, finishProcessing } from '../steps';
import { type ActionHandler } from './action-handler';

/**
 * The holder of a leader's step refuses the dossier on the merits (form 03): processing ends and the refusal waits
 * at the return desk. A specialist or clerk who finds it ineligible sends the draft up instead.
 */
export const refuse: ActionHandler<'refuse'> = {
  permit(d, actor) {
    requireRefusalSigner(d, requireHolder(d, actor, 'refuse'));
  },
  validate(_d, request) {
    requireList(request.reasons, 'reasons must state why the dossier is refused (form 03).');
  },
  perform(d, actor, request, now) {
    const step = closeStep(d, now, 'REFUSED', request.reasons.join('; '));
    return finishProcessing(d, now, 'REFUSED', actor, { reasons: request.reasons, step: step.code }, 'REFUSED');
  },
};
