/** A partner system's answers about the segment handed to it: acceptance, a supplement, the result or a refusal. */
import { type TransitionEvent, withPayload } from '../../libs/domain/src';
import { type Actor, type HandoffCallback, type StepInstance } from '../dossier.types';
import { perform } from './actions/action-table';
import { requireList, requireText } from './guards';
import { RuleViolation } from './rule-violation';
import { current, type Delegation, type Dossier, event, isTerminal } from './state';
import { closeStep } from './steps';
import { segmentCompleted } from './segments';
import { sheet } from './texts';

/** Throws a RuleViolation when a partner's answer does not fit (no such hand-off open, a second supplement…). */
export function checkCallback(d: Dossier, callback: HandoffCallback): void {
  if (isTerminal(d)) {
    throw new RuleViolation(
      'INVALID_STATE',
      `Dossier ${d.input.dossierCode} is ${d.state}: the partner's ${callback.kind} about hand-off ${callback.handoffId} changes nothing.`,
    );
  }
  const delegation = d.delegated;
  if (
    !delegation?.external ||
    delegation.segment.handoffId !== callback.handoffId ||
    delegation.segment.partner !== callback.partner
  ) {
    throw new RuleViolation(
      'INVALID_STATE',
      `Dossier ${d.input.dossierCode} has no hand-off ${callback.handoffId} open with ${callback.partner}.`,
    );
  }
  const waiting = d.state === 'AWAITING_SUPPLEMENT' || d.state === 'AWAITING_PAYMENT';
  if (callback.kind !== 'ACCEPTED' && waiting) {
    throw new RuleViolation(
      'INVALID_STATE',
      `Dossier ${d.input.dossierCode} is ${d.state}: the partner's ${callback.kind} waits for the applicant.`,
    );
  }
  if (callback.kind === 'SUPPLEMENT_REQUESTED') {
    const max = d.rules.clockPolicy.maxSupplementRequests;
    if (d.deadline.supplementRequests >= max) {
      throw new RuleViolation('LIMIT_REACHED', `This procedure allows ${max} supplement request(s); already made.`);
    }
    requireList(callback.items, 'items must list every document or correction needed.');
    requireText(callback.note ?? '', 'note');
  }
  if (callback.kind === 'REFUSED') {
    requireList(callback.reasons, 'reasons must state why the partner refused the dossier.');
  }
}

/** Takes in a partner's answer: acceptance, a supplement request (the clock pauses), the result or a refusal. */
export function applyCallback(d: Dossier, callback: HandoffCallback, now: Date): TransitionEvent[] {
  checkCallback(d, callback);
  const { segment } = d.delegated as Delegation;
  const system = { officerId: null, fullName: segment.partner } as unknown as Actor;
  const at = now.toISOString();
  const about = { segment: segment.code, partner: segment.partner, handoffId: segment.handoffId };
  const withAbout = (events: TransitionEvent[]) => events.map((e) => withPayload(e, about));
  const step = current(d) as StepInstance;
  switch (callback.kind) {
    case 'ACCEPTED':
      step.note = sheet.partnerAccepted(segment.partner, callback.partnerDossierCode);
      return [
        event(d, 'SEGMENT_ACCEPTED', at, {
          payload: {
            ...about,
            partnerDossierCode: callback.partnerDossierCode ?? null,
            reportedAt: callback.reportedAt,
          },
        }),
      ];
    case 'SUPPLEMENT_REQUESTED':
      return withAbout(
        perform(
          d,
          {
            actor: system,
            request: { action: 'request-supplement', items: callback.items ?? [], reason: callback.note ?? '' },
          },
          now,
        ),
      );
    case 'REFUSED': {
      const events = perform(d, { actor: system, request: { action: 'refuse', reasons: callback.reasons ?? [] } }, now);
      segment.completedAt = at;
      segment.result = step.result;
      if (d.patches.segmentOutcomes) {
        segment.outcome = 'REFUSED';
      }
      d.delegated = null;
      return withAbout(events);
    }
    case 'RESULT': {
      closeStep(d, now, 'COMPLETED', callback.note ?? null);
      segment.completedAt = at;
      segment.result = step.result;
      if (d.patches.segmentOutcomes) {
        segment.outcome = 'COMPLETED';
      }
      d.delegated = null;
      const done = event(d, 'SEGMENT_RESULT_RECEIVED', at, {
        payload: {
          ...about,
          result: callback.result ?? null,
          note: callback.note ?? null,
          reportedAt: callback.reportedAt,
        },
      });
      return [done, ...segmentCompleted(d, segment, now, undefined)];
    }
  }
}
