/**
 * The national progress table (domain §6): for a period and a group (unit, procedure, field), where each dossier
 * stands. Every dossier counted in `total` falls in exactly one of resolved, in progress, paused, withdrawn and
 * refused, so the identities hold on every row and on the totals.
 */
export interface ProgressCounts {
  /** Received before the period, unfinished at its start. */
  carriedOver: number;
  newOnline: number;
  newInPerson: number;
  newPostal: number;
  total: number;
  /** Resolved, judged against the promised return time (an extension by apology letter, form 04, does not move it). */
  early: number;
  onTime: number;
  late: number;
  /** Of the late, those whose return time was extended with an apology letter (form 04): a part of `late`. */
  lateWithApology: number;
  resolved: number;
  /** Unfinished at the period end (or now), not paused: within the deadline or past it. */
  withinDeadline: number;
  overdue: number;
  inProgress: number;
  pausedSupplement: number;
  pausedPayment: number;
  paused: number;
  /** Withdrawn by the applicant, or returned when the supplement window lapsed. */
  withdrawn: number;
  refused: number;
  /** Of the refused, those refused after their due time (a part of `refused`; 766 counts them late). */
  refusedLate: number;
  /**
   * Of the dossiers 766 would count within the deadline (see `index766`), those with more than one supplement request:
   * 766 counts them overdue.
   */
  repeatedSupplements: number;
  /**
   * Of the total, dossiers restarted after a supplement that kept their new appointment (neither late nor overdue,
   * one request) but not the first appointment plus the wait: 766 subtracts waiting, it does not forgive lateness.
   */
  lateFor766: number;
}

/** The raw counts a store returns for one group; the sums are derived here, once. */
export type ProgressFlows = Omit<ProgressCounts, 'total' | 'resolved' | 'inProgress' | 'paused'>;

export const ON_TIME_FORMULAS = ['RESOLVED', 'TOTAL', 'INDEX_766'] as const;
export type OnTimeFormula = (typeof ON_TIME_FORMULAS)[number];

export const ON_TIME_FORMULA_LABELS: Record<OnTimeFormula, string> = {
  RESOLVED: '(trước hạn + đúng hạn) / đã giải quyết',
  TOTAL: '100% − (giải quyết quá hạn + đang giải quyết quá hạn) / tổng số',
  INDEX_766:
    '(đã và đang giải quyết trong hạn, tối đa một lần bổ sung) / (đã và đang giải quyết, không kể hồ sơ rút, trả lại) (QĐ 766)',
};

export function progressCounts(f: ProgressFlows): ProgressCounts {
  return {
    ...f,
    total: f.carriedOver + f.newOnline + f.newInPerson + f.newPostal,
    resolved: f.early + f.onTime + f.late,
    inProgress: f.withinDeadline + f.overdue,
    paused: f.pausedSupplement + f.pausedPayment,
  };
}

const FLOW_KEYS: (keyof ProgressFlows)[] = [
  'carriedOver',
  'newOnline',
  'newInPerson',
  'newPostal',
  'early',
  'onTime',
  'late',
  'lateWithApology',
  'withinDeadline',
  'overdue',
  'pausedSupplement',
  'pausedPayment',
  'withdrawn',
  'refused',
  'refusedLate',
  'repeatedSupplements',
  'lateFor766',
];

/** The sum of rows (a total line, or a unit with its sub-units). */
export function addCounts(rows: ProgressFlows[]): ProgressCounts {
  const sum = Object.fromEntries(FLOW_KEYS.map((k) => [k, 0])) as unknown as ProgressFlows;
  for (const row of rows) {
    for (const k of FLOW_KEYS) {
      sum[k] += row[k];
    }
  }
  return progressCounts(sum);
}

/** The identities of domain §6; the names of those that do not hold (empty when the row is consistent). */
export function brokenIdentities(c: ProgressCounts): string[] {
  const broken: string[] = [];
  if (c.total !== c.resolved + c.inProgress + c.paused + c.withdrawn + c.refused) {
    broken.push('total = resolved + in progress + paused + withdrawn + refused');
  }
  if (c.resolved !== c.early + c.onTime + c.late) {
    broken.push('resolved = early + on time + late');
  }
  if (c.inProgress !== c.withinDeadline + c.overdue) {
    broken.push('in progress = within deadline + overdue');
  }
  if (c.lateWithApology > c.late) {
    broken.push('late with apology ⊆ late');
  }
  if (c.refusedLate > c.refused) {
    broken.push('refused late ⊆ refused');
  }
  return broken;
}

/** A share in percent, rounded to two decimals (null when there is nothing to divide by). */
export const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;

/**
 * Decision 766's on-time rate (domain §7): dossiers finished or in progress within the deadline, over the dossiers
 * received or processed in the period.
 * - Counted (the denominator): resolved, refused on the merits, in progress and paused: every dossier of the total but
 *   the withdrawn ones (by the applicant, or returned when the supplement window lapsed), which were neither resolved
 *   nor are being resolved and so are on neither side.
 * - Within the deadline (the numerator): resolved early or on time (against the promised return time: an extension by
 *   apology letter does not help), refused before the due time, in progress within the deadline, and paused (the time
 *   waiting for the applicant is not counted) — unless the dossier had more than one supplement request, which 766
 *   counts as overdue (`repeatedSupplements`), or was restarted after a supplement and missed its first appointment
 *   plus the wait (`lateFor766`: 766 subtracts waiting, it does not forgive lateness). The five subtracted counts
 *   are disjoint.
 */
export function index766(c: ProgressCounts): { numerator: number; denominator: number } {
  const denominator = c.total - c.withdrawn;
  return {
    numerator: denominator - c.late - c.overdue - c.refusedLate - c.repeatedSupplements - c.lateFor766,
    denominator,
  };
}

/** The on-time rate in percent by one of the formulas provinces use (domain §6, §7). */
export function onTimeRate(c: ProgressCounts, formula: OnTimeFormula): number | null {
  switch (formula) {
    case 'RESOLVED':
      return percent(c.early + c.onTime, c.resolved);
    case 'TOTAL':
      return c.total === 0 ? null : Math.round((100 - (100 * (c.late + c.overdue)) / c.total) * 100) / 100;
    case 'INDEX_766': {
      const { numerator, denominator } = index766(c);
      return percent(numerator, denominator);
    }
  }
}
