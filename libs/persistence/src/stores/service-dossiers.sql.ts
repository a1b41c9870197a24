import { PETITION_PROCEDURE_CODE } from '../../../domain/src';

/**
 * The 766 service indicators (digitised, reused, online payment, electronic result, ratings, synced, timeliness) count
 * the dossiers of the province's procedures. A petition runs as a dossier of the engine's own procedure, but it is no
 * application for a service: the condition over a `dossiers` (or `dossier_facts`) alias that leaves petitions out.
 */
export const SERVICE_DOSSIER = (alias: string): string => `${alias}.procedure_code <> '${PETITION_PROCEDURE_CODE}'`;
