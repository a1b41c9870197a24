import { NationalStatus, type TransitionEvent } from '../../../libs/domain/src';
import { requireDesk, requireFits, requireState } from '../guards';
import { current, type Dossier, event, isReturnStep, rule } from '../state';
import { closeStep, finishProcessing } from '../steps';
import { type ActionHandler } from './action-handler';

/** A procedure returned at once has only the desk's step: the result is handed over from it, in progress. */
const returnsFromHere = (d: Dossier): boolean => {
  const step = current(d);
  return d.patches.immediateReturn && d.state === 'IN_PROGRESS' && step !== null && isReturnStep(rule(d, step.code));
};

/**
 * The result (or the refusal) is handed to the applicant: the dossier is over. A procedure returned at once is
 * processed and returned by this one action of the desk, in the visit.
 */
export const returnResult: ActionHandler<'return-result'> = {
  permit(d, actor) {
    if (returnsFromHere(d)) {
      requireFits(actor, current(d)!, 'return the result of');
      return;
    }
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
    const atOnce = returnsFromHere(d);
    const step = current(d);
    if (step) {
      closeStep(d, now, 'RESULT_RETURNED', request.note ?? null);
      step.holderId ??= actor.officerId;
      step.holderName ??= actor.fullName;
    }
    const processed: TransitionEvent[] = atOnce
      ? finishProcessing(d, now, 'APPROVED', actor, { step: step!.code }, 'PROCESSED', null)
      : [];
    d.state = 'RESULT_RETURNED';
    d.nationalStatus = NationalStatus.RESULT_RETURNED;
    return [
      ...processed,
      event(d, 'RESULT_RETURNED', now.toISOString(), {
        actorId: actor.officerId,
        payload: { deliveryMethod: request.deliveryMethod, note: request.note ?? null, outcome: d.outcome },
      }),
    ];
  },
};
