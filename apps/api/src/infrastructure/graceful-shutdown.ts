import { type Server } from 'node:http';
import { Global, type INestApplication, Injectable, Logger, Module } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import { type AppConfig } from '../../../../libs/config/src';

/** Whether the API is stopping: readiness answers 503 from the first moment, before the listener closes. */
@Injectable()
export class ShutdownState {
  draining = false;
  /** Responses not yet sent: told to close their connection once the drain starts. */
  readonly inFlight = new Set<Response>();

  /** Tracks each request; while draining, a response closes its (keep-alive) connection behind it. */
  middleware() {
    return (_req: Request, res: Response, next: NextFunction): void => {
      this.inFlight.add(res);
      res.on('close', () => this.inFlight.delete(res));
      if (this.draining) {
        res.setHeader('Connection', 'close');
      }
      next();
    };
  }

  startDraining(): void {
    this.draining = true;
    for (const res of this.inFlight) {
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
      }
    }
  }
}

@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class ShutdownModule {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * SIGTERM or SIGINT: readiness turns not-ready, the API keeps serving for SHUTDOWN_READINESS_DELAY_MS, then stops
 * accepting connections and waits (at most SHUTDOWN_GRACE_MS) for the requests in flight to be answered; then Nest's
 * shutdown hooks run (the outbox relay's last pass, the Schedules' keepers, Temporal and PostgreSQL closed) and the
 * process exits 0. Idle keep-alive connections are closed as they become idle.
 */
export function installGracefulShutdown(
  app: INestApplication,
  config: AppConfig,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const logger = new Logger('Shutdown');
  const state = app.get(ShutdownState);
  const server = app.getHttpServer() as Server;
  let stopping = false;

  const drain = async (signal: string): Promise<void> => {
    state.startDraining();
    logger.log(`${signal}: not ready; draining ${state.inFlight.size} request(s) in flight`);
    if (config.SHUTDOWN_READINESS_DELAY_MS > 0) {
      await sleep(config.SHUTDOWN_READINESS_DELAY_MS);
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const grace = setTimeout(() => {
      logger.warn(`${state.inFlight.size} request(s) still open after ${config.SHUTDOWN_GRACE_MS} ms; closing them`);
      server.closeAllConnections();
    }, config.SHUTDOWN_GRACE_MS);
    server.closeIdleConnections();
    await closed;
    clearInterval(idle);
    clearTimeout(grace);
    logger.log('requests drained; closing');
    await app.close();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    drain(signal).then(
      () => exit(0),
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
