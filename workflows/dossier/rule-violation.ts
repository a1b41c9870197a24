import { type RuleViolationType } from '../../libs/domain/src';

export { type RuleViolationType };

/** A refused action, thrown by the machine's checks and turned into a failed Update by the workflow. */
export class RuleViolation extends Error {
  constructor(
    readonly type: RuleViolationType,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}
