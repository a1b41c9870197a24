import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** `DossiersController_get`: the controller and method, stable across versions and unique per method. */
export const operationIdOf = (controllerKey: string, methodKey: string): string => `${controllerKey}_${methodKey}`;

/** The OpenAPI document of the HTTP API: served at /api/docs-json and the source of the console's typed client. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Dossier engine — một cửa, một cửa liên thông')
      .setDescription('Intake, officer actions, hand-offs and reports. Errors are RFC 9457 problem+json.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { operationIdFactory: operationIdOf },
  );
}
