/** Stable error codes: the API maps each to an HTTP status and clients may branch on them. */
export enum DomainErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  INVALID_STATE = 'INVALID_STATE',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  UNAVAILABLE = 'UNAVAILABLE',
  /** A limit on what a client may do in a window was reached (429 with Retry-After, naming the rule). */
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  /** It existed and was deleted on purpose (a scan purged under the personal-data retention rule). */
  GONE = 'GONE',
}

export interface FieldError {
  /** Dotted path of the offending field, e.g. `applicant.idNumber`. */
  field: string;
  /** The rule it broke, in words a clerk can act on. */
  message: string;
}

/** A business rule was broken. Thrown by domain and application code; never an HTTP exception. */
export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainException';
  }
}
