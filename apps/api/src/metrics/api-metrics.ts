import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { OutboxRelayService } from '../outbox/outbox-relay.service';
import { AppConfig } from '../../../../libs/config/src';
import { MonitoringStore, OutboxStore, type UnitDeadlines, WatchdogStore } from '../../../../libs/persistence/src';

/** How long the overdue and at-risk gauges keep one count (a scrape every few seconds costs one query per bound). */
export const DEADLINE_GAUGES_MAX_AGE_MS = 30_000;

/** Seconds; an Update round trip is tens of milliseconds, a slow one seconds. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How a request to receive a dossier ended. */
export type IntakeResult = 'received' | 'replayed' | 'refused' | 'failed';

/**
 * The API's Prometheus metrics, in a registry of its own (a test process that runs two APIs keeps two). Labels are
 * enumerations (results, action names, rule codes, route templates, unit codes): never a dossier code or a name.
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();

  readonly intakes = new Counter({
    name: 'dossier_intakes_total',
    help: 'Requests to receive a dossier (at the desk or from an online submission), by result',
    labelNames: ['source', 'result'] as const,
    registers: [this.registry],
  });

  readonly actions = new Histogram({
    name: 'dossier_action_duration_seconds',
    help: 'Officer actions on a dossier (each a Temporal Update) and their latency, by action and outcome (ok, refused, failed); _count counts them',
    labelNames: ['action', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly refusals = new Counter({
    name: 'dossier_refusals_total',
    help: 'Requests refused (403, 409, 422) by the rule the answer names (its `rule`, else its `code`), status and route template',
    labelNames: ['rule', 'code', 'status', 'route'] as const,
    registers: [this.registry],
  });

  private deadlines?: { at: number; value: Promise<UnitDeadlines[]> };

  constructor(
    @Inject(AppConfig) readonly config: AppConfig,
    outbox: OutboxStore,
    private readonly monitoring: MonitoringStore,
    watchdog: WatchdogStore,
    relay: OutboxRelayService,
  ) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'watchdog_findings',
      help: 'What the deadline watchdog found PostgreSQL and the workflows disagreeing on, by kind, repaired or not (read from watchdog_findings at scrape)',
      labelNames: ['kind', 'repaired'] as const,
      registers: [this.registry],
      async collect() {
        for (const c of await watchdog.countsByKind()) {
          this.set({ kind: c.kind, repaired: 'true' }, c.repaired);
          this.set({ kind: c.kind, repaired: 'false' }, c.unrepaired);
        }
      },
    });
    const backlog = async () => outbox.backlog();
    new Gauge({
      name: 'outbox_pending_messages',
      help: 'Outbox messages not yet delivered (workflow starts, portal sync, hand-offs), read from PostgreSQL at scrape',
      registers: [this.registry],
      async collect() {
        this.set((await backlog()).pending);
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest undelivered outbox message (0 when none), read from PostgreSQL at scrape',
      registers: [this.registry],
      async collect() {
        const { oldestCreatedAt } = await backlog();
        this.set(oldestCreatedAt ? Math.max(0, (Date.now() - oldestCreatedAt.getTime()) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'workflow_starts_in_flight',
      help: "New dossiers' workflows this instance's relay started that no worker has taken up yet (at most WORKFLOW_STARTS_IN_FLIGHT; the rest wait in the outbox)",
      registers: [this.registry],
      collect() {
        this.set(relay.startsInFlight());
      },
    });
    const deadlines = () => this.unitDeadlines();
    new Gauge({
      name: 'dossiers_overdue',
      help: `Open dossiers past their due time, by the unit holding them (counted at most every ${DEADLINE_GAUGES_MAX_AGE_MS / 1000} s)`,
      labelNames: ['unit'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await deadlines();
        this.reset();
        for (const r of rows) {
          this.set({ unit: r.unitCode }, r.overdue);
        }
      },
    });
    new Gauge({
      name: 'dossiers_at_risk',
      help: `Open dossiers not yet late whose warning point has passed, by the unit holding them (counted at most every ${DEADLINE_GAUGES_MAX_AGE_MS / 1000} s)`,
      labelNames: ['unit'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await deadlines();
        this.reset();
        for (const r of rows) {
          this.set({ unit: r.unitCode }, r.atRisk);
        }
      },
    });
  }

  /** One count shared by both gauges and by scrapes within the bound; a failed count is not kept. */
  private unitDeadlines(): Promise<UnitDeadlines[]> {
    const now = Date.now();
    if (!this.deadlines || now - this.deadlines.at > DEADLINE_GAUGES_MAX_AGE_MS) {
      const value = this.monitoring.deadlinesByUnit();
      const entry = { at: now, value };
      this.deadlines = entry;
      value.catch(() => {
        if (this.deadlines === entry) {
          this.deadlines = undefined;
        }
      });
    }
    return this.deadlines.value;
  }
}
