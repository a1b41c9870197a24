import { inWorkingDays, NationalStatus } from '../../../libs/domain/src';
import { resume } from '../clock';
import { isPaymentGateway, requireDesk } from '../guards';
import { RuleViolation } from '../rule-violation';
import { event, isTerminal, ledger } from '../state';
import { ledgerLine } from '../texts';
import { type ActionHandler } from './action-handler';

/**
 * The desk records a payment (or, since the payment-gateway patch, the gateway's verified notification does, online);
 * a dossier waiting for it goes back into processing.
 */
export const recordPayment: ActionHandler<'record-payment'> = {
  permit(d, actor) {
    if (isTerminal(d)) {
      throw new RuleViolation('INVALID_STATE', `Dossier ${d.input.dossierCode} is closed (${d.state}).`);
    }
    if (!isPaymentGateway(d, actor)) {
      requireDesk(d, actor, 'record a payment');
    }
  },
  validate(_d, request) {
    if (!(request.amount > 0)) {
      throw new RuleViolation('INVALID_REQUEST', 'amount must be the sum paid in đồng, above 0.');
    }
  },
  perform(d, actor, request, now) {
    const at = now.toISOString();
    d.paid = true;
    const recorded = event(d, 'PAYMENT_RECORDED', at, {
      actorId: actor.officerId,
      payload: { amount: request.amount, method: request.method, reference: request.reference ?? null },
    });
    if (d.state === 'AWAITING_PAYMENT') {
      const waited = resume(d, at);
      d.state = 'IN_PROGRESS';
      d.nationalStatus = NationalStatus.PROCESSING;
      ledger(d, at, 'RESUME', { explanation: ledgerLine.paid(d, now, inWorkingDays(waited)), by: actor.officerId });
      recorded.nationalStatus = d.nationalStatus;
    }
    return [recorded];
  },
};
