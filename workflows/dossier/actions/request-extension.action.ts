import { extend, project } from '../clock';
import { requireExtensionSigner, requireStep, requireText } from '../guards';
import { RuleViolation } from '../rule-violation';
import { event, fmt, ledger } from '../state';
import { EXTENSION_BASIS, ledgerLine, notice } from '../texts';
import { type ActionHandler } from './action-handler';

/** The handling agency's head sets a new return time once (form 04), at least a working day before the due time. */
export const requestExtension: ActionHandler<'request-extension'> = {
  permit(d, actor, now) {
    const held = requireStep(d, ['IN_PROGRESS'], 'request-extension');
    if (d.deadline.extended) {
      throw new RuleViolation(
        'LIMIT_REACHED',
        'A new return time may be set only once (form 04); this dossier has already been extended.',
      );
    }
    requireExtensionSigner(d, actor, held);
    const warningAt = d.deadline.warningAt;
    if (warningAt === null || now.getTime() > Date.parse(warningAt)) {
      throw new RuleViolation(
        'TOO_LATE',
        `An extension must be asked for at least 1 working day before the due time ${fmt(d, new Date(d.deadline.dueAt as string))}` +
          (warningAt
            ? `, i.e. by ${fmt(d, new Date(warningAt))}.`
            : '; this dossier never had a full working day left.'),
      );
    }
  },
  validate(_d, request) {
    if (!(request.extraWorkingDays > 0) || !Number.isInteger(request.extraWorkingDays * 4)) {
      throw new RuleViolation('INVALID_REQUEST', 'extraWorkingDays must be positive, in quarter days (e.g. 5 or 2.5).');
    }
    requireText(request.reason, 'reason');
  },
  perform(d, actor, request, now) {
    const at = now.toISOString();
    const before = d.deadline.dueAt as string;
    extend(d, request.extraWorkingDays);
    d.deadline.extended = true;
    d.warned = false;
    project(d);
    const after = d.deadline.dueAt as string;
    ledger(d, at, 'EXTENSION', {
      explanation: ledgerLine.extended(d, request.extraWorkingDays, actor.fullName, request.reason, after, before),
      by: actor.officerId,
      legalBasis: EXTENSION_BASIS,
      previousDueAt: before,
    });
    return [
      event(d, 'EXTENSION_GRANTED', at, {
        actorId: actor.officerId,
        payload: {
          originalDueAt: before,
          newDueAt: after,
          extraWorkingDays: request.extraWorkingDays,
          reason: request.reason,
          signedBy: actor.officerId,
          signedByName: actor.fullName,
        },
        notifications: [
          {
            kind: 'EXTENSION_GRANTED',
            audience: [{ kind: 'UNIT_HEAD', unit: d.input.receivingUnitCode }],
            message: notice.extensionGranted(d, after),
          },
        ],
      }),
    ];
  },
};
