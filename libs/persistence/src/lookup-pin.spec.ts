import { hashLookupPin, lookupPinKey, lookupPinMatches, newLookupPin, scryptLookupPin } from './lookup-pin';

const KEY = Buffer.alloc(32, 7);

describe('lookup PIN hashing', () => {
  it('stores no PIN: a salted HMAC under a key kept outside the database, different for the same PIN', () => {
    const [first, second] = [hashLookupPin('042917', KEY), hashLookupPin('042917', KEY)];
    expect(first).toMatch(/^hmac-sha256\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toContain('042917');
    expect(second).not.toBe(first);
  });

  it('matches the PIN it hashed and no other, and nothing under another key', async () => {
    const stored = hashLookupPin('042917', KEY);
    expect(await lookupPinMatches(stored, '042917', KEY)).toBe(true);
    expect(await lookupPinMatches(stored, '042918', KEY)).toBe(false);
    expect(await lookupPinMatches(stored, '42917', KEY)).toBe(false);
    // A leaked table without the key: the right PIN does not verify, so the million PINs cannot be tried offline.
    expect(await lookupPinMatches(stored, '042917', Buffer.alloc(32, 8))).toBe(false);
  });

  it('keeps verifying PINs stored earlier as scrypt hashes', async () => {
    const earlier = await scryptLookupPin('042917');
    expect(earlier).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await lookupPinMatches(earlier, '042917', KEY)).toBe(true);
    expect(await lookupPinMatches(earlier, '042918', KEY)).toBe(false);
  });

  it('matches nothing against a missing or malformed hash (a plain PIN left in the column included)', async () => {
    expect(await lookupPinMatches(null, '042917', KEY)).toBe(false);
    expect(await lookupPinMatches('042917', '042917', KEY)).toBe(false);
  });

  it('takes LOOKUP_PIN_KEY, or in embedded mode a key derived from JWT_SECRET', () => {
    expect(lookupPinKey({ LOOKUP_PIN_KEY: KEY.toString('base64') })).toEqual(KEY);
    const derived = lookupPinKey({ JWT_SECRET: 'test-secret-test-secret-test-secret-0123' });
    expect(derived).toHaveLength(32);
    expect(derived).toEqual(lookupPinKey({ JWT_SECRET: 'test-secret-test-secret-test-secret-0123' }));
    expect(derived.toString('utf8')).not.toContain('test-secret');
    expect(() => lookupPinKey({})).toThrow(/LOOKUP_PIN_KEY/);
  });

  it('draws six digits', () => {
    const pins = Array.from({ length: 200 }, newLookupPin);
    expect(pins.every((p) => /^\d{6}$/.test(p))).toBe(true);
    expect(new Set(pins).size).toBeGreaterThan(190);
  });
});
