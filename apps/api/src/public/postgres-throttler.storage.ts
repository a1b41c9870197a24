import { type ThrottlerStorage } from '@nestjs/throttler';
import { type RateLimitStore } from '../../../../libs/persistence/src';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Expired counters are swept at most this often per API instance. */
const PURGE_EVERY_MS = 60_000;

/**
 * The lookup's rate limits counted in PostgreSQL instead of one process's memory: every API instance adds to the
 * same counters, so the limits hold for the deployment, not per instance.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private purgedAt = 0;

  constructor(private readonly counters: RateLimitStore) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (Date.now() - this.purgedAt > PURGE_EVERY_MS) {
      this.purgedAt = Date.now();
      await this.counters.purge();
    }
    const count = await this.counters.hit(key, ttl, limit, blockDuration);
    return {
      totalHits: count.hits,
      timeToExpire: count.windowSecondsLeft,
      isBlocked: count.blockedSecondsLeft > 0,
      timeToBlockExpire: count.blockedSecondsLeft,
    };
  }
}
