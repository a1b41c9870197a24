import { createHash, createHmac } from 'node:crypto';
import { type SignedParts, sign, signedHeaders, verificationProblem } from './handoff-signature';

describe('hand-off signatures', () => {
  const key = 'k'.repeat(48);
  const previous = 'p'.repeat(48);
  const body = Buffer.from('{"handoffId":"5d0c…","kind":"WITHDRAWN"}');
  const now = Date.parse('2026-11-23T08:00:00Z');
  const timestamp = String(now / 1000);
  const nonce = '0f6b3c1e-4d0a-4a59-9d7e-0a6f1c2b3d4e';
  const parts: SignedParts = {
    method: 'POST',
    path: '/api/v1/handoffs/aaaaaaaa-0000-4000-8000-000000000001/notices',
    sender: 'police-system',
    recipient: 'province-system',
    body,
  };
  const signature = sign(key, parts, now / 1000, nonce);
  const headers = { timestamp, nonce, signature };

  it('is HMAC-SHA256 over method, path, sender, recipient, timestamp, nonce and the body hash, hex, versioned', () => {
    const canonical = [
      'v2',
      'POST',
      parts.path,
      'police-system',
      'province-system',
      timestamp,
      nonce,
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    const expected = createHmac('sha256', key).update(canonical).digest('hex');
    expect(signature).toBe(`v2=${expected}`);
    expect(signedHeaders(key, parts, now, nonce)).toEqual({
      'x-partner-id': 'police-system',
      'x-signature-timestamp': timestamp,
      'x-signature-nonce': nonce,
      'x-signature': `v2=${expected}`,
    });
  });

  it('accepts an authentic, fresh request', () => {
    expect(verificationProblem([key], headers, parts, 300, now + 299_000)).toBeNull();
  });

  it('refuses the same signature on another path: a notice for hand-off A replayed to hand-off B', () => {
    const elsewhere = { ...parts, path: '/api/v1/handoffs/bbbbbbbb-0000-4000-8000-000000000002/notices' };
    expect(verificationProblem([key], headers, elsewhere, 300, now)).toMatch(/does not match this request/);
    expect(verificationProblem([key], headers, { ...parts, method: 'PUT' }, 300, now)).toMatch(/does not match/);
  });

  it('refuses a message reflected back to its sender, or sent on to another recipient', () => {
    const reflected = { ...parts, sender: 'province-system', recipient: 'police-system' };
    expect(verificationProblem([key], headers, reflected, 300, now)).toMatch(/does not match/);
    expect(verificationProblem([key], headers, { ...parts, recipient: 'other-system' }, 300, now)).toMatch(
      /does not match/,
    );
  });

  it('refuses a changed body, a wrong key, a stale or future timestamp, a missing nonce or signature', () => {
    expect(
      verificationProblem([key], headers, { ...parts, body: Buffer.from(`${body.toString()} `) }, 300, now),
    ).toMatch(/does not match/);
    expect(verificationProblem(['x'.repeat(48)], headers, parts, 300, now)).toMatch(/does not match/);
    expect(verificationProblem([key], headers, parts, 300, now + 301_000)).toMatch(/replayed/);
    expect(verificationProblem([key], headers, parts, 300, now - 301_000)).toMatch(/replayed/);
    expect(verificationProblem([key], { ...headers, timestamp: 'yesterday' }, parts, 300, now)).toMatch(/Unix seconds/);
    expect(verificationProblem([key], { timestamp, signature }, parts, 300, now)).toMatch(/x-signature-nonce/);
    expect(verificationProblem([key], { timestamp, nonce }, parts, 300, now)).toMatch(/does not match/);
    // The nonce is signed: another one with the same signature does not verify.
    expect(verificationProblem([key], { ...headers, nonce: `${nonce.slice(0, -1)}f` }, parts, 300, now)).toMatch(
      /does not match/,
    );
  });

  it('accepts either of two active keys while the partner rotates, and neither once both are retired', () => {
    const signedWithPrevious = { timestamp, nonce, signature: sign(previous, parts, now / 1000, nonce) };
    expect(verificationProblem([key, previous], signedWithPrevious, parts, 300, now)).toBeNull();
    expect(verificationProblem([key, previous], headers, parts, 300, now)).toBeNull();
    expect(verificationProblem([key], signedWithPrevious, parts, 300, now)).toMatch(/does not match/);
  });
});
