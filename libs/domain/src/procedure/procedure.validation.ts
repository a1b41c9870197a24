import { type FieldError } from '../domain-exception';
import { UNIT_CODE_PATTERN } from '../dossier-code';
import {
  type ClockPolicy,
  DOCUMENT_FORMS,
  type DocumentRequirement,
  type Duration,
  type Fee,
  type InterAgencySegment,
  ONLINE_LEVELS,
  PROCEDURE_LEVELS,
  type ProcedureCase,
  type ProcedureDefinition,
  type ProcedureStep,
  type ProcedureVersionDefinition,
  SIGNING_ROLES,
  type SigningRules,
  STEP_ROLES,
} from './procedure.types';

const MINUTES: Record<'WD' | 'WH', number> = { WD: 480, WH: 60 };
const PROCEDURE_CODE = /^\d\.\d{6}$/;
const CODE = /^[A-Za-z0-9_.-]{1,40}$/;

type Push = (path: string, message: string) => void;

/** The field names of a part of a procedure; the record type makes the compiler keep each list complete. */
const fieldsOf = <T>(fields: Record<keyof T, true>): readonly string[] => Object.keys(fields);

const FIELDS = {
  procedure: fieldsOf<ProcedureDefinition>({
    code: true,
    localCode: true,
    name: true,
    field: true,
    level: true,
    resolvingAgency: true,
    version: true,
  }),
  version: fieldsOf<ProcedureVersionDefinition>({ effectiveFrom: true, legalBasis: true, cases: true }),
  case: fieldsOf<ProcedureCase>({
    code: true,
    name: true,
    processingTime: true,
    returnsImmediately: true,
    cutoff: true,
    documents: true,
    fees: true,
    onlineLevel: true,
    clockPolicy: true,
    steps: true,
    segments: true,
    signing: true,
    transfer: true,
  }),
  signing: fieldsOf<SigningRules>({ extension: true, refusal: true }),
  transfer: fieldsOf<NonNullable<ProcedureCase['transfer']>>({ medium: true, nextDayFrom: true }),
  cutoff: fieldsOf<NonNullable<ProcedureCase['cutoff']>>({ lastOfficeHour: true, cutoffTime: true }),
  document: fieldsOf<DocumentRequirement>({ code: true, name: true, mandatory: true, form: true, count: true }),
  fee: fieldsOf<Fee>({ name: true, amount: true, note: true }),
  clockPolicy: fieldsOf<ClockPolicy>({ supplement: true, maxSupplementRequests: true, applicantWindow: true }),
  segment: fieldsOf<InterAgencySegment>({ code: true, name: true, agency: true, budget: true, steps: true }),
  step: fieldsOf<ProcedureStep>({
    code: true,
    name: true,
    unit: true,
    role: true,
    budget: true,
    counted: true,
    next: true,
  }),
  duration: fieldsOf<Duration>({ amount: true, unit: true }),
};

/**
 * A key outside the part's fields is refused rather than ignored: a misspelt field would silently lose its value,
 * and an unquoted comma inside a YAML `{ … }` cuts a name, the rest becoming keys with no value.
 */
function checkFields(value: unknown, part: keyof typeof FIELDS, path: string, push: Push): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return;
  }
  const allowed = FIELDS[part];
  for (const [key, v] of Object.entries(value)) {
    if (!allowed.includes(key)) {
      const hint = v === null ? ' (in YAML, quote a text with a comma inside { }: the comma ends the value)' : '';
      push(path ? `${path}.${key}` : key, `unknown field: a ${part} has only ${allowed.join(', ')}${hint}`);
    }
  }
}

/** A code must be well formed and unique among its siblings (`kind` names them in the message). */
function checkCode(code: string | undefined, seen: Set<string>, path: string, kind: string, push: Push): void {
  if (!CODE.test(code ?? '')) {
    push(path, 'must be 1–40 letters, digits, dots, dashes or underscores');
  } else if (seen.has(code as string)) {
    push(path, `duplicate ${kind} code "${code}"`);
  }
  seen.add(code as string);
}

function checkDuration(d: Duration | undefined, path: string, push: Push, allowZero = false): void {
  checkFields(d, 'duration', path, push);
  if (!d || typeof d.amount !== 'number' || !['WD', 'WH', 'CD'].includes(d.unit)) {
    push(path, 'must be { amount, unit: WD | WH | CD }');
    return;
  }
  if (d.amount < 0 || (!allowZero && d.amount === 0)) {
    push(`${path}.amount`, allowZero ? 'must not be negative' : 'must be positive');
  } else if (d.unit === 'CD' ? !Number.isInteger(d.amount) : !Number.isInteger(d.amount * 4)) {
    push(`${path}.amount`, d.unit === 'CD' ? 'must be whole calendar days' : 'must be a multiple of 0.25');
  }
}

/** Minutes of working time, or whole days for CD; undefined when kinds of time are mixed. */
function sumBudgets(budgets: Duration[], unit: Duration['unit']): number | undefined {
  let total = 0;
  for (const b of budgets) {
    if ((b.unit === 'CD') !== (unit === 'CD')) {
      return undefined;
    }
    total += b.unit === 'CD' ? b.amount : b.amount * MINUTES[b.unit];
  }
  return total;
}

const asAmount = (d: Duration): number => (d.unit === 'CD' ? d.amount : d.amount * MINUTES[d.unit]);
const show = (minutes: number, unit: Duration['unit']): string =>
  unit === 'CD' ? `${minutes} CD` : unit === 'WH' ? `${minutes / 60} WH` : `${minutes / 480} WD`;

function checkSteps(steps: ProcedureStep[], path: string, push: Push, knownUnits?: ReadonlySet<string>): void {
  if (!Array.isArray(steps) || steps.length === 0) {
    push(path, 'must list at least one step');
    return;
  }
  const codes = new Set<string>();
  steps.forEach((s, i) => {
    const p = `${path}[${i}]`;
    checkFields(s, 'step', p, push);
    checkCode(s.code, codes, `${p}.code`, 'step', push);
    if (!s.name) {
      push(`${p}.name`, 'is required');
    }
    if (!UNIT_CODE_PATTERN.test(s.unit ?? '')) {
      push(`${p}.unit`, 'must be a unit e-document code like 000.00.12.H36');
    } else if (knownUnits && !knownUnits.has(s.unit)) {
      push(`${p}.unit`, `unknown unit ${s.unit}`);
    }
    if (!STEP_ROLES.includes(s.role)) {
      push(`${p}.role`, `must be one of ${STEP_ROLES.join(', ')}`);
    }
    checkDuration(s.budget, `${p}.budget`, push, !s.counted);
    if (typeof s.counted !== 'boolean') {
      push(`${p}.counted`, 'must be true or false');
    }
    if (!Array.isArray(s.next)) {
      push(`${p}.next`, 'must be a list of step codes (empty for the last step)');
    }
  });
  const byCode = new Map(steps.map((s) => [s.code, s]));
  steps.forEach((s, i) => {
    (Array.isArray(s.next) ? s.next : []).forEach((n, j) => {
      if (!byCode.has(n)) {
        push(`${path}[${i}].next[${j}]`, `unknown step "${n}"`);
      }
    });
  });
  // Every step must be reachable from the first, and from every step an end must be reachable (no closed loop).
  const reachable = new Set<string>();
  const visit = (code: string): void => {
    if (reachable.has(code)) {
      return;
    }
    reachable.add(code);
    const next = byCode.get(code)?.next;
    (Array.isArray(next) ? next : []).forEach(visit);
  };
  visit(steps[0].code);
  steps.forEach((s, i) => {
    if (!reachable.has(s.code)) {
      push(`${path}[${i}]`, `step "${s.code}" cannot be reached from the first step "${steps[0].code}"`);
    }
  });
  const canFinish = new Set(steps.filter((s) => Array.isArray(s.next) && s.next.length === 0).map((s) => s.code));
  if (canFinish.size === 0) {
    push(path, 'no step ends the processing (a last step has an empty next list)');
    return;
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of steps) {
      if (!canFinish.has(s.code) && Array.isArray(s.next) && s.next.some((n) => canFinish.has(n))) {
        canFinish.add(s.code);
        grew = true;
      }
    }
  }
  steps.forEach((s, i) => {
    if (!canFinish.has(s.code)) {
      push(`${path}[${i}].next`, `step "${s.code}" is in a cycle with no way out to a last step`);
    }
  });
}

function checkBudgetsAddUp(steps: ProcedureStep[], target: Duration, path: string, what: string, push: Push): void {
  const counted = steps.filter((s) => s.counted && s.budget);
  const total = sumBudgets(
    counted.map((s) => s.budget),
    target.unit,
  );
  if (total === undefined) {
    push(path, `step budgets must use the same kind of time as ${what} (working vs calendar days)`);
  } else if (total !== asAmount(target)) {
    push(
      path,
      `counted step budgets add up to ${show(total, target.unit)} but ${what} is ${target.amount} ${target.unit}`,
    );
  }
}

/** Each act names at least one signatory role, and only leaders' roles: a specialist or a clerk signs for no one. */
function checkSigning(signing: SigningRules | undefined, path: string, push: Push): void {
  if (signing === undefined) {
    return;
  }
  checkFields(signing, 'signing', path, push);
  for (const act of ['extension', 'refusal'] as const) {
    const roles: unknown = signing?.[act];
    if (
      !Array.isArray(roles) ||
      roles.length === 0 ||
      roles.some((r) => !(SIGNING_ROLES as readonly unknown[]).includes(r))
    ) {
      push(`${path}.${act}`, `must list one or more of ${SIGNING_ROLES.join(', ')} (who signs for the agency)`);
    }
  }
}

function checkCase(c: ProcedureCase, path: string, push: Push, knownUnits?: ReadonlySet<string>): void {
  checkFields(c, 'case', path, push);
  checkFields(c.cutoff, 'cutoff', `${path}.cutoff`, push);
  if (!c.name) {
    push(`${path}.name`, 'is required');
  }
  checkDuration(c.processingTime, `${path}.processingTime`, push, c.returnsImmediately);
  if (!ONLINE_LEVELS.includes(c.onlineLevel)) {
    push(`${path}.onlineLevel`, `must be one of ${ONLINE_LEVELS.join(', ')}`);
  }
  const docCodes = new Set<string>();
  (c.documents ?? []).forEach((d, i) => {
    const p = `${path}.documents[${i}]`;
    checkFields(d, 'document', p, push);
    checkCode(d.code, docCodes, `${p}.code`, 'document', push);
    if (!d.name) {
      push(`${p}.name`, 'is required');
    }
    if (!DOCUMENT_FORMS.includes(d.form)) {
      push(`${p}.form`, `must be one of ${DOCUMENT_FORMS.join(', ')}`);
    }
    if (!Number.isInteger(d.count) || d.count < 1) {
      push(`${p}.count`, 'must be a whole number of at least 1');
    }
  });
  (c.fees ?? []).forEach((f, i) => {
    checkFields(f, 'fee', `${path}.fees[${i}]`, push);
    if (!f.name) {
      push(`${path}.fees[${i}].name`, 'is required');
    }
    if (!Number.isInteger(f.amount) || f.amount < 0) {
      push(`${path}.fees[${i}].amount`, 'must be a whole, non-negative number of đồng');
    }
  });
  const cp = c.clockPolicy;
  checkFields(cp, 'clockPolicy', `${path}.clockPolicy`, push);
  if (!cp || !['RESTART', 'PAUSE'].includes(cp.supplement)) {
    push(`${path}.clockPolicy.supplement`, 'must be RESTART or PAUSE');
  }
  if (cp && (!Number.isInteger(cp.maxSupplementRequests) || cp.maxSupplementRequests < 0)) {
    push(`${path}.clockPolicy.maxSupplementRequests`, 'must be a whole number, 0 or more');
  }
  checkDuration(cp?.applicantWindow, `${path}.clockPolicy.applicantWindow`, push);
  checkSigning(c.signing, `${path}.signing`, push);
  if (c.transfer) {
    checkFields(c.transfer, 'transfer', `${path}.transfer`, push);
    if (!['ELECTRONIC', 'PAPER'].includes(c.transfer.medium)) {
      push(`${path}.transfer.medium`, 'must be ELECTRONIC or PAPER');
    }
    if (c.transfer.nextDayFrom !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(c.transfer.nextDayFrom)) {
      push(`${path}.transfer.nextDayFrom`, 'must be a time of day HH:MM');
    }
  }

  if (c.segments && c.segments.length > 0) {
    if (c.steps && c.steps.length > 0) {
      push(`${path}.steps`, 'a connected procedure lists its steps inside its segments, not here');
    }
    const segCodes = new Set<string>();
    c.segments.forEach((s, i) => {
      const p = `${path}.segments[${i}]`;
      checkFields(s, 'segment', p, push);
      checkCode(s.code, segCodes, `${p}.code`, 'segment', push);
      if (!UNIT_CODE_PATTERN.test(s.agency ?? '')) {
        push(`${p}.agency`, 'must be a unit e-document code');
      } else if (knownUnits && !knownUnits.has(s.agency)) {
        push(`${p}.agency`, `unknown unit ${s.agency}`);
      }
      checkDuration(s.budget, `${p}.budget`, push);
      checkSteps(s.steps, `${p}.steps`, push, knownUnits);
      if (s.budget && Array.isArray(s.steps) && s.steps.length > 0) {
        checkBudgetsAddUp(s.steps, s.budget, `${p}.steps`, `the segment's budget`, push);
      }
    });
    const total = sumBudgets(
      c.segments.filter((s) => s.budget).map((s) => s.budget),
      c.processingTime?.unit ?? 'WD',
    );
    if (c.processingTime && total !== undefined && total !== asAmount(c.processingTime)) {
      push(
        `${path}.segments`,
        `segment budgets add up to ${show(total, c.processingTime.unit)} but the legal processing time is ${c.processingTime.amount} ${c.processingTime.unit}`,
      );
    }
    return;
  }
  checkSteps(c.steps, `${path}.steps`, push, knownUnits);
  if (c.returnsImmediately && Array.isArray(c.steps) && (c.steps.length !== 1 || c.steps[0]?.counted !== false)) {
    // Returned in the visit: the desk's one uncounted step, no ladder to climb (see the machine's immediate return).
    push(`${path}.steps`, 'a case returned at once has exactly one step, not counted (counted: false)');
  }
  if (c.processingTime && Array.isArray(c.steps) && c.steps.length > 0 && !c.returnsImmediately) {
    checkBudgetsAddUp(c.steps, c.processingTime, `${path}.steps`, 'the legal processing time', push);
  }
}

/**
 * Every rule a procedure version must satisfy, each error naming its path and rule. `knownUnits` checks unit
 * references against the organisation when given.
 */
export function validateProcedure(p: ProcedureDefinition, knownUnits?: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const push: Push = (field, message) => errors.push({ field, message });
  checkFields(p, 'procedure', '', push);
  if (!PROCEDURE_CODE.test(p.code ?? '')) {
    push('code', 'must be a national procedure code d.dddddd, e.g. 2.000908');
  }
  if (p.localCode !== undefined && !p.localCode.startsWith(`${p.code}.`)) {
    push('localCode', `must be the national code followed by the agency suffix, e.g. ${p.code}.000.00.00.H36`);
  }
  if (!p.name) {
    push('name', 'is required');
  }
  if (!p.field) {
    push('field', 'is required');
  }
  if (!PROCEDURE_LEVELS.includes(p.level)) {
    push('level', `must be one of ${PROCEDURE_LEVELS.join(', ')}`);
  }
  if (!UNIT_CODE_PATTERN.test(p.resolvingAgency ?? '')) {
    push('resolvingAgency', 'must be a unit e-document code');
  } else if (knownUnits && !knownUnits.has(p.resolvingAgency)) {
    push('resolvingAgency', `unknown unit ${p.resolvingAgency}`);
  }
  const v = p.version;
  if (!v) {
    push('version', 'is required');
    return errors;
  }
  checkFields(v, 'version', 'version', push);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.effectiveFrom ?? '')) {
    push('version.effectiveFrom', 'must be a date YYYY-MM-DD');
  }
  if (!Array.isArray(v.cases) || v.cases.length === 0) {
    push('version.cases', 'must list at least one case');
    return errors;
  }
  const caseCodes = new Set<string>();
  v.cases.forEach((c, i) => {
    checkCode(c.code, caseCodes, `version.cases[${i}].code`, 'case', push);
    checkCase(c, `version.cases[${i}]`, push, knownUnits);
  });
  return errors;
}
