/**
 * Outbox kind of a status message to the national portal. Its aggregate key is `portal:<dossier code>`, or
 * `portal:submission:<id>` for an application not received yet (moved to the dossier's key when it is received).
 */
export const PORTAL_SYNC = 'PORTAL_SYNC';
