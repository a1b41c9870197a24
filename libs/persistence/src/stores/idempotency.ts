import { type EntityManager } from 'typeorm';
import { DomainErrorCode, DomainException } from '../../../domain/src';

export type IdempotencyClaim = { kind: 'new' } | { kind: 'replay'; status: number; body: Record<string, unknown> };

/**
 * Claims an idempotency key inside the caller's transaction. A concurrent request with the same key waits on
 * the row until the first commits, then replays its response; the same key with another body is a conflict.
 */
export async function claimIdempotencyKey(
  manager: EntityManager,
  scope: string,
  key: string,
  requestHash: string,
): Promise<IdempotencyClaim> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [scope, key, requestHash],
  );
  if (inserted.length > 0) {
    return { kind: 'new' };
  }
  const answer = await storedAnswer(manager, scope, key, requestHash);
  return answer ? { kind: 'replay', ...answer } : { kind: 'new' };
}

/**
 * The answer stored under a key, when a request used it already (`status` null: its transaction has not finished);
 * the same key with another body is a conflict.
 */
export async function storedAnswer(
  manager: EntityManager,
  scope: string,
  key: string,
  requestHash: string,
): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  const [row] = await manager.query<
    { request_hash: string; response_status: number | null; response_body: Record<string, unknown> | null }[]
  >(`SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`, [
    scope,
    key,
  ]);
  if (!row) {
    return undefined;
  }
  if (row.request_hash !== requestHash) {
    throw new DomainException(
      DomainErrorCode.IDEMPOTENCY_KEY_REUSED,
      'This Idempotency-Key was already used for a different request; use a new key for a new request.',
      [{ field: 'Idempotency-Key', message: 'already used with a different body' }],
    );
  }
  return { status: row.response_status ?? 200, body: row.response_body ?? {} };
}

export async function completeIdempotencyKey(
  manager: EntityManager,
  scope: string,
  key: string,
  status: number,
  body: Record<string, unknown>,
): Promise<void> {
  await manager.query(
    `UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2`,
    [scope, key, status, JSON.stringify(body)],
  );
}
