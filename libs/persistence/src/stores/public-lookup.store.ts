import { type DataSource } from 'typeorm';

/** What an attempt at a dossier's PIN found: no such dossier, a locked lookup, or the PIN's hash to check. */
export type LookupAttempt = { kind: 'unknown' } | { kind: 'locked' } | { kind: 'counted'; pinHash: string | null };

/**
 * Port for the citizens' lookup PINs: attempts counted on the dossier row (so every API instance sees the same
 * count), the lock after too many wrong ones, and a clerk's reissue.
 */
export abstract class PublicLookupStore {
  /**
   * Counts an attempt as wrong before the PIN is checked, so concurrent guesses cannot slip past the limit; refused
   * (`locked`) once the lookup is locked or `limit` attempts are being counted.
   */
  abstract beginAttempt(code: string, limit: number): Promise<LookupAttempt>;
  /** The PIN was wrong: the lookup locks if the wrong PINs reached `limit`. Answers whether it is locked now. */
  abstract wrongPin(code: string, limit: number): Promise<boolean>;
  /** The PIN was right: the wrong ones before it are forgiven (unless the lookup locked meanwhile). */
  abstract rightPin(code: string): Promise<void>;
  /** A new PIN (its hash), the count cleared and the lock lifted; false when there is no such dossier. */
  abstract reissuePin(code: string, pinHash: string): Promise<boolean>;
  /** The hash of the dossier's current PIN (null: none issued, or no such dossier). */
  abstract pinHash(code: string): Promise<string | null>;
}

export class TypeOrmPublicLookupStore extends PublicLookupStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async beginAttempt(code: string, limit: number): Promise<LookupAttempt> {
    const [row] = await this.dataSource.query<{ known: boolean; counted: boolean; pin_hash: string | null }[]>(
      `WITH counted AS (
         UPDATE dossiers SET lookup_wrong_pins = lookup_wrong_pins + 1
          WHERE code = $1 AND lookup_locked_at IS NULL AND lookup_wrong_pins < $2
          RETURNING lookup_pin_hash)
       SELECT EXISTS (SELECT 1 FROM dossiers WHERE code = $1) AS known,
              EXISTS (SELECT 1 FROM counted) AS counted,
              (SELECT lookup_pin_hash FROM counted) AS pin_hash`,
      [code, limit],
    );
    if (!row.known) {
      return { kind: 'unknown' };
    }
    return row.counted ? { kind: 'counted', pinHash: row.pin_hash } : { kind: 'locked' };
  }

  async wrongPin(code: string, limit: number): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count].
    const [{ locked }] = await this.dataSource.query<{ locked: boolean }[]>(
      `WITH locked AS (
         UPDATE dossiers SET lookup_locked_at = coalesce(lookup_locked_at, now())
          WHERE code = $1 AND (lookup_locked_at IS NOT NULL OR lookup_wrong_pins >= $2)
          RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM locked) AS locked`,
      [code, limit],
    );
    return locked;
  }

  async rightPin(code: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE dossiers SET lookup_wrong_pins = 0 WHERE code = $1 AND lookup_locked_at IS NULL AND lookup_wrong_pins > 0`,
      [code],
    );
  }

  async reissuePin(code: string, pinHash: string): Promise<boolean> {
    const [{ issued }] = await this.dataSource.query<{ issued: boolean }[]>(
      `WITH issued AS (
         UPDATE dossiers SET lookup_pin_hash = $2, lookup_wrong_pins = 0, lookup_locked_at = NULL
          WHERE code = $1 RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM issued) AS issued`,
      [code, pinHash],
    );
    return issued;
  }

  async pinHash(code: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ lookup_pin_hash: string | null }[]>(
      `SELECT lookup_pin_hash FROM dossiers WHERE code = $1`,
      [code],
    );
    return row?.lookup_pin_hash ?? null;
  }
}
