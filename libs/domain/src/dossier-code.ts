/**
 * Dossier codes per Circular 01/2018 art. 19, kept by Circular 03/2025: `<unit e-document code>-YYMMDD-XXXX`,
 * XXXX being the unit's daily sequence. Pure: the receipt date is given in the deployment's zone.
 */
export const UNIT_CODE_PATTERN = /^[0-9A-Z]{3}(\.[0-9A-Z]{2,3}){3}$/;

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** `YYYY-MM-DD` of a local date. */
export function formatLocalDate(d: LocalDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function formatDossierCode(unitCode: string, date: LocalDate, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) {
    throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  }
  const yymmdd = [date.year % 100, date.month, date.day].map((n) => String(n).padStart(2, '0')).join('');
  // The legal form has four digits; past 9999 in a day the sequence simply grows wider rather than repeat.
  return `${unitCode}-${yymmdd}-${String(sequence).padStart(4, '0')}`;
}

export function parseDossierCode(code: string): { unitCode: string; date: LocalDate; sequence: number } | undefined {
  const match = /^(.+)-(\d{2})(\d{2})(\d{2})-(\d{4,})$/.exec(code);
  if (!match || !UNIT_CODE_PATTERN.test(match[1])) {
    return undefined;
  }
  return {
    unitCode: match[1],
    date: { year: 2000 + Number(match[2]), month: Number(match[3]), day: Number(match[4]) },
    sequence: Number(match[5]),
  };
}
