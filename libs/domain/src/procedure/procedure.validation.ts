import { civilFromDays, parseIsoDate } from '../../../calendar/src';
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
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
/** No legal time comes near it; a bound keeps a typo (or 1e308) from walking the calendar for ever. */
const MAX_DURATION = 1000;

/** A JSON object (not null, not an array): anything a part of a procedure must be before its fields are read. */
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value as a message quotes it: text as is, anything else as JSON (`${{ toString: '' }}` throws). */
const label = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));

/** A non-empty text. */
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** The same pattern test, for a value that must first be a string (a number's digits would match as text). */
const matches = (pattern: RegExp, value: unknown): value is string => typeof value === 'string' && pattern.test(value);

/**
 * A list of parts that must each be an object: false (with the reasons pushed) when it is not a list or one of its
 * items is not an object, so the checks that read their fields never run on them.
 */
function isListOfRecords(value: unknown, path: string, what: string, push: Push): value is Record<string, unknown>[] {
  if (!Array.isArray(value)) {
    push(path, `must be a list of ${what}`);
    return false;
  }
  const bad = value.flatMap((item, i) => (isRecord(item) ? [] : [i]));
  bad.forEach((i) => push(`${path}[${i}]`, `must be an object (${what.replace(/s$/, '')})`));
  return bad.length === 0;
}

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
function checkCode(code: unknown, seen: Set<string>, path: string, kind: string, push: Push): void {
  if (!matches(CODE, code)) {
    push(path, 'must be 1–40 letters, digits, dots, dashes or underscores');
    return;
  }
  if (seen.has(code)) {
    push(path, `duplicate ${kind} code "${code}"`);
  }
  seen.add(code);
}

function checkDuration(d: Duration | undefined, path: string, push: Push, allowZero = false): void {
  checkFields(d, 'duration', path, push);
  if (!d || typeof d.amount !== 'number' || !['WD', 'WH', 'CD'].includes(d.unit)) {
    push(path, 'must be { amount, unit: WD | WH | CD }');
    return;
  }
  if (d.amount < 0 || (!allowZero && d.amount === 0)) {
    push(`${path}.amount`, allowZero ? 'must not be negative' : 'must be positive');
  } else if (d.amount > MAX_DURATION) {
    push(`${path}.amount`, `must not exceed ${MAX_DURATION}`);
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
  if (!isListOfRecords(steps, path, 'steps', push)) {
    return;
  }
  const codes = new Set<string>();
  steps.forEach((s, i) => {
    const p = `${path}[${i}]`;
    checkFields(s, 'step', p, push);
    checkCode(s.code, codes, `${p}.code`, 'step', push);
    if (!isText(s.name)) {
      push(`${p}.name`, 'is required');
    }
    if (!matches(UNIT_CODE_PATTERN, s.unit)) {
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
    if (!Array.isArray(s.next) || s.next.some((n) => typeof n !== 'string')) {
      push(`${p}.next`, 'must be a list of step codes (empty for the last step)');
    }
  });
  const byCode = new Map(steps.map((s) => [s.code, s]));
  steps.forEach((s, i) => {
    (Array.isArray(s.next) ? s.next : []).forEach((n: unknown, j) => {
      if (typeof n === 'string' && !byCode.has(n)) {
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
      push(`${path}[${i}]`, `step "${label(s.code)}" cannot be reached from the first step "${label(steps[0].code)}"`);
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
      push(`${path}[${i}].next`, `step "${label(s.code)}" is in a cycle with no way out to a last step`);
    }
  });
}

/** A duration whose amount and unit can be added up (a malformed one is reported where it stands). */
const isDuration = (d: unknown): d is Duration =>
  isRecord(d) && typeof d.amount === 'number' && ['WD', 'WH', 'CD'].includes(d.unit as string);

function checkBudgetsAddUp(steps: ProcedureStep[], target: Duration, path: string, what: string, push: Push): void {
  const counted = steps.filter((s) => s.counted && s.budget);
  if (!isDuration(target) || !counted.every((s) => isDuration(s.budget))) {
    return;
  }
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

/** The intake cut-off: the last office hour, or a time of day after which receipt counts from the next working day. */
function checkCutoff(cutoff: unknown, path: string, push: Push): void {
  if (cutoff === undefined) {
    return;
  }
  if (!isRecord(cutoff)) {
    push(path, 'must be { lastOfficeHour?, cutoffTime? }');
    return;
  }
  checkFields(cutoff, 'cutoff', path, push);
  if (cutoff.lastOfficeHour !== undefined && typeof cutoff.lastOfficeHour !== 'boolean') {
    push(`${path}.lastOfficeHour`, 'must be true or false');
  }
  if (cutoff.cutoffTime !== undefined && !matches(CLOCK, cutoff.cutoffTime)) {
    push(`${path}.cutoffTime`, 'must be a time of day HH:MM');
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
  checkCutoff(c.cutoff, `${path}.cutoff`, push);
  if (!isText(c.name)) {
    push(`${path}.name`, 'is required');
  }
  if (c.returnsImmediately !== undefined && typeof c.returnsImmediately !== 'boolean') {
    push(`${path}.returnsImmediately`, 'must be true or false');
  }
  checkDuration(c.processingTime, `${path}.processingTime`, push, c.returnsImmediately === true);
  if (!ONLINE_LEVELS.includes(c.onlineLevel)) {
    push(`${path}.onlineLevel`, `must be one of ${ONLINE_LEVELS.join(', ')}`);
  }
  const docCodes = new Set<string>();
  const documents = c.documents ?? [];
  (isListOfRecords(documents, `${path}.documents`, 'documents', push) ? documents : []).forEach((d, i) => {
    const p = `${path}.documents[${i}]`;
    checkFields(d, 'document', p, push);
    checkCode(d.code, docCodes, `${p}.code`, 'document', push);
    if (!isText(d.name)) {
      push(`${p}.name`, 'is required');
    }
    if (typeof d.mandatory !== 'boolean') {
      push(`${p}.mandatory`, 'must be true or false');
    }
    if (!DOCUMENT_FORMS.includes(d.form)) {
      push(`${p}.form`, `must be one of ${DOCUMENT_FORMS.join(', ')}`);
    }
    if (!Number.isInteger(d.count) || d.count < 1) {
      push(`${p}.count`, 'must be a whole number of at least 1');
    }
  });
  const fees = c.fees ?? [];
  (isListOfRecords(fees, `${path}.fees`, 'fees', push) ? fees : []).forEach((f, i) => {
    checkFields(f, 'fee', `${path}.fees[${i}]`, push);
    if (!isText(f.name)) {
      push(`${path}.fees[${i}].name`, 'is required');
    }
    if (!Number.isInteger(f.amount) || f.amount < 0) {
      push(`${path}.fees[${i}].amount`, 'must be a whole, non-negative number of đồng');
    }
  });
  const cp = isRecord(c.clockPolicy) ? c.clockPolicy : undefined;
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

  if (c.segments !== undefined && (!Array.isArray(c.segments) || c.segments.length > 0)) {
    if (c.steps !== undefined && (!Array.isArray(c.steps) || c.steps.length > 0)) {
      push(`${path}.steps`, 'a connected procedure lists its steps inside its segments, not here');
    }
    if (!isListOfRecords(c.segments, `${path}.segments`, 'segments', push)) {
      return;
    }
    const segCodes = new Set<string>();
    c.segments.forEach((s, i) => {
      const p = `${path}.segments[${i}]`;
      checkFields(s, 'segment', p, push);
      checkCode(s.code, segCodes, `${p}.code`, 'segment', push);
      if (!isText(s.name)) {
        push(`${p}.name`, 'is required');
      }
      if (!matches(UNIT_CODE_PATTERN, s.agency)) {
        push(`${p}.agency`, 'must be a unit e-document code');
      } else if (knownUnits && !knownUnits.has(s.agency)) {
        push(`${p}.agency`, `unknown unit ${s.agency}`);
      }
      checkDuration(s.budget, `${p}.budget`, push);
      checkSteps(s.steps, `${p}.steps`, push, knownUnits);
      if (isDuration(s.budget) && Array.isArray(s.steps) && s.steps.length > 0 && s.steps.every(isRecord)) {
        checkBudgetsAddUp(s.steps, s.budget, `${p}.steps`, `the segment's budget`, push);
      }
    });
    const budgets = c.segments.map((s) => s.budget);
    const total = budgets.every(isDuration) ? sumBudgets(budgets, c.processingTime?.unit ?? 'WD') : undefined;
    if (isDuration(c.processingTime) && total !== undefined && total !== asAmount(c.processingTime)) {
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
  if (
    isDuration(c.processingTime) &&
    Array.isArray(c.steps) &&
    c.steps.length > 0 &&
    c.steps.every(isRecord) &&
    !c.returnsImmediately
  ) {
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
  // What arrives over HTTP is any JSON (or nothing): its shape is checked before a field is read.
  if (!isRecord(p)) {
    return [{ field: 'body', message: `must be a procedure: a JSON object with ${FIELDS.procedure.join(', ')}` }];
  }
  checkFields(p, 'procedure', '', push);
  if (!matches(PROCEDURE_CODE, p.code)) {
    push('code', 'must be a national procedure code d.dddddd, e.g. 2.000908');
  }
  const code = label(p.code);
  if (p.localCode !== undefined && !(typeof p.localCode === 'string' && p.localCode.startsWith(`${code}.`))) {
    push('localCode', `must be the national code followed by the agency suffix, e.g. ${code}.000.00.00.H36`);
  }
  if (!isText(p.name)) {
    push('name', 'is required');
  }
  if (!isText(p.field)) {
    push('field', 'is required');
  }
  if (!PROCEDURE_LEVELS.includes(p.level)) {
    push('level', `must be one of ${PROCEDURE_LEVELS.join(', ')}`);
  }
  if (!matches(UNIT_CODE_PATTERN, p.resolvingAgency)) {
    push('resolvingAgency', 'must be a unit e-document code');
  } else if (knownUnits && !knownUnits.has(p.resolvingAgency)) {
    push('resolvingAgency', `unknown unit ${p.resolvingAgency}`);
  }
  const v = p.version;
  if (!isRecord(v)) {
    push('version', 'is required: an object with effectiveFrom, legalBasis and cases');
    return errors;
  }
  checkFields(v, 'version', 'version', push);
  const effectiveFrom = typeof v.effectiveFrom === 'string' ? parseIsoDate(v.effectiveFrom) : undefined;
  // A real day PostgreSQL can store: 2026-02-30 and year 0000 have the shape and failed in the database (a 500).
  if (effectiveFrom === undefined || civilFromDays(effectiveFrom).year < 1970) {
    push('version.effectiveFrom', 'must be a date YYYY-MM-DD');
  }
  if (v.legalBasis !== undefined && !isText(v.legalBasis)) {
    push('version.legalBasis', 'must be a text naming the legal documents');
  }
  if (!Array.isArray(v.cases) || v.cases.length === 0) {
    push('version.cases', 'must list at least one case');
    return errors;
  }
  if (!isListOfRecords(v.cases, 'version.cases', 'cases', push)) {
    return errors;
  }
  const caseCodes = new Set<string>();
  v.cases.forEach((c, i) => {
    checkCode(c.code, caseCodes, `version.cases[${i}].code`, 'case', push);
    checkCase(c, `version.cases[${i}]`, push, knownUnits);
  });
  return errors;
}
