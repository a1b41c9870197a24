import { type TransitionEvent } from '../../../libs/domain/src';
import { type Actor, type DossierAction, type DossierActionCommand } from '../../dossier.types';
import { requireHere } from '../guards';
import { type Dossier } from '../state';
import { type ActionHandler } from './action-handler';
import { assign } from './assign.action';
import { claim } from './claim.action';
import { complete } from './complete.action';
import { recordPayment } from './record-payment.action';
import { refuse } from './refuse.action';
import { requestExtension } from './request-extension.action';
import { requestPayment } from './request-payment.action';
import { requestSupplement } from './request-supplement.action';
import { sendBack } from './return.action';
import { returnResult } from './return-result.action';
import { submitSupplement } from './submit-supplement.action';
import { withdraw } from './withdraw.action';

/** One handler per action, each typed by its own request (a plain Record would widen them all to every action). */
export type ActionTable = { [A in DossierAction['action']]: ActionHandler<A> };

/** Every officer action, by name. */
export const ACTIONS = {
  claim,
  assign,
  complete,
  return: sendBack,
  'request-supplement': requestSupplement,
  'submit-supplement': submitSupplement,
  refuse,
  'request-extension': requestExtension,
  withdraw,
  'request-payment': requestPayment,
  'record-payment': recordPayment,
  'return-result': returnResult,
} satisfies ActionTable;

const table: ActionTable = ACTIONS;
const handler = <A extends DossierAction['action']>(action: A): ActionHandler<A> => table[action];

/** Who may take the action, and when: where the dossier is, state, step, holder, role, limits and time. */
export function permit(d: Dossier, actor: Actor, action: DossierAction['action'], now: Date): void {
  requireHere(d, action);
  handler(action).permit(d, actor, now);
}

/** What the action carries, once `permit` let it through: targets, assignees, reasons, amounts. */
export function validate(d: Dossier, request: DossierAction): void {
  handler(request.action).validate(d, request);
}

/** Carries an action out (checked here, or by the segment's child workflow that holds the step). */
export function perform(d: Dossier, { actor, request }: DossierActionCommand, now: Date): TransitionEvent[] {
  return handler(request.action).perform(d, actor, request, now);
}
