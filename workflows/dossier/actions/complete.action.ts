import { type StepInstance } from '../../dossier.types';
import { requireFits, requireHolder } from '../guards';
import { RuleViolation } from '../rule-violation';
import { current, event, rule } from '../state';
import { arrivedOrAssigned, asInstance, closeStep, finishProcessing, isReturnStep, openStep } from '../steps';
import { type ActionHandler } from './action-handler';

/** The holder finishes the step: the dossier goes on to the next step (the one chosen), or processing ends. */
export const complete: ActionHandler<'complete'> = {
  permit(d, actor) {
    const held = requireHolder(d, actor, 'complete');
    if (!held.counted && rule(d, held.code).next.length === 0) {
      throw new RuleViolation('WRONG_STEP', `Step ${held.code} returns the result: use return-result.`);
    }
  },
  validate(d, request) {
    const held = current(d) as StepInstance;
    const { next } = rule(d, held.code);
    if (next.length > 1 && !request.nextStep) {
      throw new RuleViolation(
        'INVALID_REQUEST',
        `Step ${held.code} can go on to ${next.join(' or ')}: say which in nextStep.`,
      );
    }
    if (request.nextStep && !next.includes(request.nextStep)) {
      throw new RuleViolation(
        'WRONG_STEP',
        next.length > 0
          ? `Step ${held.code} goes on to ${next.join(' or ')}, not ${request.nextStep}.`
          : `Step ${held.code} is the last step; it has no next step ${request.nextStep}.`,
      );
    }
    const nextCode = request.nextStep ?? next[0];
    if (request.assignee) {
      if (!nextCode) {
        throw new RuleViolation('INVALID_REQUEST', `Step ${held.code} is the last step: there is nobody to assign.`);
      }
      requireFits(request.assignee, asInstance(rule(d, nextCode)), 'be assigned');
    }
  },
  perform(d, actor, request, now) {
    const at = now.toISOString();
    const { next } = rule(d, (current(d) as StepInstance).code);
    const nextCode = request.nextStep ?? next[0];
    const nextRule = nextCode ? rule(d, nextCode) : undefined;
    const step = closeStep(d, now, 'COMPLETED', request.note ?? null);
    step.handedTo = nextRule?.unit ?? d.input.receivingUnitCode;
    const completed = event(d, 'STEP_COMPLETED', at, {
      actorId: actor.officerId,
      payload: {
        step: step.code,
        stepNo: step.no,
        result: step.result,
        next: nextCode ?? null,
        note: request.note ?? null,
      },
    });
    if (!nextRule || isReturnStep(nextRule)) {
      const finished = finishProcessing(
        d,
        now,
        'APPROVED',
        actor,
        { step: step.code },
        'PROCESSED',
        nextRule,
        request.assignee,
      );
      return [completed, ...finished];
    }
    const assignee = request.assignee ? { id: request.assignee.officerId, name: request.assignee.fullName } : null;
    completed.notifications.push(arrivedOrAssigned(d, openStep(d, nextRule, at, assignee)));
    return [completed];
  },
};
