import { type TransferRule } from '../../../calendar/src';

/**
 * A procedure is data: one generic dossier workflow interprets the version in force at receipt (snapshot).
 * Budgets are in working days (WD, quarters allowed), working hours (WH) or calendar days (CD).
 */
export type TimeUnit = 'WD' | 'WH' | 'CD';

export interface Duration {
  amount: number;
  unit: TimeUnit;
}

export const STEP_ROLES = [
  'DESK_CLERK',
  'SPECIALIST',
  'DIVISION_HEAD',
  'AGENCY_LEADER',
  'UNIT_HEAD',
  'AGENCY_SYSTEM',
] as const;
export type StepRole = (typeof STEP_ROLES)[number];

export const PROCEDURE_LEVELS = ['PROVINCE', 'COMMUNE', 'MINISTRY'] as const;
export type ProcedureLevel = (typeof PROCEDURE_LEVELS)[number];

export const ONLINE_LEVELS = ['FULL', 'PARTIAL', 'NONE'] as const;
export type OnlineLevel = (typeof ONLINE_LEVELS)[number];

export const DOCUMENT_FORMS = ['ORIGINAL', 'COPY', 'CERTIFIED_COPY', 'ORIGINAL_FOR_COMPARISON', 'ELECTRONIC'] as const;
export type DocumentForm = (typeof DOCUMENT_FORMS)[number];

export interface DocumentRequirement {
  code: string;
  name: string;
  mandatory: boolean;
  form: DocumentForm;
  count: number;
}

export interface Fee {
  name: string;
  /** In Vietnamese đồng. */
  amount: number;
  note?: string;
}

export interface ProcedureStep {
  code: string;
  name: string;
  /** The unit that holds the step (e-document code); the role says who in it acts. */
  unit: string;
  role: StepRole;
  budget: Duration;
  /** False for steps outside the statutory time (e.g. returning the result). */
  counted: boolean;
  /** Steps that may follow; none means the dossier's processing ends here. */
  next: string[];
}

export interface ClockPolicy {
  /** What a supplement request does to the clock. */
  supplement: 'RESTART' | 'PAUSE';
  maxSupplementRequests: number;
  /** How long the applicant has to complete the dossier before it is closed. */
  applicantWindow: Duration;
}

/** The roles that may sign for the agency: its head or leaders (a delegated deputy), or a division's head. */
export const SIGNING_ROLES = ['AGENCY_LEADER', 'UNIT_HEAD', 'DIVISION_HEAD'] as const satisfies readonly StepRole[];
export type SigningRole = (typeof SIGNING_ROLES)[number];

/** Who signs for the agency handling the dossier, per procedure (the law names the signatory, the catalog the role). */
export interface SigningRules {
  /** Form 04 (apology and new return time): the head of the agency handling the dossier, or its delegated deputy. */
  extension: SigningRole[];
  /** A refusal on the merits: decided by the competent leader, never by a specialist or a clerk alone. */
  refusal: SigningRole[];
}

/** The agency's head or leaders sign form 04 and refusals, unless the procedure names other signatories. */
export const DEFAULT_SIGNING: SigningRules = {
  extension: ['AGENCY_LEADER', 'UNIT_HEAD'],
  refusal: ['AGENCY_LEADER', 'UNIT_HEAD'],
};

/** A share of the work (and of the deadline) owned by another agency (liên thông). */
export interface InterAgencySegment {
  code: string;
  name: string;
  agency: string;
  budget: Duration;
  steps: ProcedureStep[];
}

export interface ProcedureCase {
  code: string;
  name: string;
  processingTime: Duration;
  /** The result is handed over at the desk with no appointment. */
  returnsImmediately: boolean;
  cutoff?: { lastOfficeHour?: boolean; cutoffTime?: string };
  /**
   * How the desk transfers a dossier to the deciding agency, its first step's due time (domain §2.3): by default
   * electronically, the same working day or the next one when received from 15:00; PAPER within one working day.
   */
  transfer?: TransferRule;
  documents: DocumentRequirement[];
  fees: Fee[];
  onlineLevel: OnlineLevel;
  clockPolicy: ClockPolicy;
  /** Who signs form 04 and refusals (DEFAULT_SIGNING when absent). */
  signing?: SigningRules;
  /** Steps of a single-agency procedure… */
  steps: ProcedureStep[];
  /** …or the agency segments of a connected one, each with its own steps. */
  segments?: InterAgencySegment[];
}

export interface ProcedureVersionDefinition {
  /** `YYYY-MM-DD`: dossiers received from this day on use this version. */
  effectiveFrom: string;
  legalBasis?: string;
  cases: ProcedureCase[];
}

export interface ProcedureDefinition {
  /** National code `d.dddddd`. */
  code: string;
  /** The local instance code, the national code with the agency's suffix. */
  localCode?: string;
  name: string;
  field: string;
  level: ProcedureLevel;
  resolvingAgency: string;
  version: ProcedureVersionDefinition;
}

export const DEFAULT_CLOCK_POLICY: ClockPolicy = {
  supplement: 'PAUSE',
  maxSupplementRequests: 1,
  applicantWindow: { amount: 15, unit: 'WD' },
};

/** The steps a dossier walks: a single agency's, or the agency segments' in order (each handing to the next). */
export function workflowSteps(kase: ProcedureCase): ProcedureStep[] {
  const chain: ProcedureStep[][] = kase.segments?.length ? kase.segments.map((s) => s.steps) : [kase.steps];
  return chain.flatMap((steps, i) =>
    steps.map((s, k) => ({
      ...s,
      next: s.next.length === 0 && k === steps.length - 1 && i + 1 < chain.length ? [chain[i + 1][0].code] : s.next,
    })),
  );
}

/**
 * A connected procedure's segments as the dossier workflow hands them over: each with its steps' codes and the task
 * queue its agency's workers poll, or the partner system serving the agency. Empty for a single-agency procedure.
 */
export function workflowSegments(
  kase: ProcedureCase,
  taskQueueOf: (agency: string) => string,
  partners: { id: string; agencies: string[] }[] = [],
) {
  return (kase.segments ?? []).map((s) => {
    const partner = partners.find((p) => p.agencies.includes(s.agency))?.id;
    return {
      code: s.code,
      name: s.name,
      agency: s.agency,
      budget: s.budget,
      taskQueue: taskQueueOf(s.agency),
      steps: s.steps.map((step) => step.code),
      ...(partner ? { partner } : {}),
    };
  });
}

/**
 * A segment's own steps as its agency walks them: the desk's return step (uncounted, last) stays with the dossier,
 * and links out of the segment are cut, so the segment ends with its last counted step.
 */
export function segmentOwnSteps(steps: ProcedureStep[], codes: string[]): ProcedureStep[] {
  const own = steps.filter((s) => codes.includes(s.code) && (s.counted || s.next.length > 0));
  const kept = own.map((s) => s.code);
  return own.map((s) => ({ ...s, next: s.next.filter((n) => kept.includes(n)) }));
}
