/**
 * Officers recently found active, by identity, each kept at most `ttlMs`: a request within that bound is
 * authorised without asking PostgreSQL again. Only active officers are kept (an unknown or disabled identity is
 * looked up every time). `clear()` forgets everything at once, and a lookup that was under way when it was called is
 * not kept, since it may have read the officer as it was before the change.
 */
export class OfficerCache<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) {
      return hit.value;
    }
    this.entries.delete(key);
    const generation = this.generation;
    const started = this.now();
    const value = await load();
    if (value !== null && this.ttlMs > 0 && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) {
        // The oldest insertion goes first (a Map iterates in insertion order).
        this.entries.delete(this.entries.keys().next().value as string);
      }
      // The bound counts from the read, not from its answer: the value is never older than ttlMs.
      this.entries.set(key, { value, expires: started + this.ttlMs });
    }
    return value;
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
