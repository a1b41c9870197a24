/** A citizen's rating of how a dossier was handled (one per dossier, once the result is returned). */
export const RATINGS = ['SATISFIED', 'ACCEPTABLE', 'NOT_SATISFIED'] as const;
export type Rating = (typeof RATINGS)[number];

/** Who recorded a rating: the citizen with the receipt's code and PIN, or the desk on the citizen's behalf. */
export const RATING_CHANNELS = ['CITIZEN', 'DESK'] as const;
export type RatingChannel = (typeof RATING_CHANNELS)[number];

/** A rating's comment is personal data kept with the dossier until the retention job anonymises it. */
export const RATING_COMMENT_MAX = 1000;

/** A petition's text (what the citizen reports or asks), kept until the petition dossier is anonymised. */
export const PETITION_TEXT_MAX = 4000;

/**
 * The engine's own procedure for feedback and petitions (phản ánh, kiến nghị): each petition is a dossier of it, so the
 * same clocks, ladder and reports apply. Series 0: not a code of the national procedure database.
 */
export const PETITION_PROCEDURE_CODE = '0.000001';

/** The petition procedure's steps as intake routes them: the desk's (receiving unit) and the answer (unit concerned). */
export const PETITION_ANSWER_STEP = 'K2';

/** Satisfied or acceptable: what the 766 citizens' rating share counts as content. */
export const isContent = (rating: Rating): boolean => rating !== 'NOT_SATISFIED';

/**
 * Decision 766's satisfaction on dossier handling (domain §7): 100% − (overdue % + % with complaints), over the
 * dossiers of the period (the on-time rate's denominator). As a share: the dossiers within the deadline less those
 * complained about; a dossier both overdue and complained about counts twice, as the formula has it (never below 0).
 */
export function handlingSatisfaction(
  onTime: { numerator: number; denominator: number },
  complained: number,
): { numerator: number; denominator: number } {
  return { numerator: Math.max(0, onTime.numerator - complained), denominator: onTime.denominator };
}

/** The 766 target for satisfaction on dossier handling, in percent. */
export const HANDLING_SATISFACTION_TARGET = 90;
