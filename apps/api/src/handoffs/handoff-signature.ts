import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of a signed hand-off request (both directions). */
export const PARTNER_HEADER = 'x-partner-id';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';
export const SIGNATURE_HEADER = 'x-signature';

/** `v1=` + hex HMAC-SHA256 over `<unix seconds>.<raw body>` with the partner's shared key. */
export function sign(key: string, timestamp: number, body: string | Buffer): string {
  return `v1=${createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** The headers that sign `body` now, as `partnerId` (this deployment's name at the partner). */
export function signedHeaders(partnerId: string, key: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    [PARTNER_HEADER]: partnerId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: sign(key, timestamp, body),
  };
}

/**
 * Why a signed request is refused, or null when it is authentic and fresh: the signature must match the raw body
 * under the partner's key (compared in constant time), and the timestamp lie within the replay window.
 */
export function verificationProblem(
  key: string,
  headers: { timestamp?: string; signature?: string },
  body: Buffer,
  windowSeconds: number,
  now = Date.now(),
): string | null {
  if (!headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) {
    return `${TIMESTAMP_HEADER} must be the signing time in Unix seconds`;
  }
  const timestamp = Number(headers.timestamp);
  if (Math.abs(now / 1000 - timestamp) > windowSeconds) {
    return `${TIMESTAMP_HEADER} is more than ${windowSeconds} s away from now: a stale or replayed request`;
  }
  const expected = Buffer.from(sign(key, timestamp, body));
  const given = Buffer.from(headers.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return `${SIGNATURE_HEADER} does not match the body under the shared key`;
  }
  return null;
}
