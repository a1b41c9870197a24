import { NationalStatus } from '../../../libs/domain/src';
import { requireDesk, requireState, requireText } from '../guards';
import { event } from '../state';
import { stopProcessing } from '../steps';
import { type ActionHandler } from './action-handler';

/** The desk records the applicant's withdrawal: the dossier ends here. */
export const withdraw: ActionHandler<'withdraw'> = {
  permit(d, actor) {
    requireState(d, ['IN_PROGRESS', 'AWAITING_SUPPLEMENT', 'AWAITING_PAYMENT'], 'withdraw');
    requireDesk(d, actor, 'record a withdrawal');
  },
  validate(_d, request) {
    requireText(request.reason, 'reason');
  },
  perform(d, actor, request, now) {
    const end = { state: 'WITHDRAWN', outcome: 'WITHDRAWN', nationalStatus: NationalStatus.WITHDRAWN } as const;
    stopProcessing(d, now, { ...end, note: request.reason });
    return [
      event(d, 'WITHDRAWN', now.toISOString(), { actorId: actor.officerId, payload: { reason: request.reason } }),
    ];
  },
};
