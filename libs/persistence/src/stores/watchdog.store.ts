import { type DataSource } from 'typeorm';
import { TERMINAL_STATES } from '../../../domain/src';

/** What the deadline watchdog finds when PostgreSQL and the workflows disagree. */
export const WATCHDOG_FINDING_KINDS = [
  /** PostgreSQL has the dossier open; Temporal has no execution of its workflow. */
  'WORKFLOW_MISSING',
  /** PostgreSQL has the dossier open; its workflow is closed (terminated, failed, timed out, cancelled, completed). */
  'WORKFLOW_CLOSED',
  /** The due time PostgreSQL shows is not the one the workflow's clock runs to. */
  'DUE_TIME_DRIFT',
  /** An outbox message due for delivery that no relay has taken up, long after its lease ran out. */
  'OUTBOX_LEASE_EXPIRED',
  /** An outbox message leased for far longer than any relay leases (it would wait that long): released. */
  'OUTBOX_LEASE_OVERLONG',
] as const;
export type WatchdogFindingKind = (typeof WATCHDOG_FINDING_KINDS)[number];

export interface WatchdogFindingInput {
  kind: WatchdogFindingKind;
  /** What it is about, unique per kind: the dossier code, or `outbox:<id>`. */
  subject: string;
  dossierCode: string | null;
  detail: string;
  repaired: boolean;
}

export interface WatchdogFinding extends WatchdogFindingInput {
  timesSeen: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** Findings by kind, ready for a metric: every kind present (0 when never seen). */
export interface WatchdogFindingCount {
  kind: WatchdogFindingKind;
  /** Subjects ever found with this kind. */
  total: number;
  /** Of them, the ones the watchdog repaired the last time it saw them. */
  repaired: number;
  /** Of them, the ones left for a person (flagged). */
  unrepaired: number;
}

/** One open dossier as PostgreSQL has it, for comparison with its workflow. */
export interface WatchdogDossierRow {
  id: string;
  code: string;
  state: string;
  dueAt: Date | null;
  lastEventSeq: number;
  /** A connected procedure: agency segments run as child workflows of the dossier's. */
  connected: boolean;
  /** Its workflow's start is still waiting in the outbox (no workflow yet is expected). */
  startPending: boolean;
}

export interface OutboxLeaseRow {
  id: string;
  kind: string;
  aggregateKey: string;
  attempts: number;
  availableAt: Date;
  lastError: string | null;
  /** An earlier undelivered message of the same key holds it back (messages of one key go in order). */
  blockedBy: string | null;
}

/** Port of the deadline watchdog: what it scans, the repairs it makes to PostgreSQL, and its findings. */
export abstract class WatchdogStore {
  /** Up to `limit` dossiers not in a terminal state, in id order after `afterId` (a cursor: pages stay bounded). */
  abstract openDossiers(afterId: string | null, limit: number): Promise<WatchdogDossierRow[]>;
  /**
   * Sets the dossier's due time (its row, its deadline ledger, its report facts) to the workflow's, provided the row
   * is at the workflow's `lastEventSeq` (else a transition is being persisted, which brings the right one anyway).
   * False when nothing was changed.
   */
  abstract repairDueAt(
    code: string,
    lastEventSeq: number,
    dueAt: string | null,
    deadline: Record<string, unknown>,
  ): Promise<boolean>;
  /** Pending messages that have been due for more than `overdueMs` after a lease ran out (up to `limit`). */
  abstract expiredLeases(overdueMs: number, limit: number): Promise<OutboxLeaseRow[]>;
  /** Makes due now the pending messages leased more than `maxLeaseMs` ahead; returns them (up to `limit`). */
  abstract releaseOverlongLeases(maxLeaseMs: number, limit: number): Promise<OutboxLeaseRow[]>;
  /** Records findings: a new subject is added, one seen before gets the new detail, outcome and last-seen time. */
  abstract record(findings: WatchdogFindingInput[]): Promise<void>;
  /** The latest findings, most recently seen first. */
  abstract findings(limit: number, kind?: WatchdogFindingKind): Promise<WatchdogFinding[]>;
  abstract countsByKind(): Promise<WatchdogFindingCount[]>;
}

interface FindingRow {
  kind: WatchdogFindingKind;
  subject: string;
  dossier_code: string | null;
  detail: string;
  repaired: boolean;
  times_seen: number;
  first_seen_at: Date;
  last_seen_at: Date;
}

interface LeaseRow {
  id: string;
  kind: string;
  aggregate_key: string;
  attempts: number;
  available_at: Date;
  last_error: string | null;
  blocked_by: string | null;
}

const toLease = (r: LeaseRow): OutboxLeaseRow => ({
  id: String(r.id),
  kind: r.kind,
  aggregateKey: r.aggregate_key,
  attempts: r.attempts,
  availableAt: r.available_at,
  lastError: r.last_error,
  blockedBy: r.blocked_by === null ? null : String(r.blocked_by),
});

const BLOCKED_BY = `(SELECT min(e.id) FROM outbox_messages e
                     WHERE e.aggregate_key = o.aggregate_key AND e.dispatched_at IS NULL AND e.id < o.id)`;

export class TypeOrmWatchdogStore extends WatchdogStore {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async openDossiers(afterId: string | null, limit: number): Promise<WatchdogDossierRow[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        code: string;
        state: string;
        due_at: Date | null;
        last_event_seq: number;
        connected: boolean;
        start_pending: boolean;
      }[]
    >(
      `SELECT d.id, d.code, d.state, d.due_at, d.last_event_seq,
              COALESCE(jsonb_array_length(CASE WHEN jsonb_typeof(d.segments) = 'array' THEN d.segments END), 0) > 0
                AS connected,
              EXISTS (SELECT 1 FROM outbox_messages o
                      WHERE o.aggregate_key = d.code AND o.kind = 'START_DOSSIER_WORKFLOW'
                        AND o.dispatched_at IS NULL) AS start_pending
       FROM dossiers d
       WHERE d.state NOT IN ('RESULT_RETURNED', 'WITHDRAWN', 'CLOSED') AND ($1::uuid IS NULL OR d.id > $1::uuid)
       ORDER BY d.id
       LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      state: r.state,
      dueAt: r.due_at,
      lastEventSeq: r.last_event_seq,
      connected: r.connected,
      startPending: r.start_pending,
    }));
  }

  repairDueAt(
    code: string,
    lastEventSeq: number,
    dueAt: string | null,
    deadline: Record<string, unknown>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [rows] = await m.query<[{ code: string }[], number]>(
        `UPDATE dossiers SET due_at = $3, deadline = $4, updated_at = now()
         WHERE code = $1 AND last_event_seq = $2 AND due_at IS DISTINCT FROM $3::timestamptz
           AND state <> ALL($5::varchar[])
         RETURNING code`,
        [code, lastEventSeq, dueAt, JSON.stringify(deadline), TERMINAL_STATES],
      );
      if (rows.length === 0) {
        return false;
      }
      await m.query(`UPDATE dossier_facts SET due_at = $2, recorded_at = now() WHERE dossier_code = $1`, [code, dueAt]);
      return true;
    });
  }

  async expiredLeases(overdueMs: number, limit: number): Promise<OutboxLeaseRow[]> {
    const rows = await this.dataSource.query<LeaseRow[]>(
      `SELECT o.id, o.kind, o.aggregate_key, o.attempts, o.available_at, o.last_error, ${BLOCKED_BY} AS blocked_by
       FROM outbox_messages o
       WHERE o.dispatched_at IS NULL AND o.attempts > 0
         AND o.available_at < now() - ($1::int * interval '1 millisecond')
       ORDER BY o.available_at, o.id
       LIMIT $2`,
      [Math.round(overdueMs), limit],
    );
    return rows.map(toLease);
  }

  async releaseOverlongLeases(maxLeaseMs: number, limit: number): Promise<OutboxLeaseRow[]> {
    const [rows] = await this.dataSource.query<[LeaseRow[], number]>(
      `UPDATE outbox_messages o SET available_at = now()
       WHERE o.id IN (SELECT m.id FROM outbox_messages m
                      WHERE m.dispatched_at IS NULL AND m.attempts > 0
                        AND m.available_at > now() + ($1::int * interval '1 millisecond')
                      ORDER BY m.id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING o.id, o.kind, o.aggregate_key, o.attempts, o.available_at, o.last_error, ${BLOCKED_BY} AS blocked_by`,
      [Math.round(maxLeaseMs), limit],
    );
    return rows.map(toLease);
  }

  async record(findings: WatchdogFindingInput[]): Promise<void> {
    if (findings.length === 0) {
      return;
    }
    await this.dataSource.query(
      `INSERT INTO watchdog_findings AS w (kind, subject, dossier_code, detail, repaired)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::text[], $5::boolean[])
       ON CONFLICT (kind, subject) DO UPDATE SET
         detail = EXCLUDED.detail, repaired = EXCLUDED.repaired, times_seen = w.times_seen + 1, last_seen_at = now()`,
      [
        findings.map((f) => f.kind),
        findings.map((f) => f.subject),
        findings.map((f) => f.dossierCode),
        findings.map((f) => f.detail),
        findings.map((f) => f.repaired),
      ],
    );
  }

  async findings(limit: number, kind?: WatchdogFindingKind): Promise<WatchdogFinding[]> {
    const rows = await this.dataSource.query<FindingRow[]>(
      `SELECT kind, subject, dossier_code, detail, repaired, times_seen, first_seen_at, last_seen_at
       FROM watchdog_findings WHERE ($2::varchar IS NULL OR kind = $2)
       ORDER BY last_seen_at DESC, id DESC LIMIT $1`,
      [limit, kind ?? null],
    );
    return rows.map((r) => ({
      kind: r.kind,
      subject: r.subject,
      dossierCode: r.dossier_code,
      detail: r.detail,
      repaired: r.repaired,
      timesSeen: r.times_seen,
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
    }));
  }

  async countsByKind(): Promise<WatchdogFindingCount[]> {
    const rows = await this.dataSource.query<{ kind: WatchdogFindingKind; total: number; repaired: number }[]>(
      `SELECT kind, count(*)::int AS total, count(*) FILTER (WHERE repaired)::int AS repaired
       FROM watchdog_findings GROUP BY kind`,
    );
    return WATCHDOG_FINDING_KINDS.map((kind) => {
      const row = rows.find((r) => r.kind === kind);
      const total = row?.total ?? 0;
      const repaired = row?.repaired ?? 0;
      return { kind, total, repaired, unrepaired: total - repaired };
    });
  }
}
