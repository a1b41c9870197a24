import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

// Suites that run Temporal wait on real servers: minutes, not seconds. No fake timers here.
jest.setTimeout(240_000);

// One SDK runtime per test process, quiet unless something is wrong (an outage test still shows its errors).
try {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} },
    },
  });
} catch {
  // already installed in this worker process
}
