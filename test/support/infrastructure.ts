import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { type AppConfig, loadConfig } from '../../libs/config/src';
import { TEST_PAYLOAD_KEYS } from './payload-keys';

export const TEMPLATE_DATABASE = 'dossiers_template';

export interface TestInfrastructure {
  postgresServerUrl: string;
  temporalAddress: string;
  workDir: string;
  /** Namespaces the shared dev server created at start, one per product (see product.ts). */
  namespaces: string[];
}

export function infrastructure(): TestInfrastructure {
  const file = process.env.DOSSIER_TEST_INFRASTRUCTURE;
  if (!file) {
    throw new Error('DOSSIER_TEST_INFRASTRUCTURE is not set: run the suites through jest (global setup)');
  }
  return JSON.parse(readFileSync(file, 'utf8')) as TestInfrastructure;
}

/** The URL of another database on the same server. */
export const withDatabase = (serverUrl: string, name: string): string => serverUrl.replace(/\/[^/]*$/, `/${name}`);

/** A fresh database copied from the migrated, seeded template: each test file gets its own. */
export async function createTestDatabase(): Promise<string> {
  const { postgresServerUrl } = infrastructure();
  const name = `test_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: postgresServerUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await client.end();
  }
  return withDatabase(postgresServerUrl, name);
}

/** Configuration as the product would load it, pointed at the test infrastructure. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    DEPLOYMENT_MODE: 'embedded',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    TEMPORAL_ADDRESS: infrastructure().temporalAddress,
    TEMPORAL_TASK_QUEUE: `dossiers-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    OUTBOX_POLL_INTERVAL_MS: '100',
    // Payloads encrypted as in production; the test servers listen in plain text on loopback.
    TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    TEMPORAL_TLS: 'false',
    ...overrides,
  });
}

/** Polls until `probe` returns a value (not undefined), or fails with the last observation. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

/** A free loopback port (so a URL can name a server before it listens). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
