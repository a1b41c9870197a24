import { calendarScopeChain } from '../../../../libs/calendar/src';
import { DomainErrorCode, DomainException } from '../../../../libs/domain/src';

/** The chain of calendar scopes (VN → province → agency), or a 422 naming the rule. */
export function scopeChain(scope: string): string[] {
  const chain = calendarScopeChain(scope);
  if (!chain) {
    throw new DomainException(
      DomainErrorCode.VALIDATION_FAILED,
      `Unknown calendar scope "${scope}": use VN, a province code like H36, or a unit's e-document code like 000.00.12.H36.`,
      [{ field: 'scope', message: 'must be VN, a province code (H36) or a unit e-document code' }],
    );
  }
  return chain;
}
