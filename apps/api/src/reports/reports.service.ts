import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { parseIsoDate, WORKING_DAY_MS } from '../../../../libs/calendar/src';
import {
  addCounts,
  brokenIdentities,
  DomainErrorCode,
  DomainException,
  ON_TIME_FORMULA_LABELS,
  type OnTimeFormula,
  percent,
  type ProgressFlows,
} from '../../../../libs/domain/src';
import { type ClosedPeriod, ProcedureStore, type ProgressRow, ReportStore } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { OrganisationService, type UnitNode } from '../organisation/organisation.service';
import {
  type AttributionQueryDto,
  type ClosePeriodDto,
  type ProgressQueryDto,
  type WorkListQueryDto,
} from './progress.query';
import { attribution, atRiskList, overdueList } from './work-lists';
import { countChanges, type ProgressLine, type ProgressReport, progressLine } from './progress.report';

/** A closed period's published figures, as frozen, with who closed it and when. */
const frozen = (closed: ClosedPeriod): ProgressReport => ({
  ...(closed.figures as unknown as ProgressReport),
  closed: { closedAt: closed.closedAt.toISOString(), closedBy: closed.closedBy },
});

/** Every unit code in a unit's subtree, the unit first. */
const subtree = (node: UnitNode): string[] => [node.code, ...node.children.flatMap(subtree)];

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportStore,
    private readonly procedures: ProcedureStore,
    private readonly organisation: OrganisationService,
    private readonly calendars: CalendarService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * The national progress table over a unit's subtree. Grouped by unit, the rows are the unit's own dossiers and
   * one row per direct sub-unit (its whole subtree), so they add up to the total; a caller sees only units that
   * are theirs to see. A closed period answers with its frozen figures; the period after it shows what changed
   * since as adjustments.
   */
  async progress(principal: Principal, q: ProgressQueryDto): Promise<ProgressReport> {
    const root = await this.scopeUnit(principal, q.unit);
    const published = (q.groupBy ?? 'unit') === 'unit' && q.source !== 'rollups';
    if (published) {
      const closed = await this.reports.closed(root.code, q.from, q.to);
      if (closed) {
        return frozen(closed);
      }
    }
    const report = await this.compute(root, q);
    return published ? { ...report, ...(await this.adjustments(root, q.from)) } : report;
  }

  /** Closes a period of a unit: its figures (by unit, from the facts) are frozen and published as they are now. */
  async close(principal: Principal, body: ClosePeriodDto): Promise<ProgressReport> {
    const root = await this.scopeUnit(principal, body.unit);
    const report = {
      ...(await this.compute(root, { from: body.from, to: body.to, groupBy: 'unit', source: 'facts' })),
      ...(await this.adjustments(root, body.from)),
    };
    const closed = await this.reports.close({
      unitCode: root.code,
      from: body.from,
      to: body.to,
      closedBy: principal.username,
      figures: report,
    });
    if (!closed) {
      throw new DomainException(
        DomainErrorCode.CONFLICT,
        `Unit ${root.code} already has a closed period overlapping ${body.from}–${body.to}; closed figures never change.`,
      );
    }
    return frozen(closed);
  }

  /** Late changes to the closed period that ends the day before `from`, if there is one and anything changed. */
  private async adjustments(root: UnitNode, from: string): Promise<Pick<ProgressReport, 'adjustments'>> {
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

  private async compute(
    root: UnitNode,
    q: Pick<ProgressQueryDto, 'from' | 'to' | 'groupBy' | 'source'> & { formula?: OnTimeFormula },
  ): Promise<ProgressReport> {
    const { from, to } = await this.period(root, q);
    const formula = q.formula ?? this.config.REPORT_ON_TIME_FORMULA;
    const groupBy = q.groupBy ?? 'unit';
    const units = subtree(root);
    let found: ProgressRow[];
    let asOf = new Date();
    if (q.source === 'rollups') {
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
      found = await this.reports.progressFromRollups(units, q.from, q.to);
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

  /**
   * The indicators of Decision 766 the engine computes from its own data (domain §7), each with its numerator,
   * denominator and target; those it does not record yet say so instead of showing a number.
   */
  async index766(principal: Principal, q: AttributionQueryDto) {
    const progress = await this.progress(principal, { ...q, groupBy: 'unit', formula: 'INDEX_766', source: 'facts' });
    const root = await this.organisation.unit(progress.unit.code);
    const { from, to, calendar } = await this.period(root, q);
    const units = subtree(root);
    const [events, spans] = await Promise.all([
      this.reports.serviceEvents(units, from, to),
      this.reports.resolvedSpans(units, from, to),
    ]);
    const c = progress.total.counts;
    const received = c.newOnline + c.newInPerson + c.newPostal;
    const share = (numerator: number, denominator: number, target?: number) => ({
      value: percent(numerator, denominator),
      unit: '%',
      numerator,
      denominator,
      ...(target !== undefined ? { target } : {}),
    });
    const byProcedure = new Map<string, number[]>();
    for (const s of spans) {
      const days = calendar.workingBetween(s.receivedAt, s.finishedAt) / WORKING_DAY_MS;
      byProcedure.set(s.procedureCode, [...(byProcedure.get(s.procedureCode) ?? []), days]);
    }
    const names = await this.procedures.names([...byProcedure.keys()]);
    return {
      unit: progress.unit,
      period: progress.period,
      indicators: {
        onTimeRate: {
          ...share(c.total - c.late - c.overdue - c.repeatedSupplements, c.total),
          formula: progress.formula.label,
        },
        onlineSubmissionShare: share(c.newOnline, received, 50),
        onlinePaymentShare: share(events.onlinePayments, events.payments),
        electronicResultShare: share(events.electronicResults, events.results),
        digitisedShare: {
          value: null,
          note: 'Not recorded yet: the engine does not track the digitisation of documents.',
        },
        reusedDataShare: { value: null, note: 'Not recorded yet: reuse of digitised data is not tracked.' },
        syncedShare: { value: null, note: 'Not available yet: national portal sync is not in place.' },
      },
      averageProcessingTime: [...byProcedure.entries()]
        .map(([code, days]) => ({
          procedure: { code, name: names.get(code) ?? code },
          resolved: days.length,
          averageWorkingDays: Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 100) / 100,
        }))
        .sort((a, b) => a.procedure.code.localeCompare(b.procedure.code)),
    };
  }

  /** What is late now in a unit's subtree (received there or held there), by age in working days. */
  async overdue(principal: Principal, q: WorkListQueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    const { calendar } = await this.calendars.forScope(root.code);
    const now = new Date();
    const rows = await this.reports.openDossiers(subtree(root));
    return { unit: { code: root.code, name: root.name }, asOf: now.toISOString(), ...overdueList(rows, calendar, now) };
  }

  /** What will be late unless it moves: working time left below the budgets of the steps still to come. */
  async atRisk(principal: Principal, q: WorkListQueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    const { calendar } = await this.calendars.forScope(root.code);
    const now = new Date();
    const rows = await this.reports.openDossiers(subtree(root));
    const ids = [...new Set(rows.flatMap((r) => (r.procedureVersionId ? [r.procedureVersionId] : [])))];
    const definitions = await this.procedures.definitions(ids);
    return {
      unit: { code: root.code, name: root.name },
      asOf: now.toISOString(),
      ...atRiskList(rows, definitions, calendar, now),
    };
  }

  /** Late working days charged to the units and officers who held the steps that overran, over a period. */
  async attribution(principal: Principal, q: AttributionQueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    const { from, to, calendar } = await this.period(root, q);
    const rows = await this.reports.lateSteps(subtree(root), from, to);
    return {
      unit: { code: root.code, name: root.name },
      period: { from: q.from, to: q.to },
      rows: attribution(rows, calendar, to),
    };
  }

  /** The instants bounding local days `from`..`to` (inclusive) in the unit's working calendar zone. */
  private async period(root: UnitNode, q: { from: string; to: string }) {
    if (q.to < q.from) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The period ends before it starts.', [
        { field: 'to', message: 'must not be before from' },
      ]);
    }
    const { calendar } = await this.calendars.forScope(root.code);
    return {
      calendar,
      from: calendar.instant(parseIsoDate(q.from) as number, 0),
      to: calendar.instant((parseIsoDate(q.to) as number) + 1, 0),
    };
  }

  private async scopeUnit(principal: Principal, code: string | undefined): Promise<UnitNode> {
    const unitCode = code ?? principal.unitCodes[0];
    if (!unitCode) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'Name the unit to report on.', [
        { field: 'unit', message: 'required: the caller belongs to no unit' },
      ]);
    }
    await this.organisation.assertCanSee(principal, unitCode, 'see the reports of');
    return this.organisation.unit(unitCode);
  }
}
