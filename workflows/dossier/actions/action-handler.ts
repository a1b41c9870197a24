import { type TransitionEvent } from '../../../libs/domain/src';
import { type Actor, type DossierAction } from '../../dossier.types';
import { type Dossier, type Request } from '../state';

/**
 * One officer action: who may take it and when, what it must carry, and what it does. `permit` and `validate`
 * throw a RuleViolation naming the reason and change nothing; `perform` runs only after both passed (here, or in
 * the segment's child workflow that holds the step) and returns the events to persist, in order.
 */
export interface ActionHandler<A extends DossierAction['action'] = DossierAction['action']> {
  permit(d: Dossier, actor: Actor, now: Date): void;
  validate(d: Dossier, request: Request<A>): void;
  perform(d: Dossier, actor: Actor, request: Request<A>, now: Date): TransitionEvent[];
}
