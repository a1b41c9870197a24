import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { mergeMap, type Observable, throwError } from 'rxjs';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';
import { type AuditEntry, AuditStore } from '../../../../libs/persistence/src';
import { type AuthenticatedRequest } from '../auth/auth.decorators';
import { AUDITED, type AuditSpec, PURPOSE_HEADER } from './audited.decorator';

const MAX_PURPOSE = 200;

type AuditedRequest = AuthenticatedRequest & { partner?: { id: string } };

/** The purpose a caller gave in `X-Purpose` (percent-encoded UTF-8), or the route's own. */
export function purposeOf(header: string | string[] | undefined, fallback: string): string {
  if (header === undefined || header === '') {
    return fallback;
  }
  const invalid = (rule: string) =>
    new DomainException(DomainErrorCode.VALIDATION_FAILED, `X-Purpose ${rule}.`, [
      { field: 'X-Purpose', message: rule },
    ]);
  if (Array.isArray(header)) {
    throw invalid('must be given once');
  }
  let purpose: string;
  try {
    purpose = decodeURIComponent(header).trim();
  } catch {
    throw invalid('must be percent-encoded UTF-8');
  }
  if (purpose.length === 0 || purpose.length > MAX_PURPOSE) {
    throw invalid(`must be 1-${MAX_PURPOSE} characters`);
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(purpose)) {
    throw invalid('must not contain control characters');
  }
  return purpose;
}

/**
 * Writes the audit row of every successful request to a route marked `@Audited` (reads of personal data, changes):
 * who (the officer, or the partner system), what (the action, the dossier, the details), when, from where (the
 * client's address) and why (`X-Purpose`, else the route's purpose). The row is appended before the answer leaves;
 * if it cannot be written, the caller gets an error and not the data. A malformed `X-Purpose` is refused (422)
 * before anything is read or changed.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.getAllAndOverride<AuditSpec | undefined>(AUDITED, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!spec || context.getType() !== 'http') {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    if (spec.when && !spec.when(request)) {
      return next.handle();
    }
    let purpose: string;
    try {
      purpose = purposeOf(request.headers[PURPOSE_HEADER], spec.purpose);
    } catch (e) {
      return throwError(() => e);
    }
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        await this.audit.append(this.entry(spec, request, result, purpose));
        return result;
      }),
    );
  }

  private entry(spec: AuditSpec, request: AuditedRequest, result: unknown, purpose: string): AuditEntry {
    const { principal, partner } = request;
    const params = request.params as Record<string, string | undefined>;
    return {
      actorId: principal?.officerId ?? null,
      actor: principal?.username ?? (partner ? `partner:${partner.id}` : 'anonymous'),
      action: spec.action,
      dossierCode: spec.dossier?.(request, result) ?? params.code ?? null,
      purpose,
      clientAddress: request.ip ?? null,
      details: spec.details?.(request, result) ?? {},
    };
  }
}
