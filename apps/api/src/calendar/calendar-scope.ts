import { NATIONAL_SCOPE } from '../../../../libs/calendar/src';
import { DomainErrorCode, DomainException, UNIT_CODE_PATTERN } from '../../../../libs/domain/src';

/** A province's scope is the last segment of its units' e-document codes (e.g. H36). */
const PROVINCE_SCOPE = /^[A-Z]\d{2}$/;

/**
 * The chain of calendar scopes, broadest first: the nation, a province, an agency (by e-document code).
 * `000.00.12.H36` → VN, H36, 000.00.12.H36.
 */
export function scopeChain(scope: string): string[] {
  if (scope === NATIONAL_SCOPE) {
    return [NATIONAL_SCOPE];
  }
  if (PROVINCE_SCOPE.test(scope)) {
    return [NATIONAL_SCOPE, scope];
  }
  if (UNIT_CODE_PATTERN.test(scope)) {
    return [NATIONAL_SCOPE, scope.slice(scope.lastIndexOf('.') + 1), scope];
  }
  throw new DomainException(
    DomainErrorCode.VALIDATION_FAILED,
    `Unknown calendar scope "${scope}": use VN, a province code like H36, or a unit's e-document code like 000.00.12.H36.`,
    [{ field: 'scope', message: 'must be VN, a province code (H36) or a unit e-document code' }],
  );
}
