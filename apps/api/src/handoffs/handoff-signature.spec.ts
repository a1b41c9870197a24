import { createHmac } from 'node:crypto';
import { sign, signedHeaders, verificationProblem } from './handoff-signature';

describe('hand-off signatures', () => {
  const key = 'k'.repeat(48);
  const body = Buffer.from('{"handoffId":"5d0c…"}');
  const now = Date.parse('2026-11-23T08:00:00Z');
  const timestamp = String(now / 1000);

  it('is HMAC-SHA256 over "<timestamp>.<raw body>", hex, versioned', () => {
    const expected = createHmac('sha256', key).update(`${timestamp}.${body.toString()}`).digest('hex');
    expect(sign(key, now / 1000, body)).toBe(`v1=${expected}`);
    expect(signedHeaders('province-system', key, body.toString(), now)).toEqual({
      'x-partner-id': 'province-system',
      'x-signature-timestamp': timestamp,
      'x-signature': `v1=${expected}`,
    });
  });

  it('accepts an authentic, fresh request and says why it refuses any other', () => {
    const signature = sign(key, now / 1000, body);
    expect(verificationProblem(key, { timestamp, signature }, body, 300, now + 299_000)).toBeNull();
    expect(verificationProblem(key, { timestamp, signature }, body, 300, now + 301_000)).toMatch(/replayed/);
    expect(verificationProblem(key, { timestamp, signature }, body, 300, now - 301_000)).toMatch(/replayed/);
    expect(verificationProblem(key, { timestamp, signature }, Buffer.from(`${body.toString()} `), 300, now)).toMatch(
      /does not match/,
    );
    expect(verificationProblem('x'.repeat(48), { timestamp, signature }, body, 300, now)).toMatch(/does not match/);
    expect(verificationProblem(key, { timestamp: 'yesterday', signature }, body, 300, now)).toMatch(/Unix seconds/);
    expect(verificationProblem(key, { timestamp }, body, 300, now)).toMatch(/does not match/);
  });
});
