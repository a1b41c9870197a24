import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type NextFunction, type Request, type Response } from 'express';

/** What body-parser says of a body it could not read (`type` of its errors), and what the client is told. */
const UNREADABLE: Record<string, (error: BodyParserError) => HttpException> = {
  'entity.parse.failed': (e) =>
    new BadRequestException({
      message: `The request body is not well-formed JSON: ${e.message}.`,
      errors: [{ field: 'body', message: 'must be a JSON object (or array), well-formed' }],
    }),
  'entity.too.large': (e) =>
    new HttpException(
      {
        message: `The request body is ${e.length ?? 'more than'} bytes; at most ${e.limit} are read.`,
        errors: [{ field: 'body', message: `must be at most ${Math.floor((e.limit ?? 0) / 1024)} kB` }],
      },
      HttpStatus.PAYLOAD_TOO_LARGE,
    ),
  'encoding.unsupported': (e) => unsupported(e.message),
  'charset.unsupported': (e) => unsupported(e.message),
  'request.size.invalid': () =>
    new BadRequestException({
      message: 'The request body is shorter or longer than its Content-Length.',
      errors: [{ field: 'body', message: 'must be as long as Content-Length says' }],
    }),
};

const unsupported = (message: string): HttpException =>
  new HttpException(
    { message: `${message}.`, errors: [{ field: 'body', message: 'must be UTF-8, not compressed' }] },
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );

interface BodyParserError extends Error {
  type?: string;
  limit?: number;
  length?: number;
}

/**
 * The JSON and form parsers (strict JSON: an object or an array; the raw bytes kept for the partners' HMAC
 * signatures), and what a body they cannot read is answered with: a problem naming `body` and the rule, like any
 * other refused field, rather than the parser's bare message (or a 500 for a body too large).
 */
export function useRequestBodies(app: NestExpressApplication): void {
  app.useBodyParser('json');
  app.useBodyParser('urlencoded', { extended: true });
  app.use((error: unknown, _request: Request, _response: Response, next: NextFunction) => {
    const refusal = (error as BodyParserError | undefined)?.type;
    next(refusal && UNREADABLE[refusal] ? UNREADABLE[refusal](error as BodyParserError) : error);
  });
}
