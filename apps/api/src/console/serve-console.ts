import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type NextFunction, type Request, type Response } from 'express';

/** Where `npm run build` puts the console, seen from this file in the sources and in dist/. */
const BUILT_CONSOLE = [resolve(__dirname, '../../../../dist/web'), resolve(__dirname, '../../../../web')];

/** Paths that belong to the API (and the scrapers' `/metrics`), never to the console's fallback. */
const API_PATHS = /^\/(api|public|metrics)(\/|$)/;

/** The console's folder, or null when it was not built (the API then serves only the API). */
export function consoleDir(configured?: string): string | null {
  const candidates = configured ? [resolve(configured)] : BUILT_CONSOLE;
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * Serves the web console at `/`: hashed assets cached for good, and `index.html` for every other page the console
 * routes itself (`/ho-so/…`, `/tra-cuu`), so a reload or a shared link opens the right screen.
 */
export function serveConsole(app: NestExpressApplication, dir: string): void {
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  app.useStaticAssets(dir, { index: false, maxAge: 0 });
  const index = join(dir, 'index.html');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
