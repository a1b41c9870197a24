import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { AppConfig } from '../../../../libs/config/src';
import {
  HANDOFF,
  HANDOFF_CALLBACK,
  HANDOFF_NOTICE,
  type OutboxMessage,
  OutboxStore,
  PORTAL_SYNC,
} from '../../../../libs/persistence/src';
import { type CalendarData, reachableCalendarData } from '../../../../libs/calendar/src';
import { calendarChangedSignal } from '../../../../workflows/dossier.messages';
import { type CalendarChangedSignal, type DossierWorkflowInput } from '../../../../libs/domain/src';
import { DOSSIER_WORKFLOW_RELEASE, DOSSIER_WORKFLOW_TYPE } from '../../../../workflows/dossier.types';
import { type Subscription } from 'rxjs';
import { DossierChangesListener } from '../events/dossier-changes.listener';
import { TemporalClientProvider } from '../infrastructure/temporal.module';
import { HandoffSender } from '../handoffs/handoff-sender';
import { PortalSender } from './portal-sender';
import { continueTrace } from '../../../../libs/telemetry/src';

export const START_DOSSIER_WORKFLOW = 'START_DOSSIER_WORKFLOW';
/** A calendar year was edited: re-project the deadlines of one running dossier (queued with the edit). */
export const CALENDAR_CHANGED = 'CALENDAR_CHANGED';

const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;
const START_DEADLINE_MS = 5_000;
/** A start not taken up by then no longer holds its place in the window (its workflow is late, or gone: the watchdog's). */
const IN_FLIGHT_EXPIRY_MS = 30_000;
/** How often a relay whose window is full looks again when no transition notice woke it. */
const WINDOW_RECHECK_MS = 100;

/**
 * Drains the outbox into Temporal. Delivery is at least once; the workflow ID is the dossier code and a
 * closed workflow is never started again, so a redelivered start is harmless: nothing lost, nothing twice.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  /** The working calendar of a scope, handed to each dossier's workflow at its start (CalendarService's). */
  private calendarOf?: (scope: string) => Promise<CalendarData>;
  /**
   * The dossiers whose workflow this relay started and whose first transition is not stored yet (when started, ms):
   * at most WORKFLOW_STARTS_IN_FLIGHT of them.
   */
  private readonly inFlight = new Map<string, number>();
  /** Set when the window was full with starts still waiting: a transition of one of them wakes the relay. */
  private startsWaiting = false;
  private subscription?: Subscription;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly temporal: TemporalClientProvider,
    private readonly portal: PortalSender,
    private readonly handoffs: HandoffSender,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly changes: DossierChangesListener,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.subscription = this.changes.changes.subscribe((change) => this.transitionStored(change.code));
    this.loop = this.run();
  }

  /** Before shutdown hooks run, so the Temporal connection is closed only after the last delivery attempt. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.subscription?.unsubscribe();
    this.wake();
    await this.loop;
  }

  /**
   * Where the starts take a dossier's calendar from. Read when the workflow is started, after the intake committed:
   * an edit committed before that is in it once its NOTIFY emptied the calendar cache (every instance; no cache
   * while that connection is down), one committed after it finds the dossier and signals it (CALENDAR_CHANGED), as
   * for any running dossier. Left only: an edit whose notice is still on its way when the start reads the cache.
   */
  useCalendars(calendarOf: (scope: string) => Promise<CalendarData>): void {
    this.calendarOf = calendarOf;
  }

  /**
   * A transition was stored (any instance's notice): a dossier in the window that stored its first one leaves it, and
   * a relay waiting for room goes on at once.
   */
  transitionStored(code: string): void {
    if (this.inFlight.delete(code) && this.startsWaiting) {
      this.wake();
    }
  }

  /** How many starts this relay has in flight (the metrics' gauge). */
  startsInFlight(): number {
    return this.inFlight.size;
  }

  /** Called after a commit that added messages, so they go out now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * One pass over the due messages; returns how many were delivered. A lease holds at most one message per
   * dossier (the oldest pending one), so the batch goes out concurrently without reordering any dossier's
   * messages; the delivered ones are marked in one statement and each failure is retried with its own backoff.
   */
  async drainOnce(): Promise<number> {
    const size = this.config.OUTBOX_BATCH_SIZE;
    const room = await this.startRoom();
    const batch =
      room >= size
        ? await this.outbox.lease(size, LEASE_MS)
        : await this.outbox.lease(size, LEASE_MS, { kind: START_DOSSIER_WORKFLOW, limit: room });
    // Full and a start may be left behind: the next transition stored by one in the window wakes the relay.
    const starts = batch.filter((m) => m.kind === START_DOSSIER_WORKFLOW).length;
    this.startsWaiting = room < size && starts >= room;
    const outcomes = await Promise.allSettled(batch.map((message) => this.dispatch(message)));
    await this.outbox.markDispatched(batch.filter((_, i) => outcomes[i].status === 'fulfilled').map((m) => m.id));
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === 'rejected') {
        const message = batch[index];
        const e: unknown = outcome.reason;
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(message.attempts, 7)) * (0.75 + Math.random() / 2);
        const error =
          e instanceof Error ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}` : String(e);
        this.logger.warn(
          { id: message.id, key: message.aggregateKey, attempts: message.attempts, error },
          'outbox delivery failed; will retry',
        );
        await this.outbox.reschedule(message.id, error, delay);
      }
    }
    return outcomes.filter((o) => o.status === 'fulfilled').length;
  }

  /**
   * How many more new dossiers' workflows this relay may start now (WORKFLOW_STARTS_IN_FLIGHT less those started and
   * not yet taken up by a worker); Infinity without a limit. Asks PostgreSQL about the window only once it is full:
   * the transition notices empty it as the workers go, this covers a notice missed (another connection, a restart).
   */
  private async startRoom(): Promise<number> {
    const limit = this.config.WORKFLOW_STARTS_IN_FLIGHT;
    if (limit === 0) {
      return Number.POSITIVE_INFINITY;
    }
    const expired = Date.now() - IN_FLIGHT_EXPIRY_MS;
    for (const [code, at] of this.inFlight) {
      if (at < expired) {
        this.inFlight.delete(code);
      }
    }
    if (this.inFlight.size >= limit) {
      for (const code of await this.outbox.takenUp([...this.inFlight.keys()])) {
        this.inFlight.delete(code);
      }
    }
    return Math.max(0, limit - this.inFlight.size);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let full = false;
      try {
        const batch = await this.drainOnce();
        full = batch >= this.config.OUTBOX_BATCH_SIZE;
      } catch (e) {
        this.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'outbox relay pass failed');
      }
      if (!full) {
        await this.sleep(this.startsWaiting ? WINDOW_RECHECK_MS : this.config.OUTBOX_POLL_INTERVAL_MS);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.woken = false;
        this.wakeUp = undefined;
        done();
      };
    });
  }

  /**
   * The input a new dossier's workflow starts with: this build's release of the rules (no marker per change in its
   * history), and the calendar its dossier can reach, unless it has one or none is at hand (the workflow loads it).
   */
  private async startInput(stored: DossierWorkflowInput): Promise<DossierWorkflowInput> {
    const input = { ...stored, release: DOSSIER_WORKFLOW_RELEASE };
    if (input.calendar || !this.calendarOf) {
      return input;
    }
    try {
      return {
        ...input,
        calendar: reachableCalendarData(await this.calendarOf(input.receivingUnitCode), input.receivedAt),
      };
    } catch (e) {
      this.logger.warn(
        { key: input.dossierCode, error: e instanceof Error ? e.message : String(e) },
        'no calendar for the workflow input; it loads its own',
      );
      return input;
    }
  }

  private async dispatch(message: OutboxMessage): Promise<void> {
    switch (message.kind) {
      case START_DOSSIER_WORKFLOW: {
        // The intake request's trace context, when it carried one, is not the workflow's input.
        const { traceparent, tracestate, ...rest } = message.payload;
        const input = await this.startInput(rest as unknown as DossierWorkflowInput);
        try {
          await continueTrace({ traceparent, tracestate }, () =>
            this.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
              this.temporal.client.workflow.start(DOSSIER_WORKFLOW_TYPE, {
                workflowId: input.dossierCode,
                taskQueue: this.config.TEMPORAL_TASK_QUEUE,
                args: [input],
                workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
              }),
            ),
          );
          this.inFlight.set(input.dossierCode, Date.now());
        } catch (e) {
          if (!(e instanceof WorkflowExecutionAlreadyStartedError)) {
            throw e;
          }
        }
        return;
      }
      case PORTAL_SYNC:
        await this.portal.send(message.payload);
        return;
      case HANDOFF: {
        const { partner, handoffId } = message.payload as { partner: string; handoffId: string };
        await this.handoffs.send(partner, '/api/v1/handoffs', message.payload, handoffId);
        return;
      }
      case HANDOFF_CALLBACK: {
        // The hand-off ID stays in the body too: the partner checks it against the path's.
        const { partner, ...answer } = message.payload as { partner: string; handoffId: string; callbackId: string };
        await this.handoffs.send(
          partner,
          `/api/v1/handoffs/${encodeURIComponent(answer.handoffId)}/callback`,
          answer,
          answer.callbackId,
        );
        return;
      }
      case CALENDAR_CHANGED: {
        const { dossierCode, change } = message.payload as { dossierCode: string; change: CalendarChangedSignal };
        try {
          await this.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
            this.temporal.client.workflow.getHandle(dossierCode).signal(calendarChangedSignal, change),
          );
        } catch (e) {
          // A dossier that finished meanwhile has no deadline left to re-project.
          if (!(e instanceof WorkflowNotFoundError)) {
            throw e;
          }
        }
        return;
      }
      case HANDOFF_NOTICE: {
        const { partner, ...notice } = message.payload as { partner: string; handoffId: string; noticeId: string };
        await this.handoffs.send(
          partner,
          `/api/v1/handoffs/${encodeURIComponent(notice.handoffId)}/notices`,
          notice,
          notice.noticeId,
        );
        return;
      }
      default:
        throw new Error(`unknown outbox message kind ${message.kind}`);
    }
  }
}
