import { NationalStatus } from '../../../libs/domain/src';
import { pause } from '../clock';
import { requireHolder, requireText } from '../guards';
import { RuleViolation } from '../rule-violation';
import { event, ledger } from '../state';
import { ledgerLine } from '../texts';
import { type ActionHandler } from './action-handler';

/** The holder asks the applicant to pay a fee: the clock pauses until the payment is recorded. */
export const requestPayment: ActionHandler<'request-payment'> = {
  permit(d, actor) {
    requireHolder(d, actor, 'request-payment');
  },
  validate(_d, request) {
    if (!(request.amount > 0)) {
      throw new RuleViolation('INVALID_REQUEST', 'amount must be the sum to pay in đồng, above 0.');
    }
    requireText(request.reason, 'reason');
  },
  perform(d, actor, request, now) {
    const at = now.toISOString();
    pause(d, at, 'PAYMENT');
    d.state = 'AWAITING_PAYMENT';
    d.nationalStatus = NationalStatus.FINANCIAL_OBLIGATION;
    ledger(d, at, 'PAUSE', {
      explanation: ledgerLine.paymentPause(d, now, request.amount, request.reason),
      by: actor.officerId,
    });
    return [
      event(d, 'PAYMENT_REQUESTED', at, {
        actorId: actor.officerId,
        payload: { amount: request.amount, reason: request.reason },
      }),
    ];
  },
};
