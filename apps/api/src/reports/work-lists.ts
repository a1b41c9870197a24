import { WORKING_DAY_MS, type WorkingCalendar } from '../../../../libs/calendar/src';
import { budgetMs, type ProcedureVersionDefinition, workflowSteps } from '../../../../libs/domain/src';
import { type LateStepRow, type OpenDossierRow } from '../../../../libs/persistence/src';

/** At most this many dossiers are listed (most urgent first); `total` counts them all. */
export const LIST_LIMIT = 1000;

/** Age buckets of overdue dossiers, in working days past their due time. */
export const OVERDUE_BUCKETS = [
  { label: 'đến 1 ngày làm việc', upTo: 1 },
  { label: 'trên 1 đến 3 ngày', upTo: 3 },
  { label: 'trên 3 đến 5 ngày', upTo: 5 },
  { label: 'trên 5 đến 10 ngày', upTo: 10 },
  { label: 'trên 10 ngày', upTo: Infinity },
] as const;

const workingDays = (ms: number): number => Math.round((ms / WORKING_DAY_MS) * 100) / 100;

export interface WorkItem {
  code: string;
  procedure: { code: string; name: string };
  receivingUnitCode: string;
  dueAt: string;
  step: { no: number; code: string; name: string; unitCode: string; dueAt: string | null } | null;
  holder: { officerId: string; name: string | null } | null;
}

const item = (d: OpenDossierRow): WorkItem => ({
  code: d.code,
  procedure: { code: d.procedureCode, name: d.procedureName },
  receivingUnitCode: d.receivingUnitCode,
  dueAt: d.dueAt.toISOString(),
  step:
    d.stepNo !== null
      ? {
          no: d.stepNo,
          code: d.stepCode ?? '',
          name: d.stepName ?? '',
          unitCode: d.stepUnitCode ?? '',
          dueAt: d.stepDueAt?.toISOString() ?? null,
        }
      : null,
  holder: d.holderId ? { officerId: d.holderId, name: d.holderName } : null,
});

/**
 * Dossiers past their due time now, most overdue first, with the buckets of their age in working days (over all of
 * them); `age` (a bucket's index) narrows the list and its total to that bucket.
 */
export function overdueList(rows: OpenDossierRow[], calendar: WorkingCalendar, now: Date, age?: number) {
  const items = rows
    .filter((d) => d.dueAt < now)
    .map((d) => ({ ...item(d), overdueWorkingDays: workingDays(calendar.workingBetween(d.dueAt, now)) }))
    .sort((a, b) => b.overdueWorkingDays - a.overdueWorkingDays);
  // (above, upTo] working days; the first bucket also holds those overdue by less than a working minute (0)
  const inBucket = (i: number, days: number): boolean =>
    days <= OVERDUE_BUCKETS[i].upTo && (i === 0 || days > OVERDUE_BUCKETS[i - 1].upTo);
  const buckets = OVERDUE_BUCKETS.map((b, i) => ({
    label: b.label,
    above: i === 0 ? 0 : OVERDUE_BUCKETS[i - 1].upTo,
    upTo: Number.isFinite(b.upTo) ? b.upTo : null,
    count: items.filter((x) => inBucket(i, x.overdueWorkingDays)).length,
  }));
  const listed = age === undefined ? items : items.filter((x) => inBucket(age, x.overdueWorkingDays));
  return { buckets, total: listed.length, items: listed.slice(0, LIST_LIMIT) };
}

/**
 * Dossiers not yet late that will be unless they move: the working time left before the due time is less than the
 * budgets of the steps still to come (the rest of the current step's, plus every later counted step's).
 */
export function atRiskList(
  rows: OpenDossierRow[],
  definitions: Map<string, ProcedureVersionDefinition>,
  calendar: WorkingCalendar,
  now: Date,
) {
  const items = [];
  for (const d of rows) {
    if (d.dueAt < now || !d.procedureVersionId) {
      continue;
    }
    const cases = definitions.get(d.procedureVersionId)?.cases ?? [];
    const kase = cases.find((c) => c.code === d.caseCode) ?? (cases.length === 1 ? cases[0] : undefined);
    const steps = kase ? workflowSteps(kase) : [];
    const at = steps.findIndex((s) => s.code === d.stepCode);
    const later = at < 0 ? [] : steps.slice(at + 1).filter((s) => s.counted);
    const current = d.stepDueAt && d.stepDueAt > now ? calendar.workingBetween(now, d.stepDueAt) : 0;
    const needed = current + later.reduce((sum, s) => sum + budgetMs(s.budget.amount, s.budget.unit), 0);
    const left = calendar.workingBetween(now, d.dueAt);
    if (left < needed) {
      items.push({
        ...item(d),
        remainingWorkingDays: workingDays(left),
        remainingStepsWorkingDays: workingDays(needed),
        shortfallWorkingDays: workingDays(needed - left),
      });
    }
  }
  items.sort((a, b) => b.shortfallWorkingDays - a.shortfallWorkingDays);
  return { total: items.length, items: items.slice(0, LIST_LIMIT) };
}

/**
 * Late working days per unit and step over a period, and per officer who held the step (domain §8): the steps that
 * overran their budget (`lateSteps`), and the late dossiers none of whose steps overran, each charged to the step that
 * held it at its due time (`heldAtDue`) with the dossier's own lateness.
 */
export function attribution(rows: LateStepRow[], calendar: WorkingCalendar, to: Date) {
  const now = new Date();
  const end = to < now ? to : now;
  interface Charges {
    lateSteps: number;
    heldAtDue: number;
    lateMs: number;
  }
  const charge = (c: Charges, r: LateStepRow, late: number): void => {
    if (r.kind === 'HELD_AT_DUE') {
      c.heldAtDue += 1;
    } else {
      c.lateSteps += 1;
    }
    c.lateMs += late;
  };
  const byStep = new Map<
    string,
    Charges & {
      unitCode: string;
      stepCode: string;
      stepName: string;
      officers: Map<string, Charges & { officerId: string | null; name: string | null }>;
    }
  >();
  for (const r of rows) {
    const late = calendar.workingBetween(r.dueAt, r.completedAt ?? end);
    if (late <= 0) {
      continue;
    }
    const key = `${r.unitCode}|${r.stepCode}`;
    const entry =
      byStep.get(key) ??
      byStep
        .set(key, {
          unitCode: r.unitCode,
          stepCode: r.stepCode,
          stepName: r.stepName,
          lateSteps: 0,
          heldAtDue: 0,
          lateMs: 0,
          officers: new Map(),
        })
        .get(key)!;
    charge(entry, r, late);
    const who = r.holderId ?? 'none';
    const officer =
      entry.officers.get(who) ??
      entry.officers
        .set(who, { officerId: r.holderId, name: r.holderName, lateSteps: 0, heldAtDue: 0, lateMs: 0 })
        .get(who)!;
    charge(officer, r, late);
  }
  return [...byStep.values()]
    .map((e) => ({
      unitCode: e.unitCode,
      stepCode: e.stepCode,
      stepName: e.stepName,
      lateSteps: e.lateSteps,
      heldAtDue: e.heldAtDue,
      lateWorkingDays: workingDays(e.lateMs),
      officers: [...e.officers.values()]
        .map((o) => ({
          officerId: o.officerId,
          name: o.name,
          lateSteps: o.lateSteps,
          heldAtDue: o.heldAtDue,
          lateWorkingDays: workingDays(o.lateMs),
        }))
        .sort((a, b) => b.lateWorkingDays - a.lateWorkingDays),
    }))
    .sort((a, b) => b.lateWorkingDays - a.lateWorkingDays);
}
