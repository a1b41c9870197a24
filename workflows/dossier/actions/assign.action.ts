import { type StepInstance } from '../../dossier.types';
import { leads, requireFits, requireStep } from '../guards';
import { RuleViolation } from '../rule-violation';
import { current, event } from '../state';
import { assigned } from '../steps';
import { type ActionHandler } from './action-handler';

/** A head or leader of the step's unit gives the open step to one of its officers. */
export const assign: ActionHandler<'assign'> = {
  permit(d, actor) {
    const held = requireStep(d, ['IN_PROGRESS', 'READY_FOR_RETURN'], 'assign');
    if (!actor.headOfUnits.includes(held.unit) && !leads(actor, held.unit)) {
      throw new RuleViolation(
        'ROLE_NOT_ALLOWED',
        `Only a head or leader of unit ${held.unit} may assign step ${held.code}; ${actor.username} is not one.`,
      );
    }
  },
  validate(d, request) {
    requireFits(request.assignee, current(d) as StepInstance, 'be assigned');
  },
  perform(d, actor, request, now) {
    const step = current(d) as StepInstance;
    step.holderId = request.assignee.officerId;
    step.holderName = request.assignee.fullName;
    return [
      event(d, 'STEP_ASSIGNED', now.toISOString(), {
        actorId: actor.officerId,
        payload: { step: step.code, stepNo: step.no, assigneeId: request.assignee.officerId },
        notifications: [assigned(d, step)],
      }),
    ];
  },
};
