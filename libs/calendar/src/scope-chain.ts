import { NATIONAL_SCOPE } from './vietnam-calendar';

const PROVINCE_SCOPE = /^[A-Z]\d{2}$/;
const UNIT_SCOPE = /^[0-9A-Z]{3}(\.[0-9A-Z]{2,3}){3}$/;

/**
 * The chain of calendar scopes, broadest first: the nation, a province, an agency (by e-document code).
 * `000.00.12.H36` → VN, H36, 000.00.12.H36. Undefined for something that is not a scope.
 */
export function calendarScopeChain(scope: string): string[] | undefined {
  if (scope === NATIONAL_SCOPE) {
    return [NATIONAL_SCOPE];
  }
  if (PROVINCE_SCOPE.test(scope)) {
    return [NATIONAL_SCOPE, scope];
  }
  if (UNIT_SCOPE.test(scope)) {
    return [NATIONAL_SCOPE, scope.slice(scope.lastIndexOf('.') + 1), scope];
  }
  return undefined;
}
