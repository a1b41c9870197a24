import { type DataSource } from 'typeorm';

export interface OutboxMessage {
  id: string;
  kind: string;
  aggregateKey: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
}

/** One kind of message a lease takes fewer of: at most `limit` (0: none), the other kinds up to the lease's. */
export interface LeaseCap {
  kind: string;
  limit: number;
}

export interface OutboxBacklog {
  pending: number;
  oldestCreatedAt: Date | null;
}

/** Port for the transactional outbox the relay drains. */
export abstract class OutboxStore {
  /**
   * Leases up to `limit` due messages for `leaseMs` (with `cap`: up to `limit` of the other kinds and up to the
   * cap's of its kind, in one statement); a relay that dies mid-way loses its lease, not the message.
   */
  abstract lease(limit: number, leaseMs: number, cap?: LeaseCap): Promise<OutboxMessage[]>;
  /** Of these dossiers, the ones whose workflow has stored its first transition (taken up by a worker). */
  abstract takenUp(codes: string[]): Promise<string[]>;
  /** Marks messages delivered and purges their payloads (the personal data they carried). */
  abstract markDispatched(ids: string[]): Promise<void>;
  abstract reschedule(id: string, error: string, delayMs: number): Promise<void>;
  abstract backlog(): Promise<OutboxBacklog>;
}

interface OutboxRow {
  id: string;
  kind: string;
  aggregate_key: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

export class TypeOrmOutboxStore extends OutboxStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async lease(limit: number, leaseMs: number, cap?: LeaseCap): Promise<OutboxMessage[]> {
    // The oldest pending message of each key goes first, so one dossier's messages keep their order.
    const due = (kind: string) => `
      SELECT m.id FROM outbox_messages m
      WHERE m.dispatched_at IS NULL AND m.available_at <= now() AND ${kind}
        AND NOT EXISTS (SELECT 1 FROM outbox_messages e
                        WHERE e.aggregate_key = m.aggregate_key AND e.dispatched_at IS NULL AND e.id < m.id)
      ORDER BY m.id`;
    const [rows] = await this.dataSource.query<[OutboxRow[], number]>(
      `WITH others AS (${due('($3::varchar IS NULL OR m.kind <> $3)')} LIMIT $1 FOR UPDATE SKIP LOCKED),
            capped AS (${due('m.kind = $3')} LIMIT $4 FOR UPDATE SKIP LOCKED)
       UPDATE outbox_messages o SET available_at = now() + ($2::int * interval '1 millisecond'), attempts = o.attempts + 1
       WHERE o.id IN (SELECT id FROM others UNION ALL SELECT id FROM capped)
       RETURNING o.id, o.kind, o.aggregate_key, o.payload, o.attempts, o.created_at`,
      [limit, leaseMs, cap?.kind ?? null, cap?.limit ?? 0],
    );
    return rows
      .map((r) => ({
        id: String(r.id),
        kind: r.kind,
        aggregateKey: r.aggregate_key,
        payload: r.payload,
        attempts: r.attempts,
        createdAt: r.created_at,
      }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  async takenUp(codes: string[]): Promise<string[]> {
    if (codes.length === 0) {
      return [];
    }
    const rows = await this.dataSource.query<{ code: string }[]>(
      `SELECT code FROM dossiers WHERE code = ANY($1::varchar[]) AND workflow_started_at IS NOT NULL`,
      [codes],
    );
    return rows.map((r) => r.code);
  }

  /** Delivered: the row stays (ordering, the portal's synced share), its payload (ID numbers, names) does not. */
  async markDispatched(ids: string[]): Promise<void> {
    if (ids.length > 0) {
      await this.dataSource.query(
        `UPDATE outbox_messages SET dispatched_at = now(), last_error = NULL, payload = '{}'
         WHERE id = ANY($1::bigint[])`,
        [ids],
      );
    }
  }

  async reschedule(id: string, error: string, delayMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_messages SET last_error = $2, available_at = now() + ($3::int * interval '1 millisecond') WHERE id = $1`,
      [id, error.slice(0, 2000), Math.round(delayMs)],
    );
  }

  async backlog(): Promise<OutboxBacklog> {
    const [row] = await this.dataSource.query<{ pending: number; oldest: Date | null }[]>(
      `SELECT count(*)::int AS pending, min(created_at) AS oldest FROM outbox_messages WHERE dispatched_at IS NULL`,
    );
    return { pending: row.pending, oldestCreatedAt: row.oldest };
  }
}
