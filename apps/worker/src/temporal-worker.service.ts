import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  type ActivityInterceptorsFactory,
  type LogLevel,
  type LogMetadata,
  NativeConnection,
  Runtime,
  Worker,
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
  CalendarStore,
  DossierStore,
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
  private workers: Worker[] = [];
  private running?: Promise<void>;
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
    const queues = [
      ...(this.config.WORKER_MAIN_QUEUE ? [this.config.TEMPORAL_TASK_QUEUE] : []),
      ...(await this.agencies()).map((agency) => agencyTaskQueue(this.config, agency)),
    ];
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
    for (const taskQueue of queues) {
      this.workers.push(
        await Worker.create({
          connection: this.connection,
          namespace: this.config.TEMPORAL_NAMESPACE,
          taskQueue,
          ...source,
          dataConverter: temporalDataConverter(this.config),
          activities,
          interceptors: { activity: [...tracingInterceptors, this.metrics.activityInterceptor] },
          // On shutdown, running activities get this long to finish before they are cancelled (and retried elsewhere).
          shutdownGraceTime: this.config.SHUTDOWN_GRACE_MS,
        }),
      );
    }
    this.running = Promise.all(this.workers.map((w) => w.run())).then(() => undefined);
    this.running.catch((e: unknown) => this.logger.error({ err: e }, 'worker stopped with an error'));
    this.metricsServer = await listenForScrapes(this.config, this.metrics, sdkMetricsAddress);
    if (this.metricsServer) {
      this.logger.log(`metrics on ${this.config.WORKER_METRICS_HOST}:${this.metricsPort}/metrics`);
    }
    this.logger.log(`polling task queues ${queues.join(', ')} on ${this.config.TEMPORAL_ADDRESS}`);
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
    for (const worker of this.workers) {
      if (worker.getState() === 'RUNNING') {
        worker.shutdown();
      }
    }
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    await new Promise((resolve) => (this.metricsServer ? this.metricsServer.close(resolve) : resolve(undefined)));
    await flushTracing();
  }

  /** The port the metrics listener took (WORKER_METRICS_PORT, or the one given for 0); undefined without one. */
  get metricsPort(): number | undefined {
    const address = this.metricsServer?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  /** Resolves when the worker stops (after shutdown, or on a fatal error). */
  get done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
