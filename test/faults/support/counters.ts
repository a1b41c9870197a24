import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client } from 'pg';
import { snapshotQuery } from '../../../workflows/dossier.messages';
import { EXAMPLE_A_WALK } from '../../support/dossier-fixtures';
import { testDataConverter } from '../../support/payload-keys';
import { applicantOf, type DriverResult, stepsFor } from './driver';
import { type PortalDelivery } from './topology';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long a timer may take to fire and be stored under load before it counts as missed. */
const TIMER_GRACE_MS = 30_000;

/** One number the run printed, beside what it must be. */
export interface Count {
  label: string;
  actual: number;
  expected: number;
  /** Up to a few examples of what differs, to start the search with. */
  examples?: string[];
}

interface Observed {
  at: Date;
  pgCodes: Map<string, { applicant: string; lastEventSeq: number }>;
  events: Map<string, { seq: number; type: string; at: string; stepNo: number | null }[]>;
  outboxPending: number;
  workflows: Map<string, { status: string; lastEventSeq: number | null; completed: Map<number, string> }>;
}

export interface Reconciler {
  /** Waits until the outbox is drained and every workflow's transitions are in PostgreSQL and at the portal. */
  quiesce(timeoutMs: number): Promise<boolean>;
  counts(): Promise<Count[]>;
  close(): Promise<void>;
}

/** Reads PostgreSQL, Temporal and the portal's deliveries, and counts what the driver's answers promised. */
export async function reconciler(options: {
  databaseUrl: string;
  temporalAddress: string;
  driver: DriverResult;
  deliveries: PortalDelivery[];
}): Promise<Reconciler> {
  const { driver, deliveries } = options;
  const dossiers = driver.started;
  const db = new Client({ connectionString: options.databaseUrl });
  await db.connect();
  const connection = await Connection.connect({ address: options.temporalAddress });
  const temporal = new TemporalClient({ connection, namespace: 'default', dataConverter: testDataConverter() });
  const accepted = new Set([...driver.codes.values()].flatMap((s) => [...s]));

  async function observe(): Promise<Observed> {
    const at = new Date();
    const rows = await db.query<{ code: string; applicant_id_number: string; last_event_seq: number }>(
      `SELECT code, applicant_id_number, last_event_seq FROM dossiers`,
    );
    const pgCodes = new Map(
      rows.rows.map((r) => [r.code, { applicant: r.applicant_id_number, lastEventSeq: r.last_event_seq }]),
    );
    const eventRows = await db.query<{
      dossier_code: string;
      seq: number;
      type: string;
      occurred_at: Date;
      step_no: number | null;
    }>(
      `SELECT dossier_code, seq, type, occurred_at, (payload->>'stepNo')::int AS step_no
       FROM dossier_events ORDER BY dossier_code, seq`,
    );
    const events: Observed['events'] = new Map();
    for (const r of eventRows.rows) {
      const event = { seq: r.seq, type: r.type, at: r.occurred_at.toISOString(), stepNo: r.step_no };
      events.set(r.dossier_code, [...(events.get(r.dossier_code) ?? []), event]);
    }
    const [{ pending }] = (
      await db.query<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM outbox_messages WHERE dispatched_at IS NULL`,
      )
    ).rows;
    const workflows: Observed['workflows'] = new Map();
    const codes = [...new Set([...accepted, ...pgCodes.keys()])];
    for (let i = 0; i < codes.length; i += 16) {
      await Promise.all(
        codes.slice(i, i + 16).map(async (code) => {
          const handle = temporal.workflow.getHandle(code);
          try {
            const { status } = await handle.describe();
            const snapshot = await handle.query(snapshotQuery).catch(() => null);
            const completed = new Map(
              (snapshot?.steps ?? []).flatMap((step) => (step.completedAt ? [[step.no, step.completedAt]] : [])),
            );
            workflows.set(code, { status: status.name, lastEventSeq: snapshot?.lastEventSeq ?? null, completed });
          } catch {
            workflows.set(code, { status: 'NOT_FOUND', lastEventSeq: null, completed: new Map() });
          }
        }),
      );
    }
    return { at, pgCodes, events, outboxPending: pending, workflows };
  }

  const expectedKeys = (o: Observed): Set<string> =>
    new Set([...o.events.entries()].flatMap(([code, list]) => list.map((e) => `${code}:${e.seq}`)));

  function settled(o: Observed): boolean {
    if (o.outboxPending > 0) {
      return false;
    }
    for (const [code, { lastEventSeq }] of o.pgCodes) {
      if (o.workflows.get(code)?.lastEventSeq !== lastEventSeq) {
        return false;
      }
    }
    const delivered = new Set(deliveries.map((d) => d.key));
    return [...expectedKeys(o)].every((k) => delivered.has(k));
  }

  /** The deadlines that passed before `cutoff` beside the facts and rungs the workflows recorded for them. */
  async function timerCounts(cutoff: Date): Promise<Count[]> {
    const steps = await db.query<{ code: string; no: number; breached: boolean; halved: boolean }>(
      `SELECT s.dossier_code AS code, s.no,
              EXISTS (SELECT 1 FROM deadline_facts f WHERE f.dossier_code = s.dossier_code AND f.kind = 'STEP_BREACH'
                        AND f.step_no = s.no) AS breached,
              EXISTS (SELECT 1 FROM dossier_events e WHERE e.dossier_code = s.dossier_code AND e.type = 'STEP_HALF_USED'
                        AND (e.payload->>'stepNo')::int = s.no) AS halved
       FROM dossier_steps s
       WHERE s.due_at IS NOT NULL AND s.due_at < $1 AND (s.completed_at IS NULL OR s.completed_at > s.due_at)`,
      [cutoff],
    );
    const dossiersDue = await db.query<{ code: string; breached: boolean }>(
      `SELECT d.code, EXISTS (SELECT 1 FROM deadline_facts f WHERE f.dossier_code = d.code AND f.kind = 'DOSSIER_BREACH')
                AS breached
       FROM dossiers d WHERE d.due_at < $1 AND d.state NOT IN ('RESULT_RETURNED', 'CLOSED', 'WITHDRAWN', 'REFUSED')`,
      [cutoff],
    );
    const twice = await db.query<{ what: string }>(
      `SELECT dossier_code || ' ' || kind || ' step ' || coalesce(step_no::text, '-') AS what FROM deadline_facts
       GROUP BY dossier_code, kind, step_no HAVING count(*) > 1`,
    );
    const stepBreaches = steps.rows.filter((r) => r.breached);
    const halves = steps.rows.filter((r) => r.halved);
    const dossierBreaches = dossiersDue.rows.filter((r) => r.breached);
    const missing = (rows: { code: string; no?: number }[]) =>
      rows.map((r) => `${r.code}${r.no ? ` step ${r.no}` : ''}`);
    return [
      count(
        'step deadlines passed while open: STEP_BREACH facts recorded',
        stepBreaches.length,
        steps.rowCount ?? 0,
        missing(steps.rows.filter((r) => !r.breached)),
      ),
      count(
        'the same steps: half-time rungs (STEP_HALF_USED) recorded',
        halves.length,
        steps.rowCount ?? 0,
        missing(steps.rows.filter((r) => !r.halved)),
      ),
      count(
        'dossier due times passed: DOSSIER_BREACH facts recorded',
        dossierBreaches.length,
        dossiersDue.rowCount ?? 0,
        missing(dossiersDue.rows.filter((r) => !r.breached)),
      ),
      count(
        'breach facts recorded twice',
        twice.rowCount ?? 0,
        0,
        twice.rows.map((r) => r.what),
      ),
    ];
  }

  let last: Observed | undefined;
  const count = (label: string, actual: number, expected: number, examples: string[] = []): Count => ({
    label,
    actual,
    expected,
    examples: examples.slice(0, 5),
  });

  return {
    async quiesce(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        last = await observe();
        if (settled(last)) {
          return true;
        }
        await sleep(2000);
      }
      return false;
    },

    async counts() {
      const o = last ?? (await observe());
      const counts: Count[] = [];

      // Dossiers: every intake key answered 201 once, one dossier per key, in PostgreSQL and in Temporal.
      const keysWithTwoCodes = [...driver.codes.entries()].filter(([, s]) => s.size > 1);
      counts.push(count('intakes answered 201 (one per Idempotency-Key)', driver.codes.size, dossiers));
      counts.push(
        count(
          'intake keys answered with two different codes',
          keysWithTwoCodes.length,
          0,
          keysWithTwoCodes.map(([i, s]) => `intake-${i}: ${[...s].join(', ')}`),
        ),
      );
      const missingInPg = [...accepted].filter((c) => !o.pgCodes.has(c));
      counts.push(count('dossiers in PostgreSQL', o.pgCodes.size, accepted.size));
      counts.push(count('accepted dossiers missing from PostgreSQL (lost)', missingInPg.length, 0, missingInPg));
      const unanswered = [...o.pgCodes.keys()].filter((c) => !accepted.has(c));
      counts.push(
        count('dossiers in PostgreSQL no client was answered with (duplicates)', unanswered.length, 0, unanswered),
      );
      const byApplicant = new Map<string, string[]>();
      for (const [code, { applicant }] of o.pgCodes) {
        byApplicant.set(applicant, [...(byApplicant.get(applicant) ?? []), code]);
      }
      const twice = [...byApplicant.entries()].filter(([, codes]) => codes.length > 1);
      counts.push(
        count(
          'intakes stored as more than one dossier',
          twice.length,
          0,
          twice.map(([a, c]) => `${a}: ${c.join(', ')}`),
        ),
      );
      const allCodes = [...o.pgCodes.keys()];
      counts.push(count('duplicate dossier codes', allCodes.length - new Set(allCodes).size, 0));
      const live = [...accepted].filter((c) => ['RUNNING', 'COMPLETED'].includes(o.workflows.get(c)?.status ?? ''));
      counts.push(count('accepted dossiers running or finished in Temporal', live.length, accepted.size));
      const notLive = [...accepted].filter((c) => !live.includes(c));
      counts.push(
        count(
          'accepted dossiers without a running or finished workflow',
          notLive.length,
          0,
          notLive.map((c) => `${c}: ${o.workflows.get(c)?.status}`),
        ),
      );

      // Events: PostgreSQL has every transition the workflow made, once, in order.
      const eventMismatch: string[] = [];
      const gaps: string[] = [];
      let pgEvents = 0;
      let wfTransitions = 0;
      for (const code of accepted) {
        const list = o.events.get(code) ?? [];
        pgEvents += list.length;
        const wf = o.workflows.get(code)?.lastEventSeq;
        wfTransitions += (wf ?? -1) + 1;
        if (wf === null || wf === undefined || list.length !== wf + 1 || o.pgCodes.get(code)?.lastEventSeq !== wf) {
          eventMismatch.push(
            `${code}: ${list.length} events, workflow seq ${wf}, dossier row seq ${o.pgCodes.get(code)?.lastEventSeq}`,
          );
        }
        if (list.some((e, n) => e.seq !== n)) {
          gaps.push(`${code}: seqs ${list.map((e) => e.seq).join(',')}`);
        }
      }
      counts.push(count('events in PostgreSQL (the RECEIVED one included)', pgEvents, wfTransitions));
      counts.push(
        count('dossiers whose events differ from their workflow’s transitions', eventMismatch.length, 0, eventMismatch),
      );
      counts.push(count('dossiers with a gap in their event seqs', gaps.length, 0, gaps));
      // The stored history is the workflow's: each step completed when the workflow says, not at another time (as a
      // workflow task that was lost with its worker, then redone later, would have written it).
      const otherHistory: string[] = [];
      for (const code of accepted) {
        const truth = o.workflows.get(code)?.completed ?? new Map<number, string>();
        const stored = new Map(
          (o.events.get(code) ?? []).filter((e) => e.type === 'STEP_COMPLETED').map((e) => [e.stepNo, e.at]),
        );
        const differing = [...truth].filter(([no, at]) => stored.get(no) !== at);
        if (differing.length > 0 || stored.size !== truth.size) {
          otherHistory.push(
            `${code}: ${differing.map(([no, at]) => `step ${no} completed at ${at}, stored ${stored.get(no)}`).join('; ')}`,
          );
        }
      }
      counts.push(
        count(
          'dossiers whose stored completions differ from the workflow’s (events of a discarded workflow task)',
          otherHistory.length,
          0,
          otherHistory,
        ),
      );

      // Each action answered 200 is one transition; none twice, none missing.
      const wrongWalk: string[] = [];
      for (const [i, set] of driver.codes) {
        const code = [...set][0];
        const walked = EXAMPLE_A_WALK.slice(0, driver.walked.get(i) ?? 0);
        const types = (o.events.get(code) ?? []).map((e) => e.type);
        const n = (t: string): number => types.filter((x) => x === t).length;
        const expected = {
          RECEIVED: 1,
          PROCESSING_STARTED: 1,
          STEP_CLAIMED: walked.filter(([, a]) => a === 'claim').length,
          STEP_COMPLETED: walked.filter(([, a]) => a === 'complete').length,
        };
        const actual = Object.fromEntries(Object.keys(expected).map((t) => [t, n(t)]));
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          wrongWalk.push(`${code}: ${JSON.stringify(actual)} for ${JSON.stringify(expected)}`);
        }
      }
      const answered = [...driver.walked.values()].reduce((s, n) => s + n, 0);
      const intended = [...Array(dossiers).keys()].reduce((s, i) => s + stepsFor(i), 0);
      counts.push(count('officer actions answered 200', answered, intended));
      counts.push(
        count(
          'dossiers whose claims/completions differ from the actions answered (duplicate or missed events)',
          wrongWalk.length,
          0,
          wrongWalk,
        ),
      );

      // The portal: one accepted message per event, under the event's key, the same content each time, in order.
      const expected = expectedKeys(o);
      const firstByKey = new Map<string, PortalDelivery>();
      const changed: string[] = [];
      for (const d of deliveries) {
        const first = firstByKey.get(d.key);
        if (!first) {
          firstByKey.set(d.key, d);
        } else if (first.raw !== d.raw) {
          changed.push(d.key);
        }
      }
      const missed = [...expected].filter((k) => !firstByKey.has(k));
      const unknown = [...firstByKey.keys()].filter((k) => !expected.has(k));
      const perEvent = new Map<string, Set<string>>();
      for (const d of deliveries) {
        const event = `${d.body.dossierCode}#${d.body.seq}`;
        perEvent.set(event, (perEvent.get(event) ?? new Set()).add(d.key));
      }
      const twoKeys = [...perEvent.entries()].filter(([, keys]) => keys.size > 1).map(([e]) => e);
      const outOfOrder: string[] = [];
      const lastSeq = new Map<string, number>();
      for (const d of firstByKey.values()) {
        const before = lastSeq.get(d.body.dossierCode) ?? -1;
        if (d.body.seq !== before + 1) {
          outOfOrder.push(`${d.key} after seq ${before}`);
        }
        lastSeq.set(d.body.dossierCode, Math.max(before, d.body.seq));
      }
      counts.push(count('portal messages accepted (distinct keys)', firstByKey.size, expected.size));
      counts.push(count('events never delivered to the portal (missed)', missed.length, 0, missed));
      counts.push(count('portal keys for no event', unknown.length, 0, unknown));
      counts.push(count('events delivered under two keys (duplicated)', twoKeys.length, 0, twoKeys));
      counts.push(count('keys redelivered with a different body', changed.length, 0, changed));
      counts.push(count('dossiers’ portal messages first delivered out of order', outOfOrder.length, 0, outOfOrder));
      counts.push(count('outbox messages still pending', o.outboxPending, 0));

      // Timers: every deadline that passed while its step (or the dossier) was open left its fact, once; every step
      // that passed half its time open left its rung. Judged up to a while before the last look, so that a timer
      // just due has had time to fire.
      counts.push(...(await timerCounts(new Date(o.at.getTime() - TIMER_GRACE_MS))));

      const fiveHundreds = [...driver.retries.entries()].filter(([reason]) => reason.endsWith(': 500'));
      counts.push(
        count(
          'answers 500 (an unexpected error where an outage must answer 503, retry)',
          fiveHundreds.reduce((sum, [, n]) => sum + n, 0),
          0,
          fiveHundreds.map(([reason, n]) => `${reason} × ${n}`),
        ),
      );
      counts.push(
        count(
          'requests the driver could not complete (refused or never answered)',
          driver.failures.length,
          0,
          driver.failures.map((f) => `dossier ${f.dossier} ${f.what}: ${f.status} ${f.detail}`),
        ),
      );
      // The driver's applicants are the only ones: a dossier of another applicant would be noise from elsewhere.
      const foreign = [...o.pgCodes.values()].filter(
        (d) => ![...Array(dossiers).keys()].some((i) => applicantOf(i) === d.applicant),
      );
      counts.push(count('dossiers of applicants the driver never sent', foreign.length, 0));
      return counts;
    },

    async close() {
      await db.end();
      await connection.close();
    },
  };
}

/** The counts as a table: each number beside its expectation, a cross where they differ. */
export function formatCounts(counts: Count[]): string {
  const width = Math.max(...counts.map((c) => c.label.length));
  return counts
    .map((c) => {
      const ok = c.actual === c.expected;
      const line = `${ok ? '  ok' : 'FAIL'}  ${c.label.padEnd(width)}  ${String(c.actual).padStart(6)}  (expected ${c.expected})`;
      return ok || !c.examples?.length ? line : `${line}\n        e.g. ${c.examples.join('\n             ')}`;
    })
    .join('\n');
}
