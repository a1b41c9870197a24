import { type EntityManager } from 'typeorm';
import { type TransitionRecord } from '../../../domain/src';

/**
 * What the first release's events and a transition share: the event row, and the new appointment a transition makes.
 * A transition itself is written by one statement (transition-statement.ts).
 */

/** Inserts one event of a dossier; false when (code, seq) is already stored (a retried activity). */
export async function insertEvent(
  manager: EntityManager,
  dossierCode: string,
  seq: number,
  event: {
    type: string;
    nationalStatus: number;
    actorId?: string;
    payload?: Record<string, unknown>;
    occurredAt: string;
  },
): Promise<boolean> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO dossier_events (dossier_code, seq, type, national_status, actor_id, payload, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dossier_code, seq) DO NOTHING RETURNING seq`,
    [
      dossierCode,
      seq,
      event.type,
      event.nationalStatus,
      event.actorId ?? null,
      JSON.stringify(event.payload ?? {}),
      event.occurredAt,
    ],
  );
  return inserted.length > 0;
}

/**
 * The new appointment a transition makes, if any: a restart after a supplement (RESTART policy) counts the full time
 * again, and the receipt, the register, the public lookup and the portal show its due time from then on.
 */
export function newAppointment(record: TransitionRecord): string | null {
  const { event } = record;
  const promisedAt = event.payload.promisedAt;
  return event.type === 'SUPPLEMENT_SUBMITTED' && typeof promisedAt === 'string' ? promisedAt : null;
}
