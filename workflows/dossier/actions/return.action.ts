import { type StepInstance } from '../../dossier.types';
import { requireHolder, requireText } from '../guards';
import { RuleViolation } from '../rule-violation';
import { current, event, rule } from '../state';
import { arrivedOrAssigned, closeStep, openStep } from '../steps';
import { type ActionHandler } from './action-handler';

/** The holder sends the dossier back to a step it has been through, to whoever last held that step. */
export const sendBack: ActionHandler<'return'> = {
  permit(d, actor) {
    requireHolder(d, actor, 'return');
  },
  validate(d, request) {
    const held = current(d) as StepInstance;
    const earlier = d.steps.slice(0, -1).map((s) => s.code);
    if (request.toStep === held.code || !earlier.includes(request.toStep)) {
      throw new RuleViolation(
        'WRONG_STEP',
        `A dossier can only be sent back to a step it has been through (${[...new Set(earlier)].join(', ') || 'none'}); not ${request.toStep}.`,
      );
    }
    requireText(request.reason, 'reason');
  },
  perform(d, actor, request, now) {
    const at = now.toISOString();
    const step = closeStep(d, now, 'RETURNED', request.reason);
    const target = rule(d, request.toStep);
    const previous = [...d.steps].reverse().find((s) => s.code === target.code);
    step.handedTo = target.unit;
    const next = openStep(
      d,
      target,
      at,
      previous?.holderId ? { id: previous.holderId, name: previous.holderName } : null,
    );
    return [
      event(d, 'STEP_RETURNED', at, {
        actorId: actor.officerId,
        payload: { from: step.code, to: target.code, reason: request.reason, result: step.result },
        notifications: [arrivedOrAssigned(d, next)],
      }),
    ];
  },
};
