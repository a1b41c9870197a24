import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { WORKING_DAY_MS } from '../../../../libs/calendar/src';
import {
  addCounts,
  DomainErrorCode,
  DomainException,
  HANDLING_SATISFACTION_TARGET,
  handlingSatisfaction,
  index766,
  PETITION_PROCEDURE_CODE,
  ON_TIME_FORMULA_LABELS,
  type OnTimeFormula,
  percent,
} from '../../../../libs/domain/src';
import {
  CitizensVoiceStore,
  FileStore,
  type OpenDossierRow,
  PaymentStore,
  type PetitionFigures,
  ProcedureStore,
  type RatingCounts,
  ReportStore,
} from '../../../../libs/persistence/src';
import { type ProgressReport, ProgressReporter, type ProgressRequest, subtree } from '../../../../libs/reports/src';
import { type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { OrganisationService, type UnitNode } from '../organisation/organisation.service';
import {
  type AttributionQueryDto,
  type ClosePeriodDto,
  type Index766QueryDto,
  type OverdueQueryDto,
  type PeriodQueryDto,
  type ProgressDossiersQueryDto,
  type ProgressMonthlyQueryDto,
  type ProgressQueryDto,
  type WorkListQueryDto,
} from './progress.query';
import { InFlight } from './in-flight';
import { attribution, atRiskList, overdueList } from './work-lists';

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportStore,
    private readonly procedures: ProcedureStore,
    private readonly organisation: OrganisationService,
    private readonly calendars: CalendarService,
    private readonly files: FileStore,
    private readonly voice: CitizensVoiceStore,
    private readonly payments: PaymentStore,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.portalSync = config.PORTAL_SYNC_URL !== undefined;
    this.formula = config.REPORT_ON_TIME_FORMULA;
    this.reporter = new ProgressReporter(
      reports,
      procedures,
      async (unit) => (await calendars.forScope(unit)).calendar,
      config.REPORT_ON_TIME_FORMULA,
    );
  }

  private readonly reporter: ProgressReporter;
  private readonly portalSync: boolean;
  private readonly formula: OnTimeFormula;

  /**
   * The national progress table over a unit's subtree, as published (closed periods frozen, adjustments shown in
   * the next one); a caller sees only units that are theirs to see.
   */
  async progress(principal: Principal, q: ProgressQueryDto): Promise<ProgressReport> {
    return this.published(await this.scopeUnit(principal, q.unit), q);
  }

  /** The subtree's progress totals month by month over a period, each month as its progress table publishes it. */
  async progressMonthly(principal: Principal, q: ProgressMonthlyQueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    await this.reporter.period(root, q); // validates the period
    const formula = q.formula ?? this.formula;
    const months = await this.reporter.monthly(root, { from: q.from, to: q.to, formula });
    return {
      unit: { code: root.code, name: root.name },
      period: { from: q.from, to: q.to },
      formula: { code: formula, label: ON_TIME_FORMULA_LABELS[formula] },
      months: months.map((m) => ({
        period: m.period,
        counts: m.line.counts,
        onTimeRate: m.line.onTimeRate,
        closed: m.closed,
      })),
    };
  }

  /**
   * The dossiers one figure of the progress table counts, over a unit's subtree and a period (the figures of an
   * open period: a closed one's frozen figures may differ by its adjustments).
   */
  async progressDossiers(principal: Principal, q: ProgressDossiersQueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    const { from, to } = await this.reporter.period(root, q);
    const { total, items } = await this.reports.progressDossiers({
      from,
      to,
      units: subtree(root),
      figure: q.figure,
      limit: q.limit,
      offset: q.offset,
    });
    return {
      unit: { code: root.code, name: root.name },
      period: { from: q.from, to: q.to },
      figure: q.figure,
      total,
      limit: q.limit,
      offset: q.offset,
      items: items.map((r) => ({
        code: r.code,
        unitCode: r.unitCode,
        procedure: { code: r.procedureCode, name: r.procedureName },
        channel: r.channel,
        receivedAt: new Date(r.receivedAt).toISOString(),
        dueAt: r.dueAt ? new Date(r.dueAt).toISOString() : null,
        finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
        bucket: r.bucket,
        holderName: r.holderName,
      })),
    };
  }

  /** Closes a period of a unit: its figures (by unit, from the facts) are frozen and published as they are now. */
  async close(principal: Principal, body: ClosePeriodDto): Promise<ProgressReport> {
    const root = await this.scopeUnit(principal, body.unit);
    const closed = await this.reporter.close(root, body.from, body.to, principal.username);
    if (!closed) {
      throw new DomainException(
        DomainErrorCode.CONFLICT,
        `Unit ${root.code} already has a closed period overlapping ${body.from}–${body.to}; closed figures never change.`,
      );
    }
    return closed;
  }

  /**
   * The indicators of Decision 766 the engine computes from its own data (domain §7), each with its numerator,
   * denominator and target; those it does not record yet say so instead of showing a number.
   */
  async index766(principal: Principal, q: Index766QueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    // The real-time index reads the facts as they are now, never a frozen table; the progress table counts no petition
    // (dossiers of the engine's own procedure, no service to the citizen: their own share below).
    const progress = await this.published(root, { from: q.from, to: q.to, groupBy: 'procedure', source: 'facts' });
    const { from, to, calendar } = await this.reporter.period(root, q);
    const units = subtree(root);
    const [events, spans, sync, ratings, complained, fees, files, petitions] = await Promise.all([
      this.reports.serviceEvents(units, from, to),
      q.averages === 'false' ? [] : this.reports.resolvedSpans(units, from, to),
      this.reports.portalSynced(units, from, to),
      this.voice.ratingsReceivedBy(units, from, to),
      this.voice.complainedDossiers(units, from, to),
      this.payments.onlinePaymentShare(units, from, to),
      this.files.digitisation(units, from, to),
      this.voice.petitionFigures(units, PETITION_PROCEDURE_CODE, from, to),
    ]);
    const c = addCounts(progress.rows.map((r) => r.counts));
    const onTime = index766(c);
    const received = c.newOnline + c.newInPerson + c.newPostal;
    const handling = handlingSatisfaction(onTime, complained);
    // resolved count and working days summed per procedure (one pass: a quarter of a province is 100,000s of spans)
    const byProcedure = new Map<string, { resolved: number; workingDays: number }>();
    for (const s of spans) {
      const sum = byProcedure.get(s.procedureCode) ?? { resolved: 0, workingDays: 0 };
      sum.resolved += 1;
      sum.workingDays += calendar.workingBetween(s.receivedAt, s.finishedAt) / WORKING_DAY_MS;
      byProcedure.set(s.procedureCode, sum);
    }
    const names = await this.procedures.names([...byProcedure.keys()]);
    return {
      unit: progress.unit,
      period: progress.period,
      indicators: {
        onTimeRate: {
          ...share(onTime.numerator, onTime.denominator),
          formula: ON_TIME_FORMULA_LABELS.INDEX_766,
        },
        onlineSubmissionShare: share(c.newOnline, received, 50),
        // Dossiers asked for a fee in the period; of them, those whose fee was paid through the payment gateway.
        onlinePaymentShare: share(fees.paidOnline, fees.withFees),
        electronicResultShare: share(events.electronicResults, events.results),
        // Dossiers received in the period every handed paper of which has a certified scan (the authenticated copy).
        digitisedShare: share(files.digitised, files.received, 80),
        // Results returned in the period whose result (decision, licence) is on file.
        digitisedResultShare: share(files.digitisedResults, files.results, 80),
        // Dossiers received in the period that reused a certified paper or a result of an earlier dossier.
        reusedDataShare: share(files.reusing, files.received, 80),
        citizenRatingShare: {
          ...share(ratings.satisfied + ratings.acceptable, ratings.rated),
          formula: 'Citizens’ ratings given in the period: (satisfied + acceptable) / rated',
        },
        complaintShare: {
          ...share(complained, onTime.denominator),
          formula: 'Dossiers a petition received in the period is about / dossiers received or processed',
        },
        handlingSatisfaction: {
          ...share(handling.numerator, handling.denominator, HANDLING_SATISFACTION_TARGET),
          formula: '100% − (overdue % + % with complaints): (within the deadline − complained about) / dossiers',
        },
        petitionOnTimeShare: {
          ...petitionOnTime(petitions),
          formula:
            'Petitions answered on time in the period / petitions answered in it + those unanswered past their deadline at its end',
        },
        syncedShare: this.portalSync
          ? share(sync.synced, sync.received)
          : { value: null, note: 'No national portal is configured (PORTAL_SYNC_URL): nothing is synced.' },
      },
      averageProcessingTime: [...byProcedure.entries()]
        .map(([code, sum]) => ({
          procedure: { code, name: names.get(code) ?? code },
          resolved: sum.resolved,
          averageWorkingDays: Math.round((sum.workingDays / sum.resolved) * 100) / 100,
        }))
        .sort((a, b) => a.procedure.code.localeCompare(b.procedure.code)),
    };
  }

  /**
   * Citizens' ratings given in the period on dossiers the subtree received or handled, by unit, procedure and officer
   * (whoever held a step of the dossier there), with the petitions its heads answered on time.
   */
  async satisfaction(principal: Principal, q: PeriodQueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    const { from, to } = await this.reporter.period(root, q);
    const units = subtree(root);
    const [rows, petitions] = await Promise.all([
      this.voice.satisfaction(units, from, to),
      this.voice.petitionFigures(units, PETITION_PROCEDURE_CODE, from, to),
    ]);
    const names = new Map(
      (await this.organisation.units(rows.byUnit.map((r) => r.unitCode))).map((u) => [u.code, u.name]),
    );
    return {
      unit: { code: root.code, name: root.name },
      period: { from: q.from, to: q.to },
      total: withShare(rows.total),
      byUnit: rows.byUnit.map((r) => ({
        ...withShare(r),
        unitCode: r.unitCode,
        unitName: names.get(r.unitCode) ?? r.unitCode,
      })),
      byProcedure: rows.byProcedure.map((r) => ({
        ...withShare(r),
        procedure: { code: r.procedureCode, name: r.procedureName },
      })),
      byOfficer: rows.byOfficer.map((r) => ({ ...withShare(r), officerId: r.officerId, name: r.name })),
      petitions: { ...petitions, onTimeShare: petitionOnTime(petitions) },
    };
  }

  /** What is late now in a unit's subtree (received there or held there), by age in working days. */
  async overdue(principal: Principal, q: OverdueQueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    const { calendar } = await this.calendars.forScope(root.code);
    const now = new Date();
    const rows = await this.openDossiers(root);
    return {
      unit: { code: root.code, name: root.name },
      asOf: now.toISOString(),
      ...overdueList(rows, calendar, now, q.age),
    };
  }

  /** What will be late unless it moves: working time left below the budgets of the steps still to come. */
  async atRisk(principal: Principal, q: WorkListQueryDto) {
    const root = await this.scopeUnit(principal, q.unit);
    const { calendar } = await this.calendars.forScope(root.code);
    const now = new Date();
    const rows = await this.openDossiers(root);
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
    const { from, to, calendar } = await this.reporter.period(root, q);
    const rows = await this.reports.lateSteps(subtree(root), from, to);
    return {
      unit: { code: root.code, name: root.name },
      period: { from: q.from, to: q.to },
      rows: attribution(rows, calendar, to),
    };
  }

  private readonly reportsRunning = new InFlight<ProgressReport>();
  private readonly openRunning = new InFlight<OpenDossierRow[]>();

  /** The published table, computed once for the callers asking for the same one at the same time. */
  private published(root: UnitNode, q: ProgressRequest): Promise<ProgressReport> {
    const key = JSON.stringify([root.code, q.from, q.to, q.groupBy ?? 'unit', q.source ?? 'facts', q.formula ?? '']);
    return this.reportsRunning.run(key, () => this.reporter.published(root, q));
  }

  /** The subtree's open dossiers (the overdue and at-risk lists read the same rows), read once when asked at once. */
  private openDossiers(root: UnitNode): Promise<OpenDossierRow[]> {
    return this.openRunning.run(root.code, () => this.reports.openDossiers(subtree(root)));
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

/** A share in percent with its numerator and denominator (null: nothing to divide), as the indicators show it. */
function share(numerator: number, denominator: number, target?: number) {
  return {
    value: percent(numerator, denominator),
    unit: '%',
    numerator,
    denominator,
    ...(target !== undefined ? { target } : {}),
  };
}

/**
 * The share of petitions answered on time. Only answers are judged, each in the period it is given; a petition still
 * unanswered at the period's end is left to that period while within its deadline, and counts as late once past it
 * (it can no longer be answered on time: domain §6 and §7 count a dossier in progress past its deadline against the
 * unit). See `OVERDUE_UNANSWERED` in citizens-voice.store.ts.
 */
const petitionOnTime = (p: PetitionFigures) => share(p.answeredOnTime, p.answered + p.overdueUnanswered);

const withShare = (c: RatingCounts) => ({
  rated: c.rated,
  satisfied: c.satisfied,
  acceptable: c.acceptable,
  notSatisfied: c.notSatisfied,
  contentShare: share(c.satisfied + c.acceptable, c.rated),
});
