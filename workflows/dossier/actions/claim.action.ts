import { type StepInstance } from '../../dossier.types';
import { requireFits, requireStep } from '../guards';
import { RuleViolation } from '../rule-violation';
import { current, event } from '../state';
import { type ActionHandler } from './action-handler';

/** An officer takes the open step that nobody holds. */
export const claim: ActionHandler<'claim'> = {
  permit(d, actor) {
    const held = requireStep(d, ['IN_PROGRESS', 'READY_FOR_RETURN'], 'claim');
    if (held.holderId !== null) {
      throw new RuleViolation(
        'INVALID_STATE',
        `Step ${held.code} "${held.name}" is already held by ${held.holderName ?? held.holderId}.`,
      );
    }
    requireFits(actor, held, 'claim');
  },
  validate() {},
  perform(d, actor, _request, now) {
    const step = current(d) as StepInstance;
    step.holderId = actor.officerId;
    step.holderName = actor.fullName;
    return [
      event(d, 'STEP_CLAIMED', now.toISOString(), {
        actorId: actor.officerId,
        payload: { step: step.code, stepNo: step.no },
      }),
    ];
  },
};
