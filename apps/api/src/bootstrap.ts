import 'reflect-metadata';
import { type INestApplication, RequestMethod, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { type AppConfig } from '../../../libs/config/src';
import { AppModule } from './app.module';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { createValidationPipe } from './common/validation.pipe';

/** Builds the HTTP application (shared by `main.ts` and the end-to-end tests). */
export async function createApiApp(config: AppConfig): Promise<INestApplication> {
  // The raw body is kept for the partner systems' HMAC signatures (hand-offs).
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true, rawBody: true });
  app.useLogger(app.get(Logger));
  // Officers' API under /api/v1; the citizens' lookup is public under /public/v1.
  app.setGlobalPrefix('api', { exclude: [{ path: 'public/v1/dossiers/:code', method: RequestMethod.GET }] });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Dossier engine — một cửa, một cửa liên thông')
      .setDescription('Intake, officer actions, hand-offs and reports. Errors are RFC 9457 problem+json.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
