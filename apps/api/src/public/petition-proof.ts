import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The proof of work a public petition carries (no third-party captcha is reachable from a province's network): the
 * API issues a signed challenge (`GET /public/v1/petitions/challenge`), the client finds a nonce such that
 * SHA-256(`<challenge>:<nonce>`) starts with `bits` zero bits (2^bits hashes on average), and the petition sends both.
 * The challenge is signed (nobody mints their own), expires, and is accepted once (the caller counts its use).
 */

const VERSION = 'p1';

/** How long a challenge may be solved and used. */
export const PROOF_TTL_MS = 10 * 60_000;

export interface PetitionChallenge {
  challenge: string;
  bits: number;
  expiresAt: Date;
}

/** Why a proof was refused, in words the client can act on; null: accepted. */
export type ProofCheck = { ok: true; expiresAt: Date } | { ok: false; message: string };

const sign = (key: Buffer, body: string): string => createHmac('sha256', key).update(body).digest('base64url');

/** A fresh challenge of `bits` difficulty, valid PROOF_TTL_MS from `now`. */
export function issueChallenge(key: Buffer, bits: number, now: Date = new Date()): PetitionChallenge {
  const expiresAt = new Date(now.getTime() + PROOF_TTL_MS);
  const body = `${VERSION}.${expiresAt.getTime()}.${bits}.${randomBytes(16).toString('base64url')}`;
  return { challenge: `${body}.${sign(key, body)}`, bits, expiresAt };
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let n = 0;
  for (const byte of digest) {
    if (byte === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(byte) - 24;
  }
  return n;
}

const work = (challenge: string, nonce: string): Buffer =>
  createHash('sha256').update(`${challenge}:${nonce}`).digest();

/** Checks a challenge's signature, expiry and the work done on it (not whether it was used before). */
export function checkProof(key: Buffer, challenge: string, nonce: string, now: Date = new Date()): ProofCheck {
  const parts = challenge.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) {
    return { ok: false, message: 'challenge must be one issued by GET /public/v1/petitions/challenge' };
  }
  const body = parts.slice(0, 4).join('.');
  const given = Buffer.from(parts[4]);
  const expected = Buffer.from(sign(key, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, message: 'challenge must be one issued by GET /public/v1/petitions/challenge' };
  }
  const expiresAt = new Date(Number(parts[1]));
  if (!(expiresAt.getTime() > now.getTime())) {
    return { ok: false, message: 'challenge has expired: ask for a new one' };
  }
  const bits = Number(parts[2]);
  if (leadingZeroBits(work(challenge, nonce)) < bits) {
    return { ok: false, message: `nonce must make SHA-256("<challenge>:<nonce>") start with ${bits} zero bits` };
  }
  return { ok: true, expiresAt };
}

/** Finds a nonce for a challenge (what a client does; the tests use it). */
export function solveChallenge(challenge: string, bits: number): string {
  for (let i = 0; ; i++) {
    const nonce = i.toString(36);
    if (leadingZeroBits(work(challenge, nonce)) >= bits) {
      return nonce;
    }
  }
}
