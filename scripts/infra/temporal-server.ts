import { createServer } from 'node:net';
import { type DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServerExecutable, testServerExecutable } from './tools';

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface DevServerOptions {
  port: number;
  /** Web UI port; omit to run without the UI. */
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; omit for an in-memory server. */
  dbFilename?: string;
  namespace?: string;
  /** More namespaces created at start (served at once, unlike ones registered later). */
  extraNamespaces?: string[];
  /** The environment's client's converter (the payload encryption the product's processes use). */
  dataConverter?: DataConverter;
}

/** The Temporal dev server from the locally built CLI (or the SDK's download where Go is missing). */
export async function startTemporalDevServer(options: DevServerOptions): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: devServerExecutable(),
      ip: '127.0.0.1',
      port: options.port,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      dbFilename: options.dbFilename,
      namespace: options.namespace ?? 'default',
      log: { format: 'json', level: 'warn' },
      extraArgs: (options.extraNamespaces ?? []).flatMap((n) => ['--namespace', n]),
    },
    client: { dataConverter: options.dataConverter },
  });
}

/** The time-skipping test server (Java, from Maven Central) for deadline tests; its client encodes with `dataConverter`. */
export async function startTimeSkippingServer(dataConverter?: DataConverter): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: testServerExecutable() },
    client: { dataConverter },
  });
}
