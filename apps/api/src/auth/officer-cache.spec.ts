import { OfficerCache } from './officer-cache';

describe(OfficerCache.name, () => {
  let now: number;
  let reads: number;
  let stored: { name: string } | null;
  const load = () => {
    reads += 1;
    return Promise.resolve(stored);
  };

  beforeEach(() => {
    now = 0;
    reads = 0;
    stored = { name: 'clerk' };
  });

  it('answers from memory within its bound and reads again once the bound has passed', async () => {
    const cache = new OfficerCache<{ name: string }>(5_000, () => now);
    await cache.get('u:clerk', load);
    now = 4_999;
    expect(await cache.get('u:clerk', load)).toEqual({ name: 'clerk' });
    expect(reads).toBe(1);
    stored = null; // disabled
    now = 5_000;
    expect(await cache.get('u:clerk', load)).toBeNull();
    expect(reads).toBe(2);
  });

  it('never keeps a refusal: an officer enabled again is let in at the next request', async () => {
    const cache = new OfficerCache<{ name: string }>(5_000, () => now);
    stored = null;
    expect(await cache.get('u:clerk', load)).toBeNull();
    stored = { name: 'clerk' };
    expect(await cache.get('u:clerk', load)).toEqual({ name: 'clerk' });
    expect(reads).toBe(2);
  });

  it('forgets everything on clear, and does not keep a read that was under way when it was called', async () => {
    const cache = new OfficerCache<{ name: string }>(5_000, () => now);
    await cache.get('u:clerk', load);
    cache.clear();
    await cache.get('u:clerk', load);
    expect(reads).toBe(2);

    let release: () => void = () => undefined;
    const slow = () =>
      new Promise<{ name: string }>((resolve) => {
        release = () => resolve({ name: 'before the change' });
      });
    cache.clear();
    const pending = cache.get('u:clerk', slow);
    cache.clear(); // a change committed while the read was under way
    release();
    expect(await pending).toEqual({ name: 'before the change' });
    expect(await cache.get('u:clerk', load)).toEqual({ name: 'clerk' });
    expect(reads).toBe(3);
  });

  it('counts the bound from the read, so a slow read is not kept longer', async () => {
    const cache = new OfficerCache<{ name: string }>(5_000, () => now);
    await cache.get('u:clerk', () => {
      now = 3_000; // the read took 3 s
      return Promise.resolve({ name: 'clerk' });
    });
    now = 5_000;
    await cache.get('u:clerk', load);
    expect(reads).toBe(1);
  });

  it('caches nothing with a bound of 0', async () => {
    const cache = new OfficerCache<{ name: string }>(0, () => now);
    await cache.get('u:clerk', load);
    await cache.get('u:clerk', load);
    expect(reads).toBe(2);
  });
});
