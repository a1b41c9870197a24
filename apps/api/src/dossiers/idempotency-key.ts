import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';

/** What an Idempotency-Key may be: it is stored (varchar 128) and names a Temporal Update (whose IDs are bounded). */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,128}$/;

/** A 422 naming the header, before a key too long or unprintable reaches the database or Temporal (it was a 503). */
export function checkIdempotencyKey(key: string | undefined): void {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The Idempotency-Key header is not a usable key.', [
      { field: 'idempotency-key', message: 'must be 1–128 printable ASCII characters (a UUID is a good key)' },
    ]);
  }
}
