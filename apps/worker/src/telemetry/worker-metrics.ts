import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { type ActivityInterceptorsFactory } from '@temporalio/worker';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type AppConfig } from '../../../../libs/config/src';
import { metricsAccess } from '../../../../libs/telemetry/src';

/** Seconds; an activity writes a few rows, a report rollup may take a while. */
const ACTIVITY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The worker's own Prometheus metrics (its registry: a test process that also runs an API keeps both apart): the
 * process's defaults and each activity's duration by type and outcome. The Temporal SDK's metrics (workflow task
 * latency, schedule-to-start, slots, polls…) come from the SDK's core and are appended at scrape (see `sdkMetrics`).
 */
export class WorkerMetrics {
  readonly registry = new Registry();

  readonly activities = new Histogram({
    name: 'worker_activity_duration_seconds',
    help: 'Activity executions on this worker and their duration, by activity type and outcome (ok, failed)',
    labelNames: ['activity_type', 'outcome'] as const,
    buckets: ACTIVITY_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Times every activity execution. */
  readonly activityInterceptor: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      execute: async (input, next) => {
        const end = this.activities.startTimer({ activity_type: ctx.info.activityType });
        try {
          const result = await next(input);
          end({ outcome: 'ok' });
          return result;
        } catch (e) {
          end({ outcome: 'failed' });
          throw e;
        }
      },
    },
  });
}

/** A free port on loopback for the SDK core's own Prometheus exporter, which only this process reads. */
export async function freeLoopbackAddress(): Promise<string> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `127.0.0.1:${port}`;
}

/** The SDK core's metrics (prefixed `temporal_`) as its exporter serves them; empty when it has none or is gone. */
async function sdkMetrics(address: string | undefined): Promise<string> {
  if (!address) {
    return '';
  }
  try {
    const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : '';
  } catch {
    return '';
  }
}

/**
 * The worker's metrics listener: `GET /metrics` on WORKER_METRICS_HOST:WORKER_METRICS_PORT (loopback unless set),
 * behind METRICS_TOKEN when set, answering the worker's registry followed by the SDK core's metrics.
 */
export async function listenForScrapes(
  config: AppConfig,
  metrics: WorkerMetrics,
  sdkAddress: string | undefined,
): Promise<Server | undefined> {
  if (config.WORKER_METRICS_PORT === undefined) {
    return undefined;
  }
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    // Production without a token serves loopback only (the configuration refuses it beyond): the host's own scraper.
    const access = metricsAccess(
      { ...config, DEPLOYMENT_MODE: config.METRICS_TOKEN ? config.DEPLOYMENT_MODE : 'embedded' },
      req.headers.authorization,
    );
    if (access !== 'allowed') {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    void Promise.all([metrics.registry.metrics(), sdkMetrics(sdkAddress)]).then(
      ([own, sdk]) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(sdk ? `${own}\n${sdk}` : own);
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST, () => resolve());
  });
  return server;
}
