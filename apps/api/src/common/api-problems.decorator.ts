import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { DomainErrorCode } from '../../../../libs/domain/src';
import { STATUS_BY_CODE } from './problem-details.filter';
import { ProblemDetails } from './problem-details';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The error statuses an operation can answer; each is described once here. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 503;

const MEANING: Record<ProblemStatus, string> = {
  400: 'Malformed request: a path parameter of the wrong type, or a body that is not well-formed JSON (`errors` names `body`) (`HTTP_400`)',
  401: 'No valid credentials: a bearer token, or for partner systems a valid signature',
  403: "The caller's roles or units do not allow it",
  404: 'Nothing with this identifier, or nothing the caller may know of',
  409: 'Refused in the current state, an Idempotency-Key reused with another body, or a change that would rewrite what is fixed',
  410: 'It existed and was deleted on purpose: a scan whose bytes the personal-data retention job purged (its record stays)',
  422: 'The request breaks a rule; `errors` names each field',
  429: 'Too many attempts; retry after the `Retry-After` header (`HTTP_429`)',
  503: 'A service it depends on (database, file storage, Temporal) did not answer; retry after the `Retry-After` header (with the same Idempotency-Key for writes)',
};

/** The domain codes the filter maps to a status, so the description names exactly what a client may branch on. */
const codesOf = (status: number): string[] =>
  Object.values(DomainErrorCode).filter((code) => STATUS_BY_CODE[code] === status);

function describe(status: ProblemStatus): string {
  const codes = codesOf(status);
  return codes.length > 0 ? `${MEANING[status]} (${codes.map((c) => `\`${c}\``).join(', ')})` : MEANING[status];
}

/** Documents RFC 9457 `application/problem+json` answers of an operation (or of every operation of a controller). */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: describe(status),
        content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetails) } } },
      }),
    ),
  );
}
