/**
 * Dossier codes (domain §5). The legal form, Circular 01/2018 art. 19 kept by Circular 03/2025:
 * `<unit e-document code>-YYMMDD-XXXX`, XXXX being the unit's daily sequence. Circular 04/2025 adds, for nationally
 * centralised services, `<agency>-YYMMDD-AAXXXX`, AA being the owner system's code. A deployment picks one with
 * DOSSIER_CODE_PATTERN. Pure: the receipt date is given in the deployment's zone.
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

/** How DOSSIER_CODE_PATTERN writes the legal form, the default. */
export const DEFAULT_DOSSIER_CODE_PATTERN = '{UNIT}-{YYMMDD}-{SEQ}';

/** The patterns a deployment may configure: the legal form, or Circular 04/2025's with its AA written in. */
export const DOSSIER_CODE_PATTERN_SYNTAX = /^\{UNIT\}-\{YYMMDD\}-([A-Z]{2})?\{SEQ\}$/;

/** A code of either form: a deployment that changes its pattern still answers for the codes it issued before. */
export const DOSSIER_CODE_SHAPE = /^[0-9A-Z.]+-\d{6}-(?:[A-Z]{2})?\d{4,}$/;

export interface DossierCodeFormat {
  /** Circular 04/2025's owner-system code (AA) before the sequence; empty for the legal form. */
  systemCode: string;
}

export const LEGAL_DOSSIER_CODE: DossierCodeFormat = { systemCode: '' };

/** The format a DOSSIER_CODE_PATTERN value names; a RangeError for anything else. */
export function dossierCodeFormat(pattern: string): DossierCodeFormat {
  const match = DOSSIER_CODE_PATTERN_SYNTAX.exec(pattern);
  if (!match) {
    throw new RangeError(
      `a dossier-code pattern is ${DEFAULT_DOSSIER_CODE_PATTERN} or {UNIT}-{YYMMDD}-AA{SEQ} with AA two capital letters, got "${pattern}"`,
    );
  }
  return { systemCode: match[1] ?? '' };
}

export function formatDossierCode(
  unitCode: string,
  date: LocalDate,
  sequence: number,
  format: DossierCodeFormat = LEGAL_DOSSIER_CODE,
): string {
  if (!Number.isInteger(sequence) || sequence < 1) {
    throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  }
  return `${dossierCodePrefix(unitCode, date, format)}${String(sequence).padStart(DOSSIER_SEQUENCE_DIGITS, '0')}`;
}

/**
 * The legal form has four digits of sequence; past 9999 in a day the sequence simply grows wider rather than repeat.
 * (Intake writes the sequence in SQL, under its lock: the same rule, `lpad` to at least this width.)
 */
export const DOSSIER_SEQUENCE_DIGITS = 4;

/** What comes before the sequence in a code: `<unit>-YYMMDD-` and, in Circular 04/2025's form, AA. */
export function dossierCodePrefix(unitCode: string, date: LocalDate, format: DossierCodeFormat = LEGAL_DOSSIER_CODE) {
  const yymmdd = [date.year % 100, date.month, date.day].map((n) => String(n).padStart(2, '0')).join('');
  return `${unitCode}-${yymmdd}-${format.systemCode}`;
}

/** The parts of a code of either form (the AA of Circular 04/2025 is letters, so the forms cannot be confused). */
export function parseDossierCode(
  code: string,
): { unitCode: string; date: LocalDate; systemCode: string; sequence: number } | undefined {
  const match = /^(.+)-(\d{2})(\d{2})(\d{2})-([A-Z]{2})?(\d{4,})$/.exec(code);
  if (!match || !UNIT_CODE_PATTERN.test(match[1])) {
    return undefined;
  }
  return {
    unitCode: match[1],
    date: { year: 2000 + Number(match[2]), month: Number(match[3]), day: Number(match[4]) },
    systemCode: match[5] ?? '',
    sequence: Number(match[6]),
  };
}
