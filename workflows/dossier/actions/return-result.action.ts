import { NationalStatus } from '../../../libs/domain/src';
import { requireDesk, requireFits, requireState } from '../guards';
import { current, event } from '../state';
import { closeStep } from '../steps';
import { type ActionHandler } from './action-handler';

/** The result (or the refusal) is handed to the applicant: the dossier is over. */
export const returnResult: ActionHandler<'return-result'> = {
  permit(d, actor) {
    requireState(d, ['READY_FOR_RETURN'], 'return-result');
    const step = current(d);
    if (step) {
      requireFits(actor, step, 'return the result of');
    } else {
      requireDesk(d, actor, 'return the result');
    }
  },
  validate() {},
  perform(d, actor, request, now) {
    if (current(d)) {
      const step = closeStep(d, now, 'RESULT_RETURNED', request.note ?? null);
      step.holderId ??= actor.officerId;
      step.holderName ??= actor.fullName;
    }
    d.state = 'RESULT_RETURNED';
    d.nationalStatus = NationalStatus.RESULT_RETURNED;
    return [
      event(d, 'RESULT_RETURNED', now.toISOString(), {
        actorId: actor.officerId,
        payload: { deliveryMethod: request.deliveryMethod, note: request.note ?? null, outcome: d.outcome },
      }),
    ];
  },
};
