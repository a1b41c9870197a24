import { type EntityManager } from 'typeorm';

/** The PostgreSQL channel on which every stored dossier transition is announced (API instances LISTEN to it). */
export const DOSSIER_CHANGES_CHANNEL = 'dossier_changes';

/** One announced transition: enough for a console to know what to refetch, and for the API to scope who hears it. */
export interface DossierChange {
  code: string;
  seq: number;
  type: string;
  state: string;
  nationalStatus: number;
  currentUnitCode: string | null;
  holderId: string | null;
  occurredAt: string;
  /** Every unit the dossier has been at (receiving desk and each step's): who may see it hears of it. */
  units: string[];
  /** Officers who got a notification with this transition. */
  notified: string[];
}

/**
 * Announces a transition inside the transaction that stores it: PostgreSQL delivers the notice at commit, and
 * never for a rolled-back one. Read from the dossier row, so it carries the state just written.
 */
export async function announceDossierChange(
  manager: EntityManager,
  change: { code: string; seq: number; type: string; occurredAt: string; stepUnits: string[]; notified: string[] },
): Promise<void> {
  await manager.query(
    `SELECT pg_notify($1, json_build_object(
       'code', d.code, 'seq', $3::int, 'type', $4::text, 'state', d.state, 'nationalStatus', d.national_status,
       'currentUnitCode', d.current_unit_code, 'holderId', d.holder_id, 'occurredAt', $5::text,
       'units', (SELECT array_agg(DISTINCT u) FROM unnest(array_append($6::text[], d.receiving_unit_code)) u),
       'notified', $7::text[])::text)
     FROM dossiers d WHERE d.code = $2`,
    [
      DOSSIER_CHANGES_CHANNEL,
      change.code,
      change.seq,
      change.type,
      change.occurredAt,
      change.stepUnits,
      change.notified,
    ],
  );
}
