import { type DataSource } from 'typeorm';

/** A counter after one more request: its hits in the window, seconds left in it, and seconds left blocked (0: not). */
export interface RateLimitCount {
  hits: number;
  windowSecondsLeft: number;
  blockedSecondsLeft: number;
}

/**
 * Port for request counters shared by every API instance (PostgreSQL's clock for all of them): a fixed window per key,
 * and a block once the limit is passed.
 */
export abstract class RateLimitStore {
  /** Counts one request against `key`; past `limit` in the window, the key is blocked for `blockMs`. */
  abstract hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<RateLimitCount>;
  /** Forgets the counters whose window and block are over. */
  abstract purge(): Promise<void>;
}

export class TypeOrmRateLimitStore extends RateLimitStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<RateLimitCount> {
    const [row] = await this.dataSource.query<{ hits: number; window_left: number; blocked_left: number | null }[]>(
      `INSERT INTO rate_limit_counters AS c (key, hits, window_ends_at)
       VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.blocked_until > now() THEN c.hits
                     WHEN c.window_ends_at <= now() THEN 1
                     ELSE c.hits + 1 END,
         window_ends_at = CASE WHEN c.blocked_until > now() THEN c.window_ends_at
                               WHEN c.window_ends_at <= now() THEN excluded.window_ends_at
                               ELSE c.window_ends_at END,
         blocked_until = CASE WHEN c.blocked_until > now() THEN c.blocked_until
                              WHEN c.window_ends_at > now() AND c.hits + 1 > $3
                                THEN now() + make_interval(secs => $4::float8 / 1000) END
       RETURNING hits,
                 ceil(greatest(extract(epoch FROM window_ends_at - now()), 0))::int AS window_left,
                 ceil(greatest(extract(epoch FROM blocked_until - now()), 0))::int AS blocked_left`,
      [key, windowMs, limit, blockMs],
    );
    return { hits: row.hits, windowSecondsLeft: row.window_left, blockedSecondsLeft: row.blocked_left ?? 0 };
  }

  async purge(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM rate_limit_counters
        WHERE window_ends_at < now() AND (blocked_until IS NULL OR blocked_until < now())`,
    );
  }
}
