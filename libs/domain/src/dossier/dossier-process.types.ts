import { type CalendarData, type CutoffPolicy, type TransferRule } from '../../../calendar/src';
import { type ClockPolicy, type Duration, type ProcedureStep, type SigningRules, type StepRole } from '../procedure';
import { type DeadlineClock } from './deadline-clock';
import { type Timeliness } from './timeliness';

/**
 * The dossier's process as workflows, activities, persistence and the API share it: the rules snapshot taken at
 * receipt, who acts and how, the control sheet, the deadline and the snapshot the workflow reports.
 */

/** A step of the procedure version in force at receipt, as the workflow interprets it. */
export type StepRule = ProcedureStep;

/** The snapshot of the procedure version (and case) taken at receipt: later catalog edits never reach it. */
export interface DossierRules {
  procedureName: string;
  procedureVersionId: string;
  caseCode: string;
  processingTime: Duration;
  cutoff?: CutoffPolicy;
  /** How the desk transfers the dossier to the deciding agency: its first step's due time (domain §2.3). */
  transfer?: TransferRule;
  clockPolicy: ClockPolicy;
  steps: StepRule[];
  /** Fees and charges of the case in đồng (for the financial-obligation status). */
  feesTotal: number;
  legalBasis?: string;
  /** The result is handed over in the visit it was asked for (no appointment, no time budget). */
  returnsImmediately?: boolean;
  /** The agency handling the dossier (the procedure's resolving agency, a segment's agency): its head signs form 04. */
  agency?: string;
  /** Who signs form 04 and refusals (DEFAULT_SIGNING when absent). */
  signing?: SigningRules;
  /**
   * A connected procedure's agency segments, in order. Each runs as a child workflow on its agency's task queue
   * (absent for single-agency procedures, and for connected dossiers received before segments ran as children).
   */
  segments?: SegmentRule[];
}

/** An agency's share of a connected procedure, as the dossier workflow hands it over. */
export interface SegmentRule {
  code: string;
  name: string;
  /** The agency that owns the share; a late segment is attributed to it. */
  agency: string;
  budget: Duration;
  /** The task queue its child workflow runs on (the agency's own workers poll it). */
  taskQueue: string;
  /** The codes of its steps, in the order of `DossierRules.steps`. */
  steps: string[];
  /** The agency is on another system: the segment is handed to this partner system instead of a child workflow. */
  partner?: string;
}

/** A segment on the control sheet: when it was handed over, its own due time and how it ended. */
export interface SegmentInstance {
  code: string;
  name: string;
  agency: string;
  budget: Duration;
  /** The child workflow running it (null when it is with a partner's system). */
  workflowId: string | null;
  taskQueue: string;
  /** The partner system that has it, and the hand-off's ID (its callbacks name it). */
  partner?: string;
  handoffId?: string;
  handedOverAt: string;
  dueAt: string | null;
  completedAt: string | null;
  result: Timeliness | null;
  /** How it ended: its work done, the dossier refused, withdrawn or closed there (absent while open). */
  outcome?: SegmentOutcome;
  /** Whether the segment's due time passed while it was open (a breach attributed to the agency). */
  breached: boolean;
}

export const SEGMENT_OUTCOMES = ['COMPLETED', 'REFUSED', 'WITHDRAWN', 'CLOSED'] as const;
export type SegmentOutcome = (typeof SEGMENT_OUTCOMES)[number];

export const HANDOFF_CALLBACK_KINDS = ['ACCEPTED', 'SUPPLEMENT_REQUESTED', 'RESULT', 'REFUSED'] as const;
export type HandoffCallbackKind = (typeof HANDOFF_CALLBACK_KINDS)[number];

/** A partner system's answer about a segment handed to it (verified by the API before it reaches the workflow). */
export interface HandoffCallback {
  handoffId: string;
  partner: string;
  /** The partner's own ID of this answer: a retried callback carries the same one and changes nothing. */
  callbackId: string;
  kind: HandoffCallbackKind;
  /** When the partner says it happened. */
  reportedAt: string;
  /** The dossier's code in the partner's system. */
  partnerDossierCode?: string;
  /** A supplement request's documents, and the reason or the result's summary. */
  items?: string[];
  note?: string;
  /** A refusal's reasons. */
  reasons?: string[];
  /** What the partner decided (e.g. the certificate's number), kept on the control sheet. */
  result?: Record<string, unknown>;
}

/** A dossier handed over by a partner system: its results go back to the partner, not to a desk. */
export interface HandoffOrigin {
  partner: string;
  handoffId: string;
  originDossierCode: string;
}

/** The one input object of the dossier workflow. Carries no personal data: Temporal never sees applicants. */
export interface DossierWorkflowInput {
  dossierCode: string;
  procedureCode: string;
  receivingUnitCode: string;
  /** ISO 8601 instant of receipt (the anchor of every deadline). */
  receivedAt: string;
  /** Officer who received it at the desk (holds the first step when it is the desk's). */
  receivedBy?: string;
  /** Absent only for dossiers started by the first release (which had no steps yet). */
  rules?: DossierRules;
  /** Set when a partner system handed the dossier over: processing ends by sending the result back. */
  handoff?: HandoffOrigin;
  /**
   * The receiving unit's working calendar as the API had it when it started the workflow (the years the dossier can
   * reach; see reachableCalendarData), so a new dossier does not load it through an activity first. Absent from
   * dossiers started before (and from any start that had none at hand): the workflow loads it then.
   */
  calendar?: CalendarData;
  /**
   * The release of the workflow's rules its starter was built with (DOSSIER_WORKFLOW_RELEASE when the relay started
   * it): the workflow takes every rule change of that release without recording a marker for each. Absent from
   * dossiers started before releases were numbered, which ask `patched()` as they always did.
   */
  release?: number;
}

/** Who acts, as the API verified it from the caller's token. */
export interface Actor {
  officerId: string;
  username: string;
  fullName: string;
  roles: string[];
  unitCodes: string[];
  /** Units the actor heads, with their sub-units (signing authority). */
  headOfUnits: string[];
}

/**
 * The role of the system actor the API acts as for the payment gateway's verified notifications: no officer has it;
 * with the payment-gateway patch the workflow lets it record a payment, and nothing else.
 */
export const PAYMENT_GATEWAY_ROLE = 'PAYMENT_GATEWAY';

export type DeliveryMethod = 'IN_PERSON' | 'POSTAL' | 'ELECTRONIC';
export type PaymentMethod = 'ONLINE' | 'CASH' | 'BANK_TRANSFER';

export type DossierAction =
  | { action: 'claim' }
  | { action: 'assign'; assignee: Actor }
  | { action: 'complete'; note?: string; nextStep?: string; assignee?: Actor }
  | { action: 'return'; toStep: string; reason: string }
  | { action: 'request-supplement'; items: string[]; reason: string }
  | { action: 'submit-supplement'; note?: string }
  | { action: 'refuse'; reasons: string[] }
  | { action: 'request-extension'; extraWorkingDays: number; reason: string }
  | { action: 'withdraw'; reason: string }
  | { action: 'request-payment'; amount: number; reason: string }
  | { action: 'record-payment'; amount: number; method: PaymentMethod; reference?: string }
  | { action: 'return-result'; deliveryMethod: DeliveryMethod; note?: string };

/** Every officer action, in the order the console offers them. */
export const DOSSIER_ACTIONS = [
  'claim',
  'assign',
  'complete',
  'return',
  'request-supplement',
  'submit-supplement',
  'request-payment',
  'record-payment',
  'request-extension',
  'refuse',
  'withdraw',
  'return-result',
] as const satisfies readonly DossierAction['action'][];

export type DossierActionName = DossierAction['action'];

export interface DossierActionCommand {
  actor: Actor;
  request: DossierAction;
}

/** A calendar year was edited: the workflow reloads its calendar and re-projects its deadlines. */
export interface CalendarChangedSignal {
  scope: string;
  year: number;
  /** Dates whose status changed, for the ledger. */
  changedDates: string[];
  legalBasis?: string;
  changedBy?: string;
}

export const DOSSIER_STATES = [
  'IN_PROGRESS',
  'AWAITING_SUPPLEMENT',
  'AWAITING_PAYMENT',
  'READY_FOR_RETURN',
  'RESULT_RETURNED',
  'WITHDRAWN',
  'CLOSED',
] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];
export const TERMINAL_STATES: readonly DossierState[] = ['RESULT_RETURNED', 'WITHDRAWN', 'CLOSED'];

export type DossierOutcome = 'APPROVED' | 'REFUSED' | 'WITHDRAWN' | 'CLOSED_NO_SUPPLEMENT';

/** One row of the control sheet (form 06): a step instance. */
export interface StepInstance {
  no: number;
  code: string;
  name: string;
  unit: string;
  role: StepRole;
  counted: boolean;
  holderId: string | null;
  holderName: string | null;
  startedAt: string;
  clock: DeadlineClock | null;
  dueAt: string | null;
  completedAt: string | null;
  result: Timeliness | null;
  /** How the step ended: handed on, sent back, supplement, refusal, withdrawal… */
  exit: 'COMPLETED' | 'RETURNED' | 'REFUSED' | 'WITHDRAWN' | 'CLOSED' | 'RESULT_RETURNED' | null;
  handedTo: string | null;
  note: string | null;
  rungs: { half: boolean; threeQuarters: boolean; breach: boolean };
}

/** An entry of the deadline ledger: why the due time is what it is. */
export interface LedgerEntry {
  at: string;
  kind: 'ANCHOR' | 'PAUSE' | 'RESUME' | 'RESTART' | 'EXTENSION' | 'CALENDAR_CHANGE' | 'FINISHED';
  /** The dossier's due time after this entry (null while paused). */
  dueAt: string | null;
  previousDueAt?: string | null;
  explanation: string;
  by?: string;
  legalBasis?: string;
}

export interface DossierDeadline {
  anchorAt: string;
  budget: Duration;
  /** The return time printed on the receipt (a restart after a supplement makes a new appointment). */
  promisedAt: string;
  dueAt: string | null;
  warningAt: string | null;
  clock: DeadlineClock;
  /**
   * After a restart (RESTART policy), the clock Decision 766 judges by: the first appointment's, moved by the waits
   * only (766 subtracts waiting, it does not forgive lateness). Absent while it is the dossier's own clock.
   */
  indexClock?: DeadlineClock;
  /** When `indexClock` runs out (null while paused); absent while it is `dueAt`. */
  indexDueAt?: string | null;
  /** How the finished dossier stands against `indexDueAt` (Decision 766); absent while it is `timeliness`. */
  indexTimeliness?: Timeliness;
  pausedSince: string | null;
  pauseReason: ClockPauseReasonLabel | null;
  extended: boolean;
  supplementRequests: number;
  ledger: LedgerEntry[];
}

export type ClockPauseReasonLabel = 'SUPPLEMENT' | 'PAYMENT';

export interface DossierWorkflowSnapshot {
  dossierCode: string;
  state: DossierState;
  nationalStatus: number;
  outcome: DossierOutcome | null;
  currentStep: StepInstance | null;
  steps: StepInstance[];
  deadline: DossierDeadline;
  finishedAt: string | null;
  timeliness: Timeliness | null;
  paid: boolean;
  lastEventSeq: number;
  /** The agency segments of a connected procedure (absent for single-agency procedures). */
  segments?: SegmentInstance[];
  /** The partner system that handed this dossier over, which hears of its progress (absent otherwise). */
  origin?: HandoffOrigin;
}

/** Why an action was refused; the workflow fails the Update with this type, the API maps it to a problem. */
export type RuleViolationType =
  | 'INVALID_STATE'
  | 'NOT_HOLDER'
  | 'ROLE_NOT_ALLOWED'
  | 'WRONG_STEP'
  | 'INVALID_REQUEST'
  | 'LIMIT_REACHED'
  | 'TOO_LATE'
  /** The dossier is with an agency segment: its child workflow takes the action (`workflowId` says which). */
  | 'DELEGATED';
