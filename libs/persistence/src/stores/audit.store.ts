import { type DataSource, type EntityManager } from 'typeorm';
import {
  type AuditBreak,
  type AuditEntry,
  type AuditRecord,
  auditRowHash,
  auditRowProblem,
  GENESIS_HASH,
} from './audit-chain';

export * from './audit-chain';

/** The outcome of walking the whole chain. */
export interface AuditVerification {
  valid: boolean;
  /** Rows checked (up to and including the first broken one). */
  checked: number;
  /** The last row of an intact chain: publish its hash to make a rewrite of the whole chain detectable. */
  head: { seq: number; hash: string } | null;
  firstBroken: AuditBreak | null;
}

/** Port of the audit trail: rows are only ever appended (the table refuses UPDATE and DELETE). */
export abstract class AuditStore {
  abstract append(entry: AuditEntry): Promise<AuditRecord>;
  abstract verify(): Promise<AuditVerification>;
}

interface AuditRow {
  seq: string;
  occurred_at: Date;
  actor_id: string | null;
  actor: string;
  action: string;
  dossier_code: string | null;
  purpose: string;
  client_address: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const toRecord = (r: AuditRow): AuditRecord => ({
  seq: Number(r.seq),
  occurredAt: r.occurred_at,
  actorId: r.actor_id,
  actor: r.actor,
  action: r.action,
  dossierCode: r.dossier_code,
  purpose: r.purpose,
  clientAddress: r.client_address,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * Appends a row inside the caller's transaction (so a change and its audit row commit together). Appends are
 * serialised by a transaction-scoped advisory lock: each reads the last row's hash and writes the next row while no
 * other can, so concurrent requests never fork the chain; the lock goes with the commit.
 */
export async function appendAudit(manager: EntityManager, entry: AuditEntry): Promise<AuditRecord> {
  const [record] = await appendAuditRows(manager, [entry]);
  return record;
}

/** Appends rows in order, chained one to the next, under one take of the lock and in one INSERT. */
async function appendAuditRows(manager: EntityManager, entries: AuditEntry[]): Promise<AuditRecord[]> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit_log'))`);
  const [last] = await manager.query<{ seq: string; hash: string }[]>(
    `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
  );
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const occurredAt = new Date();
  const records = entries.map((entry) => {
    const row: Omit<AuditRecord, 'hash'> = { ...entry, seq: (seq += 1), occurredAt, prevHash };
    const record = { ...row, hash: auditRowHash(row) };
    prevHash = record.hash;
    return record;
  });
  const COLUMNS = 11;
  await manager.query(
    `INSERT INTO audit_log (seq, occurred_at, actor_id, actor, action, dossier_code, purpose, client_address, details,
                            prev_hash, hash)
     VALUES ${records.map((_, r) => `(${Array.from({ length: COLUMNS }, (_c, c) => `$${r * COLUMNS + c + 1}`).join(', ')})`).join(', ')}`,
    records.flatMap((record) => [
      record.seq,
      record.occurredAt,
      record.actorId,
      record.actor,
      record.action,
      record.dossierCode,
      record.purpose,
      record.clientAddress,
      JSON.stringify(record.details),
      record.prevHash,
      record.hash,
    ]),
  );
  return records;
}

/** At most this many rows go in one append transaction (bounded statement size; more wait for the next). */
const MAX_BATCH = 200;

interface PendingAppend {
  entry: AuditEntry;
  resolve: (record: AuditRecord) => void;
  reject: (error: unknown) => void;
}

const PAGE = 1000;

export class TypeOrmAuditStore extends AuditStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  private readonly pending: PendingAppend[] = [];
  private flushing = false;

  /**
   * Group commit: the rows asked for while a transaction appends go together in the next one (one take of the
   * chain's lock, one INSERT, one commit for all), so concurrent requests do not queue one by one behind the lock.
   * Each caller still gets its answer only once its row is committed. Should a group fail, its rows are tried one
   * by one, so one bad row fails only its own request.
   */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise<AuditRecord>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        void this.flush();
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending.splice(0, MAX_BATCH);
      try {
        const records = await this.dataSource.transaction((m) =>
          appendAuditRows(
            m,
            group.map((p) => p.entry),
          ),
        );
        group.forEach((p, i) => p.resolve(records[i]));
      } catch (e) {
        if (group.length === 1) {
          group[0].reject(e);
          continue;
        }
        for (const p of group) {
          await this.dataSource.transaction((m) => appendAudit(m, p.entry)).then(p.resolve, p.reject);
        }
      }
    }
    this.flushing = false;
  }

  /** Walks the chain from its first row in pages, and stops at the first row that does not hold. */
  async verify(): Promise<AuditVerification> {
    let previous: AuditRecord | undefined;
    let checked = 0;
    for (;;) {
      const rows = await this.dataSource.query<AuditRow[]>(
        `SELECT seq, occurred_at, actor_id, actor, action, dossier_code, purpose, client_address, details, prev_hash,
                hash
         FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [previous?.seq ?? 0, PAGE],
      );
      for (const record of rows.map(toRecord)) {
        checked += 1;
        const problem = auditRowProblem(record, previous);
        if (problem) {
          return { valid: false, checked, head: null, firstBroken: { seq: record.seq, reason: problem } };
        }
        previous = record;
      }
      if (rows.length < PAGE) {
        return {
          valid: true,
          checked,
          head: previous ? { seq: previous.seq, hash: previous.hash } : null,
          firstBroken: null,
        };
      }
    }
  }
}
