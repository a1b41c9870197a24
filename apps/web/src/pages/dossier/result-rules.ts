/**
 * The API's rules for a dossier's result file (apps/api/src/files/files.service.ts), so the files panel offers only
 * what would be taken: who may attach a result, and when a new one must supersede the current one.
 */

/** The states in which a result may be attached: the last step is done (the decision taken), or it was returned. */
const RESULT_STATES = ['READY_FOR_RETURN', 'RESULT_RETURNED'];
/** A result is the decision on the merits: a withdrawn or stopped dossier has none. */
const DECIDED = ['APPROVED', 'REFUSED'];

export interface ResultOfficer {
  officerId: string;
  roles: readonly string[];
  units: readonly { code: string }[];
}

export interface ResultDossier {
  state: string;
  outcome?: string | null;
  receivingUnitCode: string;
  steps: readonly { no: number; completedAt?: string | null; holder?: { officerId: string } | null }[];
}

/**
 * Whether the officer may attach the dossier's result: once the decision is taken (READY_FOR_RETURN or returned,
 * APPROVED or REFUSED), and only the officer who completed the last step (who holds the signed decision) or the desk
 * of the receiving unit (which returns it).
 */
export function mayAttachResult(officer: ResultOfficer, dossier: ResultDossier): boolean {
  if (!RESULT_STATES.includes(dossier.state) || !DECIDED.includes(dossier.outcome ?? '')) {
    return false;
  }
  const desk = officer.roles.includes('DESK_CLERK') && officer.units.some((u) => u.code === dossier.receivingUnitCode);
  const last = dossier.steps
    .filter((s) => s.completedAt)
    .sort((a, b) => Date.parse(b.completedAt!) - Date.parse(a.completedAt!) || b.no - a.no)[0];
  return desk || (last?.holder?.officerId !== undefined && last.holder.officerId === officer.officerId);
}

/**
 * Whether a new result must name the one it supersedes: once returned, the citizen has the result, so it is only
 * replaced explicitly (audited; the superseded file is kept for officers). Before return, files are added freely.
 */
export function mustSupersede(state: string, results: readonly { superseded: unknown }[]): boolean {
  return state === 'RESULT_RETURNED' && results.some((f) => !f.superseded);
}
