import 'reflect-metadata';
import { type INestApplication, RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import {
  type AppConfig,
  embeddedExposureWarning,
  listenHost,
  loadConfig,
  servesApiDocs,
  trustProxySetting,
} from '../../../libs/config/src';
import { type ApiOptions, AppModule } from './app.module';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { useRequestBodies } from './common/request-body';
import { securityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation.pipe';
import { consoleDir, serveConsole } from './console/serve-console';
import { ShutdownState } from './infrastructure/graceful-shutdown';
import { buildOpenApiDocument } from './openapi';
import { ApiMetrics } from './metrics/api-metrics';
import { requestTelemetry } from './metrics/request-telemetry';
import { startTracing } from '../../../libs/telemetry/src';

/** Builds the HTTP application (shared by `main.ts` and the end-to-end tests). */
export async function createApiApp(config: AppConfig, options: ApiOptions = {}): Promise<INestApplication> {
  // Before anything creates a Temporal client: its interceptor reads the global tracer.
  startTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, 'dossier-engine-api');
  // The raw body is kept for the partner systems' HMAC signatures (hand-offs).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bufferLogs: true,
    rawBody: true,
    // Registered below, with the answer to a body they cannot read (useRequestBodies).
    bodyParser: false,
    // A refusal at boot (embedded mode on a real database…) ends the process with its message, not a core dump.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // First of all middleware: the request's span (its trace ID reaches the logs) and its metrics.
  app.use(requestTelemetry(app.get(ApiMetrics)));
  app.use(app.get(ShutdownState).middleware());
  app.disable('x-powered-by');
  app.use(securityHeaders(config));
  useRequestBodies(app);
  // X-Forwarded-For names the client only when it comes from a configured proxy (TRUST_PROXY); never from anyone.
  app.set('trust proxy', trustProxySetting(config));
  configureRouting(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  if (servesApiDocs(config)) {
    SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  }
  const console = consoleDir(config.CONSOLE_DIR);
  if (console) {
    serveConsole(app, console);
  }
  return app;
}

/**
 * Starts listening where the configuration says (embedded mode: loopback unless HOST says otherwise), and says so
 * loudly on stderr and in the log when an embedded deployment is reachable from the network.
 */
export async function listenApi(
  app: INestApplication,
  config: AppConfig,
  warn: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
): Promise<void> {
  const warning = embeddedExposureWarning(config);
  if (warning) {
    warn(warning);
    app
      .get(Logger)
      .warn(`embedded mode is reachable from the network (HOST=${listenHost(config)}): demo tokens for anyone`);
  }
  await app.listen(config.PORT, listenHost(config));
}

/** The routes' prefix and versions: shared by the running API and the document built without it. */
function configureRouting(app: INestApplication): void {
  // Officers' API under /api/v1; the citizens' lookup, payment link, rating and petitions, and the payment gateway's
  // calls, are public under /public/v1.
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'public/v1/dossiers/:code/lookup', method: RequestMethod.POST },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'public/v1/dossiers/:code/payment-link', method: RequestMethod.POST },
      { path: 'public/v1/payments/gateway/ipn', method: RequestMethod.GET },
      { path: 'public/v1/payments/gateway/return', method: RequestMethod.GET },
      { path: 'public/v1/dossiers/:code/rating', method: RequestMethod.POST },
      { path: 'public/v1/petitions', method: RequestMethod.POST },
      { path: 'public/v1/petitions/challenge', method: RequestMethod.GET },
      { path: 'public/v1/dossiers/:code/files/:id', method: RequestMethod.POST },
    ],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
}

/** Settings the document is built with: fixed so the document never depends on the environment; nothing connects. */
export const documentConfig = (): AppConfig =>
  loadConfig({
    DEPLOYMENT_MODE: 'embedded',
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/unused',
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    JWT_SECRET: 'openapi-document-only-not-a-secret',
  });

/**
 * The OpenAPI document without PostgreSQL or Temporal: Nest's preview mode resolves the modules and routes but
 * instantiates no provider, which is all the Swagger scanner reads.
 */
export async function createOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule.forRoot(documentConfig()), {
    preview: true,
    abortOnError: false,
    logger: false,
  });
  try {
    configureRouting(app);
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
