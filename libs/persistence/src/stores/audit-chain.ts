import { createHash } from 'node:crypto';

/** The `prev_hash` of the first row: the chain starts from nothing. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit row says: who did what to which dossier, why, and from where. */
export interface AuditEntry {
  /** The officer, when an officer acted (null for a partner system or the engine itself). */
  actorId: string | null;
  /** The officer's username, `partner:<id>` for a partner system, `system:<job>` for the engine. */
  actor: string;
  /** What was done: `dossier.read`, `dossier.form.read`, `register.read`, `report.export`, `dossier.receive`, … */
  action: string;
  dossierCode: string | null;
  /** Why (the `X-Purpose` the caller gave, or the route's own purpose). */
  purpose: string;
  /** The client's address as the API saw it (behind a trusted proxy: the forwarded one). */
  clientAddress: string | null;
  /** What was read or changed, beyond the dossier: a form, a period, the codes a list showed, an action's name. */
  details: Record<string, unknown>;
}

/** A row of the chain: the entry, its place and instant, and the hashes that tie it to the row before. */
export interface AuditRecord extends AuditEntry {
  seq: number;
  occurredAt: Date;
  prevHash: string;
  hash: string;
}

/** JSON with keys sorted at every level: the same value always serialises (and hashes) the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The hash of a row: SHA-256 over its every field and the previous row's hash, so changing, removing or inserting a
 * row breaks the chain from there on, unless every later hash is recomputed (which the published head would show).
 */
export function auditRowHash(row: Omit<AuditRecord, 'hash'>): string {
  const content = canonicalJson({
    seq: row.seq,
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    actor: row.actor,
    action: row.action,
    dossierCode: row.dossierCode,
    purpose: row.purpose,
    clientAddress: row.clientAddress,
    details: row.details,
    prevHash: row.prevHash,
  });
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** Where a walk of the chain stopped: the first row that does not hold. */
export interface AuditBreak {
  seq: number;
  reason: string;
}

/**
 * Checks one row against the one before it (`previous` undefined: the first row). Rows are numbered from 1 without a
 * gap, each names the previous row's hash, and each hash is its content's.
 */
export function auditRowProblem(
  row: AuditRecord,
  previous: Pick<AuditRecord, 'seq' | 'hash'> | undefined,
): string | null {
  const expectedSeq = (previous?.seq ?? 0) + 1;
  if (row.seq !== expectedSeq) {
    return `row ${expectedSeq}${row.seq > expectedSeq + 1 ? `–${row.seq - 1}` : ''} is missing before row ${row.seq}`;
  }
  if (row.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
    return `it does not follow row ${previous?.seq ?? 'none'}: its previous hash is not that row's hash`;
  }
  if (row.hash !== auditRowHash(row)) {
    return 'its content does not match its hash: it was changed after it was written';
  }
  return null;
}
