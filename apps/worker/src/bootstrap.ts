import 'reflect-metadata';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { type AppConfig } from '../../../libs/config/src';
import { TemporalWorkerService } from './temporal-worker.service';
import { WorkerModule } from './worker.module';
import { startTracing } from '../../../libs/telemetry/src';

/** The worker process: a NestJS application context (no HTTP listener) hosting the Temporal worker. */
export async function createWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, 'dossier-engine-worker');
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  context.useLogger(context.get(Logger));
  // No enableShutdownHooks(): main.ts closes the context on SIGTERM itself and exits 0; tests close it themselves.
  await context.init();
  return context;
}

export function workerDone(context: INestApplicationContext): Promise<void> {
  return context.get(TemporalWorkerService).done;
}
