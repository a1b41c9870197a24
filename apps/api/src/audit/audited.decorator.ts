import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { type Request } from 'express';

export const AUDITED = 'audit:spec';
export const PURPOSE_HEADER = 'x-purpose';

/** What the audit row of a route says besides who, when and from where (see AuditInterceptor). */
export interface AuditSpec {
  /** What was done: `dossier.read`, `dossier.form.read`, `register.read`, `report.export`, `dossier.change`, … */
  action: string;
  /** Why, unless the caller says otherwise in `X-Purpose`. */
  purpose: string;
  /** Audit only these requests of the route (an export, not the same figures as JSON). */
  when?: (request: Request) => boolean;
  /** The dossier, when the route does not name it as `:code` (taken from the answer). */
  dossier?: (request: Request, result: unknown) => string | null | undefined;
  /** What else was read or changed: a form, a period, the codes a list showed, an action's name. */
  details?: (request: Request, result: unknown) => Record<string, unknown>;
}

/**
 * The route reads a dossier's personal data or changes a dossier: each successful request appends a row to the audit
 * trail before its answer leaves. The caller may say why in `X-Purpose`.
 */
export const Audited = (spec: AuditSpec) =>
  applyDecorators(
    SetMetadata(AUDITED, spec),
    ApiHeader({
      name: PURPOSE_HEADER,
      required: false,
      description: `Why the caller reads or changes the dossier, kept in the audit trail (percent-encoded UTF-8, at most 200 characters; default: "${spec.purpose}"). State the reason, not the citizen's name.`,
    }),
  );
