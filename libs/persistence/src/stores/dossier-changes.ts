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
