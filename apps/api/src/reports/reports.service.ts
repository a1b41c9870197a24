import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { parseIsoDate } from '../../../../libs/calendar/src';
import {
  addCounts,
  brokenIdentities,
  DomainErrorCode,
  DomainException,
  ON_TIME_FORMULA_LABELS,
  type ProgressFlows,
} from '../../../../libs/domain/src';
import { ProcedureStore, type ProgressRow, ReportStore } from '../../../../libs/persistence/src';
import { type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { OrganisationService, type UnitNode } from '../organisation/organisation.service';
import { type ProgressQueryDto } from './progress.query';
import { type ProgressLine, type ProgressReport, progressLine } from './progress.report';

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
   * are theirs to see.
   */
  async progress(principal: Principal, q: ProgressQueryDto): Promise<ProgressReport> {
    if (q.to < q.from) {
      throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The period ends before it starts.', [
        { field: 'to', message: 'must not be before from' },
      ]);
    }
    const root = await this.scopeUnit(principal, q.unit);
    const { calendar } = await this.calendars.forScope(root.code);
    const from = calendar.instant(parseIsoDate(q.from) as number, 0);
    const to = calendar.instant((parseIsoDate(q.to) as number) + 1, 0);
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
      groups = found.map((r) => ({ key: r.key, name: names.get(r.key) ?? r.key, flows: [r.flows] }));
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
