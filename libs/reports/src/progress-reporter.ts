import { type WorkingCalendar } from '../../calendar/src';
import { parseIsoDate } from '../../calendar/src';
import {
  addCounts,
  brokenIdentities,
  DomainErrorCode,
  DomainException,
  ON_TIME_FORMULA_LABELS,
  type OnTimeFormula,
  type ProgressFlows,
} from '../../domain/src';
import {
  type ClosedPeriod,
  type ProcedureStore,
  type ProgressGroup,
  type ProgressRow,
  type ReportStore,
} from '../../persistence/src';
import { countChanges, type ProgressLine, type ProgressReport, progressLine } from './progress-report';

/** A unit with its sub-units, as reports group them. */
export interface UnitTree {
  code: string;
  name: string;
  children: UnitTree[];
}

export interface ProgressRequest {
  /** First and last day of the period (local dates, inclusive). */
  from: string;
  to: string;
  groupBy?: ProgressGroup;
  formula?: OnTimeFormula;
  source?: 'facts' | 'rollups';
}

/** The unit forest from flat rows: the units without a parent, each with its sub-units. */
export function unitTrees(rows: { code: string; name: string; parentCode: string | null }[]): UnitTree[] {
  const nodes = new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, children: [] as UnitTree[] }]));
  const roots: UnitTree[] = [];
  for (const r of rows) {
    const node = nodes.get(r.code) as UnitTree;
    const parent = r.parentCode ? nodes.get(r.parentCode) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** The first and last day (YYYY-MM-DD) of the month before the one `at` falls in, in a time zone. */
export function previousMonth(at: Date, timeZone: string): { from: string; to: string } {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone }).format(at).split('-').map(Number);
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, '0')}` };
}

/**
 * The calendar months a period meets, each clipped to the period (first and last day, local dates), oldest first;
 * at most `limit` of them, the latest.
 */
export function monthsOf(from: string, to: string, limit = 24): { from: string; to: string }[] {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  const first = Math.max(fy * 12 + fm - 1, ty * 12 + tm - limit);
  const months: { from: string; to: string }[] = [];
  for (let k = first; k <= ty * 12 + tm - 1; k += 1) {
    const y = Math.floor(k / 12);
    const m = (k % 12) + 1;
    const mm = String(m).padStart(2, '0');
    const start = `${y}-${mm}-01`;
    const end = `${y}-${mm}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
    months.push({ from: start < from ? from : start, to: end > to ? to : end });
  }
  return months;
}

/** Every unit code in a unit's subtree, the unit first. */
export const subtree = (node: UnitTree): string[] => [node.code, ...node.children.flatMap(subtree)];

/** A line frozen before a column existed reads 0 in it (the columns added since: late with apology, refused late). */
const everyCount = (line: ProgressLine): ProgressLine => ({ ...line, counts: { ...addCounts([]), ...line.counts } });

/** A closed period's published figures, as frozen, with who closed it and when. */
const frozen = (closed: ClosedPeriod): ProgressReport => {
  const figures = closed.figures as unknown as ProgressReport;
  return {
    ...figures,
    rows: figures.rows.map(everyCount),
    total: everyCount(figures.total),
    closed: { closedAt: closed.closedAt.toISOString(), closedBy: closed.closedBy },
  };
};

/**
 * Builds the national progress table of a unit's subtree, publishes closed periods as frozen and shows what changed
 * afterwards as adjustments of the next period. Shared by the API (for callers within their scope) and the worker
 * (the month-end closing schedule), so both publish the same figures.
 */
export class ProgressReporter {
  constructor(
    private readonly reports: ReportStore,
    private readonly procedures: ProcedureStore,
    private readonly calendarOf: (unitCode: string) => Promise<WorkingCalendar>,
    private readonly defaultFormula: OnTimeFormula,
  ) {}

  /**
   * The table as published: a closed period's frozen figures; otherwise computed now, with the adjustments of the
   * closed period just before it. Grouped by unit, the rows are the unit's own dossiers and one row per direct
   * sub-unit (its whole subtree), so they add up to the total.
   */
  async published(root: UnitTree, q: ProgressRequest): Promise<ProgressReport> {
    const publishable = (q.groupBy ?? 'unit') === 'unit' && q.source !== 'rollups';
    if (publishable) {
      const closed = await this.reports.closed(root.code, q.from, q.to);
      if (closed) {
        return frozen(closed);
      }
    }
    const report = await this.compute(root, q);
    return publishable ? { ...report, ...(await this.adjustments(root, q.from)) } : report;
  }

  /**
   * The subtree's totals month by month over a period (each month clipped to it), as the progress table publishes
   * each month (as `published` does): a closed month's frozen total, otherwise counted now. One call for a
   * dashboard's monthly chart.
   */
  async monthly(
    root: UnitTree,
    q: ProgressRequest,
  ): Promise<{ period: { from: string; to: string }; line: ProgressLine; closed: boolean }[]> {
    const formula = q.formula ?? this.defaultFormula;
    return Promise.all(
      monthsOf(q.from, q.to).map(async (month) => {
        const closed = await this.reports.closed(root.code, month.from, month.to);
        const report = closed
          ? frozen(closed)
          : await this.compute(root, { ...month, groupBy: 'unit', formula, source: 'facts' });
        // a frozen month's counts, rated by the series' formula
        const line = progressLine(report.total.key, report.total.name, report.total.counts, formula);
        return { period: month, line, closed: closed !== null };
      }),
    );
  }

  /** Freezes a period's figures (by unit, from the facts); null when the unit has a closed period overlapping it. */
  async close(root: UnitTree, from: string, to: string, closedBy: string): Promise<ProgressReport | null> {
    const report = {
      ...(await this.compute(root, { from, to, groupBy: 'unit', source: 'facts' })),
      ...(await this.adjustments(root, from)),
    };
    const closed = await this.reports.close({ unitCode: root.code, from, to, closedBy, figures: report });
    return closed ? frozen(closed) : null;
  }

  /** Late changes to the closed period that ends the day before `from`, if there is one and anything changed. */
  private async adjustments(root: UnitTree, from: string): Promise<Pick<ProgressReport, 'adjustments'>> {
    const previous = await this.reports.closedBefore(root.code, from);
    if (!previous) {
      return {};
    }
    const published = previous.figures as unknown as ProgressReport;
    const now = await this.compute(root, {
      from: previous.from,
      to: previous.to,
      groupBy: 'unit',
      formula: published.formula.code,
      source: 'facts',
    });
    const before = new Map(published.rows.map((r) => [r.key, r]));
    const rows = now.rows
      .map((r) => ({ key: r.key, name: r.name, changes: countChanges(before.get(r.key)?.counts, r.counts) }))
      .filter((r) => Object.keys(r.changes).length > 0);
    const total = countChanges(published.total.counts, now.total.counts);
    if (Object.keys(total).length === 0 && rows.length === 0) {
      return {};
    }
    return {
      adjustments: {
        period: { from: previous.from, to: previous.to },
        closedAt: previous.closedAt.toISOString(),
        rows,
        total,
      },
    };
  }

  async compute(root: UnitTree, q: ProgressRequest): Promise<ProgressReport> {
    const { from, to } = await this.period(root, q);
    const formula = q.formula ?? this.defaultFormula;
    const groupBy = q.groupBy ?? 'unit';
    const units = subtree(root);
    let found: ProgressRow[];
    let asOf = new Date();
    if (q.source === 'rollups') {
      if (formula === 'INDEX_766') {
        // The rollups keep no first appointments: a restarted dossier late by it would count as within the deadline.
        throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The 766 rate is counted from the facts only.', [
          { field: 'formula', message: 'INDEX_766 needs source=facts' },
        ]);
      }
      if (groupBy !== 'unit') {
        throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'Rollups are kept by unit only.', [
          { field: 'source', message: 'rollups need groupBy=unit' },
        ]);
      }
      const watermark = await this.reports.rollupWatermark();
      if (!watermark) {
        throw new DomainException(
          DomainErrorCode.INVALID_STATE,
          'The report rollups have not been computed yet; ask for source=facts, or wait for the scheduled refresh.',
        );
      }
      asOf = watermark;
      // The root's own dossiers and each sub-unit's whole subtree, pre-aggregated: a row per line of the table.
      const [leaves, parents] = [
        root.children.filter((c) => c.children.length === 0),
        root.children.filter((c) => c.children.length > 0),
      ];
      found = await this.reports.progressFromRollups(
        [root.code, ...leaves.map((c) => c.code)],
        q.from,
        q.to,
        parents.map((c) => c.code),
      );
    } else {
      found = await this.reports.progress({ from, to, units, groupBy });
    }

    let groups: { key: string; name: string; flows: ProgressFlows[] }[];
    if (groupBy === 'unit') {
      const owner = new Map<string, string>([[root.code, root.code]]);
      root.children.forEach((child) => subtree(child).forEach((code) => owner.set(code, child.code)));
      const lines = [root, ...root.children].map((n) => ({
        key: n.code,
        name: n === root ? `${n.name} (trực tiếp tiếp nhận)` : n.name,
        flows: [] as ProgressFlows[],
      }));
      const byKey = new Map(lines.map((l) => [l.key, l]));
      found.forEach((r) => byKey.get(owner.get(r.key) ?? root.code)?.flows.push(r.flows));
      groups = lines.filter((l) => l.key !== root.code || l.flows.length > 0);
    } else {
      const names =
        groupBy === 'procedure' ? await this.procedures.names(found.map((r) => r.key)) : new Map<string, string>();
      groups = found.map((r) => ({ key: r.key, name: r.name ?? names.get(r.key) ?? r.key, flows: [r.flows] }));
    }
    const rows: ProgressLine[] = groups.map((g) => progressLine(g.key, g.name, addCounts(g.flows), formula));
    const total = progressLine('TOTAL', 'Tổng cộng', addCounts(found.map((r) => r.flows)), formula);
    for (const line of [...rows, total]) {
      const broken = brokenIdentities(line.counts);
      if (broken.length > 0) {
        // The classification puts every dossier in exactly one bucket; a broken identity is a defect, never data.
        throw new Error(`progress report row ${line.key} breaks ${broken.join('; ')}`);
      }
    }
    return {
      period: { from: q.from, to: q.to },
      unit: { code: root.code, name: root.name },
      groupBy,
      formula: { code: formula, label: ON_TIME_FORMULA_LABELS[formula] },
      rows,
      total,
      source: q.source ?? 'facts',
      asOf: asOf.toISOString(),
    };
  }

  /** The instants bounding local days `from`..`to` (inclusive) in the unit's working calendar zone. */
  async period(root: UnitTree, q: { from: string; to: string }) {
    if (q.to < q.from) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The period ends before it starts.', [
        { field: 'to', message: 'must not be before from' },
      ]);
    }
    const calendar = await this.calendarOf(root.code);
    return {
      calendar,
      from: calendar.instant(parseIsoDate(q.from) as number, 0),
      to: calendar.instant((parseIsoDate(q.to) as number) + 1, 0),
    };
  }
}
