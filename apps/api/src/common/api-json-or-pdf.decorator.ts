import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** A 200 that is the view as JSON, or its printed form as PDF when the client asks with `Accept: application/pdf`. */
export function ApiJsonOrPdf(view: Type<unknown>, description: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(view),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(view) } },
        'application/pdf': { schema: { type: 'string', format: 'binary' } },
      },
    }),
  );
}
