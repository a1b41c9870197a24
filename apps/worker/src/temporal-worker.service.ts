import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  type ActivityInterceptorsFactory,
  type LogLevel,
  type LogMetadata,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
  makeTelemetryFilterString,
} from '@temporalio/worker';
import { Client } from '@temporalio/client';
import { IllegalStateError } from '@temporalio/common';
import {
  agencyTaskQueue,
  AppConfig,
  temporalConnectionSettings,
  temporalDataConverter,
} from '../../../libs/config/src';
import {
  CATALOG_CHANGED_CHANNEL,
  CalendarStore,
  DossierStore,
  PgListener,
  FileStorage,
  ProcedureStore,
  ReportStore,
  RetentionStore,
  WatchdogStore,
} from '../../../libs/persistence/src';
import {
  createDossierActivities,
  createReportActivities,
  createRetentionActivities,
  createWatchdogActivities,
} from '../../../activities';
import { actionsTaskQueue } from '../../../workflows/dossier.types';
import { workflowsSource } from './workflows-source';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { type Server } from 'node:http';
import { activeTracing, flushTracing } from '../../../libs/telemetry/src';
import { WorkerMetrics, freeLoopbackAddress, listenForScrapes } from './telemetry/worker-metrics';

let runtimeInstalled = false;

/** Where the SDK core's Prometheus exporter of this process listens (loopback), when it was installed with one. */
let sdkMetricsAddress: string | undefined;

/** A promise with its resolve and reject, settled once. */
function deferred(): { promise: Promise<void>; resolve(): void; reject(e: unknown): void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A failure nobody awaits yet (a test that never reads `done`) is not an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Routes the SDK's own logs (worker state, workflow and activity loggers) into the structured logger. */
function sdkLogger(logger: Logger) {
  const write = (level: LogLevel, message: string, meta?: LogMetadata): void => {
    const payload = { ...meta, msg: message };
    if (level === 'ERROR') {
      logger.error(payload);
    } else if (level === 'WARN') {
      logger.warn(payload);
    } else if (level === 'INFO') {
      logger.log(payload);
    } else {
      logger.debug(payload);
    }
  };
  return {
    log: write,
    trace: (m: string, meta?: LogMetadata) => write('TRACE', m, meta),
    debug: (m: string, meta?: LogMetadata) => write('DEBUG', m, meta),
    info: (m: string, meta?: LogMetadata) => write('INFO', m, meta),
    warn: (m: string, meta?: LogMetadata) => write('WARN', m, meta),
    error: (m: string, meta?: LogMetadata) => write('ERROR', m, meta),
  };
}

/** Hosts the Temporal worker inside a NestJS application context; Nest supplies the activities' dependencies. */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private connection?: NativeConnection;
  private temporalClient?: Client;
  /** The workers by task queue: the main queue's and one per agency, those of agencies published later included. */
  private readonly workers = new Map<string, Worker>();
  private readonly runs: Promise<void>[] = [];
  /** Settles when the worker stops: resolved after shutdown, rejected by the first worker that fails. */
  private readonly stopped = deferred();
  private workerOptions?: Omit<WorkerOptions, 'taskQueue'>;
  /** With WORKER_AGENCIES=all: catalog changes heard (NOTIFY) and the periodic re-check, one check at a time. */
  private catalogListener?: PgListener;
  private recheckTimer?: NodeJS.Timeout;
  private checking: Promise<void> = Promise.resolve();
  private recheckWanted = false;
  private stopping = false;
  private readonly metrics = new WorkerMetrics();
  private metricsServer?: Server;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly dossiers: DossierStore,
    private readonly calendars: CalendarStore,
    private readonly reports: ReportStore,
    private readonly procedures: ProcedureStore,
    private readonly retention: RetentionStore,
    private readonly watchdog: WatchdogStore,
    private readonly storage: FileStorage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runtimeInstalled) {
      runtimeInstalled = true;
      // The SDK's metrics (workflow task latency…) only when someone scrapes them: see WORKER_METRICS_PORT.
      const sdkAddress = this.config.WORKER_METRICS_PORT !== undefined ? await freeLoopbackAddress() : undefined;
      try {
        Runtime.install({
          logger: sdkLogger(new Logger('Temporal')),
          telemetryOptions: {
            logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
            ...(sdkAddress
              ? { metrics: { prometheus: { bindAddress: sdkAddress, countersTotalSuffix: true, unitSuffix: true } } }
              : {}),
          },
        });
        sdkMetricsAddress = sdkAddress;
      } catch (e) {
        // A process that already used the SDK (tests starting a dev server) keeps the runtime it has.
        if (!(e instanceof IllegalStateError)) {
          throw e;
        }
      }
    }
    this.connection = await NativeConnection.connect(temporalConnectionSettings(this.config));
    const activities = {
      ...createDossierActivities({
        dossiers: this.dossiers,
        calendars: this.calendars,
        timeZone: this.config.TIME_ZONE,
      }),
      ...createReportActivities({
        reports: this.reports,
        procedures: this.procedures,
        calendars: this.calendars,
        timeZone: this.config.TIME_ZONE,
        formula: this.config.REPORT_ON_TIME_FORMULA,
      }),
      ...createRetentionActivities({
        retention: this.retention,
        storage: this.storage,
        retentionDays: this.config.PERSONAL_DATA_RETENTION_DAYS,
      }),
      ...createWatchdogActivities({
        watchdog: this.watchdog,
        temporal: () => this.client(),
        outboxStuckMs: this.config.WATCHDOG_OUTBOX_STUCK_MINUTES * 60_000,
      }),
    };
    // One worker per queue over one connection: the agencies' segments run beside the dossiers (an agency that runs
    // its own workers sets WORKER_MAIN_QUEUE=false and WORKER_AGENCIES to its code).
    const source = await workflowsSource();
    const tracing = activeTracing();
    // Each activity's span, a child of the span whose header the workflow passed on (see WORKFLOW_INTERCEPTOR_MODULES).
    const tracingInterceptors: ActivityInterceptorsFactory[] = tracing
      ? [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ]
      : [];
    this.workerOptions = {
      connection: this.connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      ...source,
      dataConverter: temporalDataConverter(this.config),
      activities,
      maxConcurrentWorkflowTaskExecutions: this.config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      ...(this.config.WORKER_MAX_CACHED_WORKFLOWS > 0
        ? { maxCachedWorkflows: this.config.WORKER_MAX_CACHED_WORKFLOWS }
        : {}),
      interceptors: { activity: [...tracingInterceptors, this.metrics.activityInterceptor] },
      // On shutdown, running activities get this long to finish before they are cancelled (and retried elsewhere).
      shutdownGraceTime: this.config.SHUTDOWN_GRACE_MS,
    };
    const queues = [
      ...(this.config.WORKER_MAIN_QUEUE ? [this.config.TEMPORAL_TASK_QUEUE] : []),
      ...(await this.agencies()).map((agency) => agencyTaskQueue(this.config, agency)),
    ];
    for (const taskQueue of queues) {
      await this.poll(taskQueue);
    }
    if (this.config.WORKER_MAIN_QUEUE) {
      // The officers' actions store their transitions on a queue of their own (CURRENT_RULES_PATCH): polled by an
      // activity worker beside the dossiers', so an action does not wait behind the new dossiers' backlog.
      await this.poll(actionsTaskQueue(this.config.TEMPORAL_TASK_QUEUE), { activitiesOnly: true });
    }
    if (this.config.WORKER_AGENCIES === 'all') {
      this.watchCatalog();
    }
    this.metricsServer = await listenForScrapes(this.config, this.metrics, sdkMetricsAddress);
    if (this.metricsServer) {
      this.logger.log(`metrics on ${this.config.WORKER_METRICS_HOST}:${this.metricsPort}/metrics`);
    }
    this.logger.log(`polling task queues ${[...this.workers.keys()].join(', ')} on ${this.config.TEMPORAL_ADDRESS}`);
  }

  /** Creates the worker of one task queue and runs it; its failure stops the process (see `done`). */
  private async poll(taskQueue: string, { activitiesOnly = false } = {}): Promise<void> {
    // An activities-only queue gets no workflow code: no workflow task is ever scheduled on it.
    const { workflowBundle, ...activityOptions } = this.workerOptions!;
    const worker = await Worker.create({
      ...(activitiesOnly ? activityOptions : { ...activityOptions, workflowBundle }),
      taskQueue,
    });
    this.workers.set(taskQueue, worker);
    const run = worker.run();
    run.catch((e: unknown) => {
      this.logger.error({ err: e, taskQueue }, 'worker stopped with an error');
      this.stopped.reject(e);
    });
    this.runs.push(run);
  }

  /**
   * Polls the queue of every agency a procedure published later names, without a restart: at once when PostgreSQL
   * announces a catalog change (NOTIFY catalog_changed, at its commit), and every WORKER_AGENCIES_RECHECK_MS for a
   * notice missed while the LISTEN connection was down (also re-read each time LISTEN takes effect again).
   */
  private watchCatalog(): void {
    this.catalogListener = new PgListener(this.config.DATABASE_URL, CATALOG_CHANGED_CHANNEL, this.logger, {
      notice: () => this.checkAgencies(),
      listening: () => this.checkAgencies(),
    });
    this.catalogListener.start();
    if (this.config.WORKER_AGENCIES_RECHECK_MS > 0) {
      this.recheckTimer = setInterval(() => this.checkAgencies(), this.config.WORKER_AGENCIES_RECHECK_MS);
      this.recheckTimer.unref();
    }
  }

  /** Queues one read of the catalog's agencies (notices heard while one runs fold into the next). */
  private checkAgencies(): void {
    if (this.stopping || this.recheckWanted) {
      return;
    }
    this.recheckWanted = true;
    this.checking = this.checking.then(async () => {
      this.recheckWanted = false;
      if (this.stopping) {
        return;
      }
      try {
        for (const agency of await this.procedures.segmentAgencies()) {
          const taskQueue = agencyTaskQueue(this.config, agency);
          if (!this.workers.has(taskQueue) && !this.stopping) {
            await this.poll(taskQueue);
            this.logger.log(`polling task queue ${taskQueue}: agency ${agency} is new in the catalog`);
          }
        }
      } catch (e) {
        this.logger.warn(
          { error: e instanceof Error ? e.message : String(e) },
          'could not read the catalog for new agencies; the next notice or re-check tries again',
        );
      }
    });
  }

  /** A client of the worker's namespace over its connection (the watchdog describes, queries and resets workflows). */
  private client(): Client {
    this.temporalClient ??= new Client({
      connection: this.connection!,
      namespace: this.config.TEMPORAL_NAMESPACE,
      dataConverter: temporalDataConverter(this.config),
    });
    return this.temporalClient;
  }

  /** The agencies whose segment queues to poll: as configured, or all those named by the catalog's segments. */
  private async agencies(): Promise<string[]> {
    const setting = this.config.WORKER_AGENCIES;
    if (setting === 'none') {
      return [];
    }
    return setting === 'all' ? this.procedures.segmentAgencies() : setting.split(',');
  }

  /** Stops polling, lets in-flight tasks finish (activities: up to SHUTDOWN_GRACE_MS), then closes the connection. */
  async onApplicationShutdown(): Promise<void> {
    // No agency's worker is added from here on: a check under way finishes first, so its worker is shut down too.
    this.stopping = true;
    clearInterval(this.recheckTimer);
    await this.catalogListener?.stop();
    await this.checking;
    for (const worker of this.workers.values()) {
      if (worker.getState() === 'RUNNING') {
        worker.shutdown();
      }
    }
    await Promise.allSettled(this.runs);
    this.stopped.resolve();
    await this.connection?.close();
    await new Promise((resolve) => (this.metricsServer ? this.metricsServer.close(resolve) : resolve(undefined)));
    await flushTracing();
  }

  /** The task queues this worker polls (the agencies' added while it runs included). */
  get taskQueues(): string[] {
    return [...this.workers.keys()];
  }

  /** The port the metrics listener took (WORKER_METRICS_PORT, or the one given for 0); undefined without one. */
  get metricsPort(): number | undefined {
    const address = this.metricsServer?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  /** Resolves when the worker stops after shutdown; rejects when one of its workers fails. */
  get done(): Promise<void> {
    return this.stopped.promise;
  }
}
