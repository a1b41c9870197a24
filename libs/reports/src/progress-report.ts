import { type OnTimeFormula, type ProgressCounts, onTimeRate, percent } from '../../domain/src';
import { type ProgressGroup } from '../../persistence/src';

export interface ProgressLine {
  key: string;
  name: string;
  counts: ProgressCounts;
  /** Shares of the resolved dossiers, in percent. */
  resolvedShares: { early: number | null; onTime: number | null; late: number | null };
  onTimeRate: number | null;
}

export interface ProgressReport {
  period: { from: string; to: string };
  unit: { code: string; name: string };
  groupBy: ProgressGroup;
  formula: { code: OnTimeFormula; label: string };
  rows: ProgressLine[];
  total: ProgressLine;
  /** Where the figures come from; rollups are as of their last refresh (`asOf`). */
  source: 'facts' | 'rollups';
  asOf: string;
  /** Set when the period is closed: these are the published figures, frozen at closing. */
  closed?: { closedAt: string; closedBy: string };
  /**
   * Changes to the figures of the closed period just before this one that arrived after it was closed (a correction,
   * a dossier finished by a retried activity): shown here, in the next period, never by changing the closed one.
   */
  adjustments?: ProgressAdjustments;
}

export interface ProgressAdjustments {
  period: { from: string; to: string };
  closedAt: string;
  rows: { key: string; name: string; changes: Partial<ProgressCounts> }[];
  total: Partial<ProgressCounts>;
}

/** The counts that differ between two lines (later minus earlier), nonzero ones only. */
export function countChanges(
  before: ProgressCounts | undefined,
  after: ProgressCounts | undefined,
): Partial<ProgressCounts> {
  const keys = Object.keys(after ?? before ?? {}) as (keyof ProgressCounts)[];
  return Object.fromEntries(
    keys.map((k) => [k, (after?.[k] ?? 0) - (before?.[k] ?? 0)]).filter(([, d]) => d !== 0),
  ) as Partial<ProgressCounts>;
}

export function progressLine(key: string, name: string, counts: ProgressCounts, formula: OnTimeFormula): ProgressLine {
  return {
    key,
    name,
    counts,
    resolvedShares: {
      early: percent(counts.early, counts.resolved),
      onTime: percent(counts.onTime, counts.resolved),
      late: percent(counts.late, counts.resolved),
    },
    onTimeRate: onTimeRate(counts, formula),
  };
}
