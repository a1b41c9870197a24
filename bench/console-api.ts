import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type INestApplication } from '@nestjs/common';
import { createApiApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '../libs/config/src';
import { freePort } from '../scripts/infra/temporal-server';
import { ensureChromium } from '../scripts/infra/tools';

/** What the console benchmarks need before they start: the built console and Debian's chromium. */
export function consolePrerequisites(): { consoleDir: string; executablePath: string } {
  const consoleDir = resolve(__dirname, '..', 'web');
  if (!existsSync(join(consoleDir, 'index.html'))) {
    throw new Error(`the console is not built in ${consoleDir}: run npm run build`);
  }
  const executablePath = ensureChromium();
  if (!executablePath) {
    throw new Error("no chromium: install Debian's chromium");
  }
  return { consoleDir, executablePath };
}

/** The API serving the console on loopback (no Temporal: the benchmarks read), and a demo officer's token. */
export async function startConsoleApi(
  databaseUrl: string,
  consoleDir: string,
  username: string,
): Promise<{ api: INestApplication; base: string; accessToken: string }> {
  const config = loadConfig({
    DEPLOYMENT_MODE: 'embedded',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    JWT_SECRET: 'bench-only-secret-at-least-32-characters-long',
    LOG_LEVEL: 'warn',
    CONSOLE_DIR: consoleDir,
  });
  const api = await createApiApp(config);
  await api.listen(0, '127.0.0.1');
  const server = api.getHttpServer() as { address(): { port: number } };
  const base = `http://127.0.0.1:${server.address().port}`;
  const { accessToken } = (await (
    await fetch(`${base}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username }),
    })
  ).json()) as { accessToken: string };
  return { api, base, accessToken };
}
