import { Context, log } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type DossierWorkflowSnapshot } from '../libs/domain/src';
import {
  type WatchdogDossierRow,
  type OutboxLeaseRow,
  type WatchdogFindingInput,
  type WatchdogStore,
} from '../libs/persistence/src/stores/watchdog.store';

export interface WatchdogActivityDeps {
  watchdog: WatchdogStore;
  /** A client of the worker's namespace (over the worker's connection). */
  temporal: () => Client;
  /** WATCHDOG_OUTBOX_STUCK_MINUTES, in milliseconds. */
  outboxStuckMs: number;
}

/** Findings of one pass (or one page), by kind; a kind not found is absent. */
export type WatchdogFindingCounts = Partial<Record<string, number>>;

/** What one page of the open dossiers gave. */
export interface WatchdogDossierPage {
  scanned: number;
  /** The cursor of the next page; null when this was the last. */
  nextAfterId: string | null;
  findings: WatchdogFindingCounts;
  repaired: number;
}

/** The longest lease a relay takes, with its backoff (the relay's lease is 60 s, its retry delay at most 75 s). */
const LONGEST_LEASE_MS = 5 * 60_000;
/** Outbox messages looked at per pass (each kind of finding). */
const OUTBOX_LIMIT = 500;
/** Dossiers compared at once within a page. */
const CONCURRENCY = 8;

/** A run that closed in a way a reset can undo (it did not finish by itself). */
const INTERRUPTED = new Set(['TERMINATED', 'FAILED', 'TIMED_OUT', 'CANCELLED']);

const same = (a: Date | null, b: string | null): boolean =>
  a === null || b === null ? a === b : a.getTime() === new Date(b).getTime();

const summarise = (findings: WatchdogFindingInput[]) => {
  const counts: WatchdogFindingCounts = {};
  for (const f of findings) {
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  }
  return { findings: counts, repaired: findings.filter((f) => f.repaired).length };
};

export function createWatchdogActivities({ watchdog, temporal, outboxStuckMs }: WatchdogActivityDeps) {
  /**
   * Resets a run that was interrupted to its last completed workflow task: Temporal starts a new run with the same
   * history up to there, so the dossier's workflow carries on with everything it had (steps, clocks, ladder, timers;
   * timers that came due meanwhile fire at once). Returns the new run, or why it could not.
   */
  const reset = async (code: string, runId: string): Promise<{ runId: string } | { refused: string }> => {
    const client = temporal();
    const history = await client.workflow.getHandle(code, runId).fetchHistory();
    const last = [...(history.events ?? [])].reverse().find((e) => e.workflowTaskCompletedEventAttributes);
    if (!last?.eventId) {
      return { refused: 'its run closed before its first workflow task completed: there is no point to resume from' };
    }
    const { runId: newRunId } = await client.workflowService.resetWorkflowExecution({
      namespace: client.options.namespace,
      workflowExecution: { workflowId: code, runId },
      workflowTaskFinishEventId: last.eventId,
      // The same request for the same run: a retried activity does not reset twice.
      requestId: `watchdog-reset-${runId}`,
      reason: 'deadline watchdog: PostgreSQL has the dossier open, its workflow was closed without finishing',
    });
    return { runId: newRunId ?? '' };
  };

  /** Compares one open dossier with its workflow; the finding, if any, after repairing what is safe to repair. */
  const reconcile = async (row: WatchdogDossierRow): Promise<WatchdogFindingInput | null> => {
    const code = row.code;
    const handle = temporal().workflow.getHandle(code);
    let description;
    try {
      description = await handle.describe();
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) {
        throw e;
      }
      if (row.startPending) {
        return null; // the relay has yet to start it
      }
      return {
        kind: 'WORKFLOW_MISSING',
        subject: code,
        dossierCode: code,
        repaired: false,
        detail:
          `PostgreSQL has the dossier ${row.state} (event ${row.lastEventSeq}) but Temporal has no execution of its ` +
          'workflow (deleted, or past the namespace retention). Not restored: the workflow cannot start from the ' +
          'projection PostgreSQL keeps (its machine starts only from the intake input, whose outbox copy is purged ' +
          'once delivered), and a fresh start would re-run its steps and ladder from receipt. Restore the execution ' +
          'from a Temporal backup, or have an administrator close the dossier by hand.',
      };
    }
    const status = description.status.name;
    if (status === 'RUNNING') {
      return compareDueTime(row, () => handle.query<DossierWorkflowSnapshot>('snapshot'));
    }
    const closed = `PostgreSQL has the dossier ${row.state} (event ${row.lastEventSeq}); its workflow run ${description.runId} is ${status}`;
    if (!INTERRUPTED.has(status)) {
      return {
        kind: 'WORKFLOW_CLOSED',
        subject: code,
        dossierCode: code,
        repaired: false,
        detail:
          `${closed}. Not repaired: the workflow finished by itself, so PostgreSQL missed its last transitions ` +
          '(restored from an older backup?); compare its events with the workflow history.',
      };
    }
    if (row.connected) {
      return {
        kind: 'WORKFLOW_CLOSED',
        subject: code,
        dossierCode: code,
        repaired: false,
        detail:
          `${closed}. Not repaired: a connected dossier's agency segments run as child workflows that closed with it; ` +
          'resetting the dossier alone would leave them behind. Reset the segments and the dossier together.',
      };
    }
    const outcome = await reset(code, description.runId);
    if ('refused' in outcome) {
      return {
        kind: 'WORKFLOW_CLOSED',
        subject: code,
        dossierCode: code,
        repaired: false,
        detail: `${closed}. Not repaired: ${outcome.refused}.`,
      };
    }
    log.warn('dossier workflow reset by the watchdog', { dossierCode: code, closedRun: description.runId, status });
    return {
      kind: 'WORKFLOW_CLOSED',
      subject: code,
      dossierCode: code,
      repaired: true,
      detail: `${closed}. Reset to its last completed workflow task: it carries on in run ${outcome.runId}.`,
    };
  };

  /**
   * The workflow holds the clock (its timers are what fires the ladder and the breach); PostgreSQL's due time is a
   * projection of it. A difference is repaired in PostgreSQL, and only when PostgreSQL is at the workflow's last event
   * (else a transition is on its way and brings the right time itself).
   */
  const compareDueTime = async (
    row: WatchdogDossierRow,
    snapshot: () => Promise<DossierWorkflowSnapshot>,
  ): Promise<WatchdogFindingInput | null> => {
    let s: DossierWorkflowSnapshot;
    try {
      s = await snapshot();
    } catch {
      return null; // still taking the dossier into processing, or a first-release run without a clock
    }
    if (!s.deadline || s.lastEventSeq !== row.lastEventSeq || same(row.dueAt, s.deadline.dueAt)) {
      return null;
    }
    const repaired = await watchdog.repairDueAt(
      row.code,
      s.lastEventSeq,
      s.deadline.dueAt,
      s.deadline as unknown as Record<string, unknown>,
    );
    return {
      kind: 'DUE_TIME_DRIFT',
      subject: row.code,
      dossierCode: row.code,
      repaired,
      detail:
        `PostgreSQL had the due time ${row.dueAt?.toISOString() ?? 'none (paused)'}, the workflow's clock runs to ` +
        `${s.deadline.dueAt ?? 'none (paused)'} (event ${s.lastEventSeq}). ` +
        (repaired ? 'PostgreSQL now has the workflow’s.' : 'Not repaired: the row changed meanwhile.'),
    };
  };

  const outboxFinding = (
    m: OutboxLeaseRow,
    kind: 'OUTBOX_LEASE_EXPIRED' | 'OUTBOX_LEASE_OVERLONG',
  ): WatchdogFindingInput => {
    const why = m.blockedBy
      ? `it waits behind message ${m.blockedBy} of the same key, not yet delivered`
      : m.lastError
        ? `its last delivery failed: ${m.lastError.slice(0, 300)}`
        : 'no relay has taken it: is an API instance running its relay?';
    return {
      kind,
      subject: `outbox:${m.id}`,
      dossierCode: m.aggregateKey,
      repaired: kind === 'OUTBOX_LEASE_OVERLONG',
      detail:
        kind === 'OUTBOX_LEASE_OVERLONG'
          ? `Outbox message ${m.id} (${m.kind}, ${m.aggregateKey}, ${m.attempts} attempts) was leased until after ` +
            `any relay's lease; released: due now.`
          : `Outbox message ${m.id} (${m.kind}, ${m.aggregateKey}, ${m.attempts} attempts) has been due since ` +
            `${m.availableAt.toISOString()}, its lease long run out; ${why}. Not repaired: it is free for any relay ` +
            'to take; the watchdog does not deliver it itself.',
    };
  };

  return {
    /** One bounded page of the open dossiers (after the cursor), each compared with its workflow; heartbeats each. */
    async reconcileDossierPage({
      afterId,
      limit,
    }: {
      afterId: string | null;
      limit: number;
    }): Promise<WatchdogDossierPage> {
      const rows = await watchdog.openDossiers(afterId, limit);
      const findings: WatchdogFindingInput[] = [];
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < rows.length) {
          const row = rows[next++];
          const finding = await reconcile(row);
          if (finding) {
            findings.push(finding);
          }
          Context.current().heartbeat(row.id);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, lane));
      await watchdog.record(findings);
      if (findings.length > 0) {
        log.warn('watchdog findings', { dossiers: findings.map((f) => `${f.kind} ${f.subject}`) });
      }
      return {
        scanned: rows.length,
        nextAfterId: rows.length < limit ? null : rows[rows.length - 1].id,
        ...summarise(findings),
      };
    },

    /** Outbox messages stuck past their lease (reported) or leased for longer than any relay does (released). */
    async reconcileOutbox(): Promise<{ findings: WatchdogFindingCounts; repaired: number }> {
      const released = await watchdog.releaseOverlongLeases(LONGEST_LEASE_MS, OUTBOX_LIMIT);
      const expired = await watchdog.expiredLeases(outboxStuckMs, OUTBOX_LIMIT);
      const findings = [
        ...released.map((m) => outboxFinding(m, 'OUTBOX_LEASE_OVERLONG')),
        ...expired.map((m) => outboxFinding(m, 'OUTBOX_LEASE_EXPIRED')),
      ];
      await watchdog.record(findings);
      return summarise(findings);
    },
  };
}

export type WatchdogActivities = ReturnType<typeof createWatchdogActivities>;
