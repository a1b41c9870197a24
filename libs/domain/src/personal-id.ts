/** Individual: 12-digit personal identification number (CCCD). Organisation: 10- or 13-digit tax code (10-3). */
export const PERSONAL_ID_PATTERN = /^\d{12}$/;
export const TAX_CODE_PATTERN = /^\d{10}(-\d{3})?$/;

/** Keeps the first 3 and last 3 digits: enough to tell records apart, not enough to identify (Decree 356/2025). */
export function maskIdNumber(id: string): string {
  if (id.length <= 6) {
    return '*'.repeat(id.length);
  }
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 6)}${id.slice(-3)}`;
}
