import { inWorkingDays, NationalStatus, remainingAt } from '../../../libs/domain/src';
import { applicantWindowEnd, pause } from '../clock';
import { requireHolder, requireList, requireText } from '../guards';
import { RuleViolation } from '../rule-violation';
import { event, ledger } from '../state';
import { ledgerLine, notice } from '../texts';
import { type ActionHandler } from './action-handler';

/** The holder asks the applicant for documents (form 02): the clock pauses until they arrive or the window ends. */
export const requestSupplement: ActionHandler<'request-supplement'> = {
  permit(d, actor) {
    requireHolder(d, actor, 'request-supplement');
    const max = d.rules.clockPolicy.maxSupplementRequests;
    if (d.deadline.supplementRequests >= max) {
      throw new RuleViolation(
        'LIMIT_REACHED',
        `This procedure allows ${max} supplement request${max === 1 ? '' : 's'}; ${d.deadline.supplementRequests} already made.`,
      );
    }
  },
  validate(_d, request) {
    requireList(request.items, 'items must list every document or correction needed.');
    requireText(request.reason, 'reason');
  },
  perform(d, actor, request, now) {
    const at = now.toISOString();
    const dueBefore = d.deadline.dueAt;
    pause(d, at, 'SUPPLEMENT');
    d.deadline.supplementRequests += 1;
    const windowEndsAt = applicantWindowEnd(d, d.calendar, now);
    d.supplement = {
      requestedAt: at,
      windowEndsAt: windowEndsAt.toISOString(),
      items: request.items,
      reason: request.reason,
    };
    d.state = 'AWAITING_SUPPLEMENT';
    d.nationalStatus = NationalStatus.SUPPLEMENT_REQUESTED;
    const policy = d.rules.clockPolicy.supplement;
    const remaining = policy === 'PAUSE' ? inWorkingDays(remainingAt(d.calendar, d.deadline.clock, now)) : null;
    ledger(d, at, 'PAUSE', {
      explanation: ledgerLine.supplementPause(d, now, remaining, windowEndsAt),
      by: actor.officerId,
      previousDueAt: dueBefore,
    });
    return [
      event(d, 'SUPPLEMENT_REQUESTED', at, {
        actorId: actor.officerId,
        payload: {
          items: request.items,
          reason: request.reason,
          policy,
          windowEndsAt: d.supplement.windowEndsAt,
          dueBefore,
          request: d.deadline.supplementRequests,
        },
        notifications: [
          {
            kind: 'SUPPLEMENT_REQUESTED',
            audience: [{ kind: 'UNIT_HEAD', unit: d.input.receivingUnitCode }],
            message: notice.supplementRequested(d, windowEndsAt),
          },
        ],
      }),
    ];
  },
};
