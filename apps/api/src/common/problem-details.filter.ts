import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { DomainErrorCode, DomainException, type FieldError } from '../../../../libs/domain/src';
import { isDatabaseUnavailable } from '../../../../libs/persistence/src/database-unavailable';
import { StorageUnavailableError } from '../../../../libs/persistence/src/files/file-storage';
import { type ProblemDetails } from './problem-details';
import { loggableUrl } from './request-log';

/** The HTTP status of each domain error code (the OpenAPI document describes its responses from it). */
export const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  [DomainErrorCode.VALIDATION_FAILED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DomainErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [DomainErrorCode.IDEMPOTENCY_KEY_REUSED]: HttpStatus.CONFLICT,
  [DomainErrorCode.INVALID_STATE]: HttpStatus.CONFLICT,
  [DomainErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.TOO_MANY_REQUESTS]: HttpStatus.TOO_MANY_REQUESTS,
  [DomainErrorCode.GONE]: HttpStatus.GONE,
};

/** Seconds a client waits before retrying a request the database, the file storage or Temporal did not serve. */
export const RETRY_AFTER_SECONDS = 5;

/** Every error leaves the API as RFC 9457 application/problem+json with a stable `code`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request.originalUrl);
    // For the refusal metrics (request-telemetry): the code and rule, enumerations both.
    response.locals.problem = { code: problem.code, rule: typeof problem.rule === 'string' ? problem.rule : undefined };
    if (problem.status >= 500) {
      this.logger.error({ err: exception, path: loggableUrl(request.originalUrl) }, problem.detail);
    } else if (problem.status === 401 || problem.status === 403) {
      this.logger.warn(
        { path: loggableUrl(request.originalUrl), method: request.method, code: problem.code },
        `refused: ${problem.detail}`,
      );
    }
    if (problem.status === 503) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, instance: string): ProblemDetails {
    if (exception instanceof DomainException) {
      const status = STATUS_BY_CODE[exception.code];
      return {
        type: `urn:dossier-engine:problem:${exception.code.toLowerCase()}`,
        title: HttpStatus[status]?.replace(/_/g, ' ').toLowerCase() ?? 'error',
        status,
        detail: exception.message,
        instance,
        code: exception.code,
        ...(exception.errors.length > 0 ? { errors: exception.errors } : {}),
        ...exception.details,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: string | string[] }).message;
      const detail = Array.isArray(message) ? message.join('; ') : (message ?? exception.message);
      // The fields at fault, when the exception names them (a body the parser could not read: `body`).
      const errors =
        typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)
          ? (body as { errors: FieldError[] }).errors
          : undefined;
      return {
        type: 'about:blank',
        title: HttpStatus[status]?.replace(/_/g, ' ').toLowerCase() ?? 'error',
        status,
        detail,
        instance,
        code: status === 404 ? DomainErrorCode.NOT_FOUND : `HTTP_${status}`,
        ...(errors ? { errors } : {}),
      };
    }
    if (isDatabaseUnavailable(exception)) {
      // PostgreSQL is down or restarting: retrying is right (a write with its Idempotency-Key is applied once).
      return this.toProblem(
        new DomainException(
          DomainErrorCode.UNAVAILABLE,
          'The database did not answer; retry the request (a write with the same Idempotency-Key).',
        ),
        instance,
      );
    }
    if (exception instanceof StorageUnavailableError) {
      // The object store is down or overloaded: nothing is wrong with the request (a refused upload stored nothing).
      return this.toProblem(
        new DomainException(
          DomainErrorCode.UNAVAILABLE,
          'The file storage did not answer; retry the request (a write with the same Idempotency-Key).',
        ),
        instance,
      );
    }
    return {
      type: 'about:blank',
      title: 'internal server error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
      instance,
      code: 'INTERNAL',
    };
  }
}
