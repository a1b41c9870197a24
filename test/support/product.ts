import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { type DestinationStream } from 'pino';
import { type AppConfig } from '../../libs/config/src';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createWorkerContext } from '../../apps/worker/src/bootstrap';
import { createTestDatabase, eventually, infrastructure, testConfig } from './infrastructure';

export interface HttpReply {
  status: number;
  /** A JSON body as the client receives it: untyped, like any HTTP client's view. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the wire has no static type
  body: any;
  headers: Headers;
}

export interface HttpReply {
  status: number;
  /** A JSON body as the client receives it: untyped, like any HTTP client's view. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the wire has no static type
  body: any;
  headers: Headers;
}

export interface RunningProduct {
  config: AppConfig;
  baseUrl: string;
  api: INestApplication;
  worker?: INestApplicationContext;
  /** A bearer token for a seeded demo officer, obtained over HTTP like a client would. */
  token(username: string): Promise<string>;
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<HttpReply>;
  stop(): Promise<void>;
}

/**
 * A namespace of its own on the shared dev server: like two deployments, two products must not share workflow IDs
 * (every test database numbers its dossiers from -0001). The server created the pool at start; claims are files.
 */
export function claimNamespace(): string {
  const { workDir, namespaces } = infrastructure();
  for (const namespace of namespaces) {
    try {
      closeSync(openSync(join(workDir, `${namespace}.claim`), 'wx'));
      return namespace;
    } catch {
      // taken by another test file
    }
  }
  throw new Error(`all ${namespaces.length} test namespaces are taken; raise NAMESPACE_POOL in global-setup.ts`);
}

/** The API (listening on a free port) and the worker, as `npm start` runs them, on a fresh test database. */
export async function startProduct(
  options: { overrides?: Record<string, string>; worker?: boolean; port?: number; logs?: DestinationStream } = {},
): Promise<RunningProduct> {
  const base = testConfig({
    DATABASE_URL: options.overrides?.DATABASE_URL ?? (await createTestDatabase()),
    ...options.overrides,
  });
  const namespace = options.overrides?.TEMPORAL_NAMESPACE ?? claimNamespace();
  const config = testConfig({
    DATABASE_URL: base.DATABASE_URL,
    TEMPORAL_TASK_QUEUE: base.TEMPORAL_TASK_QUEUE,
    TEMPORAL_NAMESPACE: namespace,
    ...options.overrides,
  });
  const worker = options.worker === false ? undefined : await createWorkerContext(config);
  const api = await createApiApp(config, { logDestination: options.logs });
  await api.listen(options.port ?? 0, '127.0.0.1');
  const address = api.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;

  const request: RunningProduct['request'] = async (method, path, opts = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    if (!/json/.test(res.headers.get('content-type') ?? 'json')) {
      return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
    }
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  const tokens = new Map<string, string>();
  const token = async (username: string): Promise<string> => {
    const cached = tokens.get(username);
    if (cached) {
      return cached;
    }
    const res = await request('POST', '/api/v1/auth/token', { body: { username } });
    if (res.status !== 200) {
      throw new Error(`token for ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    tokens.set(username, res.body.accessToken);
    return res.body.accessToken as string;
  };

  if (worker) {
    await eventually(
      async () => ((await request('GET', '/api/v1/health')).status === 200 ? true : undefined),
      'the product to report healthy',
    );
  }
  return {
    config,
    baseUrl,
    api,
    worker,
    token,
    request,
    stop: async () => {
      await api.close();
      await worker?.close();
    },
  };
}
