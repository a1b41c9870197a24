import { checkProof, issueChallenge, leadingZeroBits, PROOF_TTL_MS, solveChallenge } from './petition-proof';

const KEY = Buffer.alloc(32, 7);
const BITS = 10;

describe('the proof of work of a public petition', () => {
  it('counts the leading zero bits of a digest', () => {
    expect(leadingZeroBits(Buffer.from([0x00, 0x0f, 0xff]))).toBe(12);
    expect(leadingZeroBits(Buffer.from([0x80]))).toBe(0);
    expect(leadingZeroBits(Buffer.from([0x00, 0x00]))).toBe(16);
  });

  it('accepts the work done on a challenge it issued, before it expires', () => {
    const now = new Date('2026-12-07T01:00:00Z');
    const { challenge, bits, expiresAt } = issueChallenge(KEY, BITS, now);
    expect(expiresAt.getTime() - now.getTime()).toBe(PROOF_TTL_MS);
    expect(checkProof(KEY, challenge, solveChallenge(challenge, bits), now)).toEqual({ ok: true, expiresAt });
  });

  it('refuses a nonce that does not do the work', () => {
    const { challenge } = issueChallenge(KEY, BITS);
    let nonce = 0;
    while (checkProof(KEY, challenge, `n${nonce}`).ok) {
      nonce += 1;
    }
    expect(checkProof(KEY, challenge, `n${nonce}`)).toMatchObject({
      ok: false,
      message: expect.stringContaining('zero bits'),
    });
  });

  it('refuses a challenge it did not sign, one with its difficulty lowered, and one expired', () => {
    const { challenge } = issueChallenge(KEY, BITS);
    const other = issueChallenge(Buffer.alloc(32, 8), BITS).challenge;
    expect(checkProof(KEY, other, solveChallenge(other, BITS))).toMatchObject({ ok: false });
    const easier = challenge.replace(`.${BITS}.`, '.1.');
    expect(checkProof(KEY, easier, solveChallenge(easier, 1))).toMatchObject({ ok: false });
    const later = new Date(Date.now() + PROOF_TTL_MS + 1);
    expect(checkProof(KEY, challenge, solveChallenge(challenge, BITS), later)).toMatchObject({
      ok: false,
      message: expect.stringContaining('expired'),
    });
    expect(checkProof(KEY, 'garbage', 'x')).toMatchObject({ ok: false });
  });
});
