import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** The headers of a signed hand-off request (both directions). */
export const PARTNER_HEADER = 'x-partner-id';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';
export const NONCE_HEADER = 'x-signature-nonce';
export const SIGNATURE_HEADER = 'x-signature';

/** A nonce: 16 to 64 URL-safe characters (the sender uses a random UUID). */
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** What a signature binds: the whole request, its sender and its recipient, not the body alone. */
export interface SignedParts {
  method: string;
  /** The request target from `/api/v1` on, with its query string if any. */
  path: string;
  /** The sending system's ID (its `X-Partner-Id`). */
  sender: string;
  /** The receiving system's ID: a request signed for one system does not verify at another. */
  recipient: string;
  body: string | Buffer;
}

/**
 * The string signed: `v2`, the method, the path, sender, recipient, timestamp, nonce and the body's SHA-256, one per
 * line. Moving a captured request to another path, another recipient or back to its sender breaks the signature.
 */
export function canonicalRequest(parts: SignedParts, timestamp: number, nonce: string): string {
  return [
    'v2',
    parts.method.toUpperCase(),
    parts.path,
    parts.sender,
    parts.recipient,
    String(timestamp),
    nonce,
    createHash('sha256').update(parts.body).digest('hex'),
  ].join('\n');
}

/** `v2=` + hex HMAC-SHA256 of the canonical request under `key`. */
export function sign(key: string, parts: SignedParts, timestamp: number, nonce: string): string {
  return `v2=${createHmac('sha256', key)
    .update(canonicalRequest(parts, timestamp, nonce))
    .digest('hex')}`;
}

/** The headers that sign the request now, under the key of this direction (our outbound key for that partner). */
export function signedHeaders(
  key: string,
  parts: SignedParts,
  now = Date.now(),
  nonce: string = randomUUID(),
): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    [PARTNER_HEADER]: parts.sender,
    [TIMESTAMP_HEADER]: String(timestamp),
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: sign(key, parts, timestamp, nonce),
  };
}

export interface SignatureHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
}

/**
 * Why a signed request is refused, or null when it is authentic and fresh: the timestamp inside the replay window, a
 * well-formed nonce, and a signature of the whole request under one of the partner's active inbound keys (two while
 * it rotates), compared in constant time. That the nonce is new is the caller's check (it needs the database).
 */
export function verificationProblem(
  keys: readonly string[],
  headers: SignatureHeaders,
  parts: SignedParts,
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
  if (!headers.nonce || !NONCE.test(headers.nonce)) {
    return `${NONCE_HEADER} must be 16-64 letters, digits, dashes or underscores, new for every request`;
  }
  const given = Buffer.from(headers.signature ?? '');
  const matches = keys.map((key) => {
    const expected = Buffer.from(sign(key, parts, timestamp, headers.nonce!));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches.includes(true)) {
    return `${SIGNATURE_HEADER} does not match this request (method, path, sender, recipient, body) under the partner's keys`;
  }
  return null;
}
