/** Why an action was refused; the workflow turns it into a non-retryable failure of that type. */
export type RuleViolationType =
  | 'INVALID_STATE'
  | 'NOT_HOLDER'
  | 'ROLE_NOT_ALLOWED'
  | 'WRONG_STEP'
  | 'INVALID_REQUEST'
  | 'LIMIT_REACHED'
  | 'TOO_LATE'
  /** The dossier is with an agency segment: its child workflow takes the action (`workflowId` says which). */
  | 'DELEGATED';

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
