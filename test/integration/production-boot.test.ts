import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTestDatabase, eventually, infrastructure } from '../support/infrastructure';
import { TEST_PAYLOAD_KEYS } from '../support/payload-keys';
import { claimNamespace } from '../support/product';

/**
 * The built API and worker (`node dist/...`), as an operator starts them with DEPLOYMENT_MODE unset (production): with
 * every required setting they boot and answer; without any one of them, or with one that would send personal data in
 * clear, they stop at once with a line naming the setting, before listening or polling.
 */
const ROOT = join(__dirname, '..', '..');
const API = join(ROOT, 'dist/apps/api/src/main.js');
const WORKER = join(ROOT, 'dist/apps/worker/src/main.js');

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts a built entry point with exactly `env` (nothing inherited but PATH and HOME). */
function run(entry: string, env: Record<string, string | undefined>): Run {
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

/** Runs an entry point that must refuse to boot: its exit code and what it said, within 30 s. */
async function refusal(
  entry: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; said: string }> {
  const r = run(entry, env);
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 30_000);
  const code = await r.exited;
  clearTimeout(timer);
  return { code, said: r.stderr() };
}

describe('production boot: the settings it cannot run without (built API and worker as processes)', () => {
  let production: Record<string, string | undefined>;

  beforeAll(async () => {
    production = {
      // DEPLOYMENT_MODE unset: production is the default.
      DATABASE_URL: await createTestDatabase(),
      TEMPORAL_ADDRESS: infrastructure().temporalAddress,
      TEMPORAL_NAMESPACE: claimNamespace(),
      TEMPORAL_TASK_QUEUE: `dossiers-${randomBytes(4).toString('hex')}`,
      // The test server listens in plain text on loopback (production defaults to TLS).
      TEMPORAL_TLS: 'false',
      TEMPORAL_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      // Plain http is taken from loopback only; nothing is fetched until a token arrives.
      JWKS_URL: 'http://127.0.0.1:9/jwks',
      JWT_ISSUER: 'https://sso.example.gov.vn/realms/province',
      JWT_AUDIENCE: 'dossier-engine',
      LOOKUP_PIN_KEY: Buffer.alloc(32, 9).toString('base64'),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
  });

  it('boots the API with every required setting and answers its liveness probe', async () => {
    const port = await freePort();
    const api = run(API, { ...production, PORT: String(port) });
    try {
      const live = await eventually(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/health/live`);
        return res.status === 200 ? res.status : undefined;
      }, 'the production API to listen');
      expect(live).toBe(200);
      // No demo sign-in in production: the embedded token endpoint does not hand out officers.
      const demo = await fetch(`http://127.0.0.1:${port}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin' }),
      });
      expect(demo.status).toBeGreaterThanOrEqual(400);
      expect(demo.status).toBeLessThan(500);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  }, 60_000);

  it.each([
    ['JWT_ISSUER', 'JWT_ISSUER is required in production'],
    ['JWT_AUDIENCE', 'JWT_AUDIENCE is required in production'],
    ['TEMPORAL_PAYLOAD_KEYS', 'TEMPORAL_PAYLOAD_KEYS is required in production'],
    ['LOOKUP_PIN_KEY', 'LOOKUP_PIN_KEY is required in production'],
    ['JWKS_URL', 'JWKS_URL'],
    ['DATABASE_URL', 'DATABASE_URL'],
    ['TEMPORAL_ADDRESS', 'TEMPORAL_ADDRESS'],
  ])(
    'stops the API without %s, naming it',
    async (key, message) => {
      const { code, said } = await refusal(API, { ...production, PORT: String(await freePort()), [key]: undefined });
      expect(code).toBe(1);
      expect(said).toContain(message);
    },
    40_000,
  );

  it.each([
    ['JWKS_URL', 'http://sso.example.gov.vn/jwks', 'JWKS_URL must be an https URL in production'],
    ['PORTAL_SYNC_URL', 'http://portal.example.gov.vn/sync', 'PORTAL_SYNC_URL must be an https:// URL in production'],
    ['DEPLOYMENT_MODE', 'staging', 'DEPLOYMENT_MODE'],
    ['OIDC_ISSUER', 'http://sso.example.gov.vn/realms/province', 'OIDC_ISSUER must be an https URL in production'],
    [
      'PARTNER_SYSTEMS',
      JSON.stringify([
        {
          id: 'police-system',
          url: 'http://police.example.gov.vn',
          outboundKey: 'o'.repeat(32),
          inboundKeys: ['i'.repeat(32)],
          agencies: ['000.00.05.H36'],
        },
      ]),
      'PARTNER_SYSTEMS[0].url must be an https:// URL in production',
    ],
  ])(
    'stops the API when %s is %s',
    async (key, value, message) => {
      const { code, said } = await refusal(API, { ...production, PORT: String(await freePort()), [key]: value });
      expect(code).toBe(1);
      expect(said).toContain(message);
    },
    40_000,
  );

  it('stops the worker without the keys that encrypt what it hands Temporal', async () => {
    const { code, said } = await refusal(WORKER, { ...production, TEMPORAL_PAYLOAD_KEYS: undefined });
    expect(code).toBe(1);
    expect(said).toContain('TEMPORAL_PAYLOAD_KEYS is required in production');
  }, 40_000);

  it('stops the worker whose metrics listener faces the network without a scraper token', async () => {
    const { code, said } = await refusal(WORKER, {
      ...production,
      WORKER_METRICS_PORT: String(await freePort()),
      WORKER_METRICS_HOST: '0.0.0.0',
    });
    expect(code).toBe(1);
    expect(said).toContain('METRICS_TOKEN is required in production when WORKER_METRICS_HOST is beyond loopback');
  }, 40_000);
});
