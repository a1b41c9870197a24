/** The checks actions share: each throws a RuleViolation naming the reason, and changes nothing. */
import { DEFAULT_SIGNING, PAYMENT_GATEWAY_ROLE, type SigningRole } from '../../libs/domain/src';
import { type Actor, type DossierAction, type DossierState, type StepInstance } from '../dossier.types';
import { RuleViolation } from './rule-violation';
import { current, DOSSIER_LEVEL_ACTIONS, type Dossier } from './state';

const LEADING_ROLES = ['UNIT_HEAD', 'DIVISION_HEAD', 'AGENCY_LEADER'];

/**
 * The dossier takes the action here: not while a segment's child workflow holds it (that workflow does), and while
 * a partner system holds it only the desk's dossier-level actions the partner cannot take itself.
 */
export function requireHere(d: Dossier, action: DossierAction['action']): void {
  if (d.delegated?.external) {
    const { segment } = d.delegated;
    if (!DOSSIER_LEVEL_ACTIONS.includes(action) || action === 'refuse') {
      throw new RuleViolation(
        'INVALID_STATE',
        `Dossier ${d.input.dossierCode} is with partner system ${segment.partner} (segment ${segment.code} "${segment.name}"); its answer comes through the hand-off callback, not an action here.`,
      );
    }
    if (['request-supplement', 'request-extension', 'request-payment'].includes(action)) {
      throw new RuleViolation(
        'INVALID_STATE',
        `Only partner system ${segment.partner} may ${action} while it has the dossier.`,
      );
    }
  } else if (d.delegated) {
    const { segment } = d.delegated;
    throw new RuleViolation(
      'DELEGATED',
      `Dossier ${d.input.dossierCode} is with ${segment.agency} (segment ${segment.code} "${segment.name}"); its workflow ${segment.workflowId} takes the action.`,
      { workflowId: segment.workflowId, segment: segment.code },
    );
  }
}

export function requireState(d: Dossier, states: DossierState[], action: string): void {
  if (!states.includes(d.state)) {
    throw new RuleViolation(
      'INVALID_STATE',
      `Cannot ${action} dossier ${d.input.dossierCode}: it is ${d.state}, and ${action} needs ${states.join(' or ')}.`,
    );
  }
}

/** The dossier is in one of `states` with a step open; returns the step. */
export function requireStep(d: Dossier, states: DossierState[], action: string): StepInstance {
  requireState(d, states, action);
  const step = current(d);
  if (!step) {
    throw new RuleViolation('INVALID_STATE', `Dossier ${d.input.dossierCode} has no open step to ${action}.`);
  }
  return step;
}

/** The actor holds the open step of a dossier in progress; returns the step. */
export function requireHolder(d: Dossier, actor: Actor, action: string): StepInstance {
  const step = requireStep(d, ['IN_PROGRESS'], action);
  if (step.holderId === null) {
    throw new RuleViolation(
      'NOT_HOLDER',
      `Step ${step.code} "${step.name}" has no holder yet: claim it (or have it assigned) before you ${action}.`,
    );
  }
  if (step.holderId !== actor.officerId) {
    throw new RuleViolation(
      'NOT_HOLDER',
      `Step ${step.code} "${step.name}" is held by ${step.holderName ?? step.holderId}; only the holder may ${action}.`,
    );
  }
  return step;
}

/** The officer has the step's role in the step's unit. */
export function requireFits(officer: Actor, step: StepInstance, what: string): void {
  if (!officer.roles.includes(step.role) || !officer.unitCodes.includes(step.unit)) {
    throw new RuleViolation(
      'ROLE_NOT_ALLOWED',
      `Step ${step.code} "${step.name}" is for a ${step.role} of unit ${step.unit}; ${officer.username} cannot ${what} it.`,
    );
  }
}

/** The actor is a clerk of the receiving desk, or a connected system. */
export function requireDesk(d: Dossier, actor: Actor, what: string): void {
  const desk = actor.roles.includes('DESK_CLERK') && actor.unitCodes.includes(d.input.receivingUnitCode);
  if (!desk && !actor.roles.includes('AGENCY_SYSTEM')) {
    throw new RuleViolation(
      'ROLE_NOT_ALLOWED',
      `Only the receiving desk (${d.input.receivingUnitCode}) or a connected system may ${what}; ${actor.username} cannot.`,
    );
  }
}

/** The actor is the payment gateway's adapter, and the dossier runs with the rule that lets it record a payment. */
export const isPaymentGateway = (d: Dossier, actor: Actor): boolean =>
  d.patches.paymentGateway && actor.roles.includes(PAYMENT_GATEWAY_ROLE);

/** The actor leads `unit` (its head, a division head or the agency's leader). */
export const leads = (actor: Actor, unit: string): boolean =>
  actor.unitCodes.includes(unit) && actor.roles.some((r) => LEADING_ROLES.includes(r));

export function requireText(text: string, field: string): void {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new RuleViolation('INVALID_REQUEST', `${field} must not be empty.`);
  }
}

/** Every entry is there and not blank. */
export function requireList(list: string[] | undefined, message: string): void {
  if (!list?.length || list.some((i) => i.trim() === '')) {
    throw new RuleViolation('INVALID_REQUEST', message);
  }
}

/**
 * The actor signs form 04 (the apology and new return time) for the agency handling the dossier: its head, or a
 * deputy in a role the procedure names. Before the procedure named its signatories (or the agency): any head of the
 * step's unit or of a unit above it.
 */
export function requireExtensionSigner(d: Dossier, actor: Actor, step: StepInstance): void {
  const agency = d.rules.agency;
  if (!d.patches.signatories || !agency) {
    if (!actor.headOfUnits.includes(step.unit)) {
      throw new RuleViolation(
        'ROLE_NOT_ALLOWED',
        `The apology and new return time must be signed by the head of unit ${step.unit} (or of the agency above it); ${actor.username} is not.`,
      );
    }
    return;
  }
  const roles = (d.rules.signing ?? DEFAULT_SIGNING).extension;
  const heads = actor.headOfUnits.includes(agency);
  if (!actor.unitCodes.includes(agency) || !(heads || actor.roles.some((r) => roles.includes(r as SigningRole)))) {
    throw new RuleViolation(
      'ROLE_NOT_ALLOWED',
      `Form 04 (apology and new return time) is signed by the head of ${agency}, the agency handling the dossier, or its delegated deputy (${roles.join(' or ')} of ${agency}); ${actor.username} is not.`,
    );
  }
}

/** A refusal on the merits is the competent leader's decision: the step held must be one of the procedure's roles. */
export function requireRefusalSigner(d: Dossier, step: StepInstance): void {
  const roles = (d.rules.signing ?? DEFAULT_SIGNING).refusal;
  if (d.patches.signatories && !roles.includes(step.role as SigningRole)) {
    throw new RuleViolation(
      'ROLE_NOT_ALLOWED',
      `A refusal on the merits is decided by the competent leader (${roles.join(' or ')}); step ${step.code} "${step.name}" is a ${step.role}'s: complete it with the draft refusal for the leader to decide.`,
    );
  }
}
