import { hashLookupPin, lookupPinMatches, newLookupPin } from './lookup-pin';

describe('lookup PIN hashing', () => {
  it('stores no PIN: a salted scrypt hash that differs for the same PIN', async () => {
    const [first, second] = [await hashLookupPin('042917'), await hashLookupPin('042917')];
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toContain('042917');
    expect(second).not.toBe(first);
  });

  it('matches the PIN it hashed and no other', async () => {
    const stored = await hashLookupPin('042917');
    expect(await lookupPinMatches(stored, '042917')).toBe(true);
    expect(await lookupPinMatches(stored, '042918')).toBe(false);
    expect(await lookupPinMatches(stored, '42917')).toBe(false);
  });

  it('matches nothing against a missing or malformed hash (a plain PIN left in the column included)', async () => {
    expect(await lookupPinMatches(null, '042917')).toBe(false);
    expect(await lookupPinMatches('042917', '042917')).toBe(false);
  });

  it('draws six digits', () => {
    const pins = Array.from({ length: 200 }, newLookupPin);
    expect(pins.every((p) => /^\d{6}$/.test(p))).toBe(true);
    expect(new Set(pins).size).toBeGreaterThan(190);
  });
});
