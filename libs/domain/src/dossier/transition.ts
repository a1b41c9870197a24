import { type DossierWorkflowSnapshot } from './dossier-process.types';

/** What one workflow transition asks the store to persist, once, keyed by (dossier code, event seq). */

/** Who is told: one officer, the head of a unit, or the division heads of a unit (resolved by the activity). */
export type Audience =
  | { kind: 'OFFICER'; officerId: string }
  | { kind: 'UNIT_HEAD'; unit: string }
  | { kind: 'DIVISION_HEADS'; unit: string };

export interface NotificationDraft {
  kind: string;
  audience: Audience[];
  message: string;
}

/**
 * A breach, attributed to the unit and the officer holding the step that overran (domain §8), or for a connected
 * procedure's segment that overran its share of the deadline, to the agency owning it.
 */
export interface FactDraft {
  kind: 'STEP_BREACH' | 'DOSSIER_BREACH' | 'SEGMENT_BREACH';
  unitCode: string;
  officerId: string | null;
  stepNo: number | null;
  stepCode: string | null;
  dueAt: string;
  occurredAt: string;
}

/** What every event carries besides its payload. */
interface TransitionEventBase {
  nationalStatus: number;
  occurredAt: string;
  actorId?: string;
  facts: FactDraft[];
  notifications: NotificationDraft[];
}

/** An event's payload: the fields its type names, and what the machine adds on the way (segment, agency, partner). */
export type EventPayload = Record<string, unknown>;

/**
 * The payloads read outside the machine (the store, the hand-off queue, the forms), by event type. Each may carry
 * more: a segment's or a partner's event is recorded with the segment, agency and hand-off it came from.
 */
export interface TransitionPayloads {
  SEGMENT_HANDED_OVER: {
    segment: string;
    name: string;
    agency: string;
    from: string | null;
    handedOverAt: string;
    budget: { amount: number; unit: string };
    dueAt: string | null;
    /** Set when a partner's system has the segment; otherwise the child workflow running it. */
    partner?: string;
    handoffId?: string;
    workflowId?: string | null;
  } & EventPayload;
  SUPPLEMENT_REQUESTED: { items: string[]; reason: string; windowEndsAt: string | null } & EventPayload;
  SUPPLEMENT_SUBMITTED: { note: string | null } & EventPayload;
  EXTENSION_GRANTED: {
    originalDueAt: string;
    newDueAt: string;
    extraWorkingDays: number;
    reason: string;
    signedBy: string;
    signedByName: string;
  } & EventPayload;
  WITHDRAWN: { reason: string } & EventPayload;
  REFUSED: { reasons: string[] } & EventPayload;
  /** Read by the payment store: a fee the applicant is asked for (whole đồng). */
  PAYMENT_REQUESTED: { amount: number; reason: string } & EventPayload;
  /** Read by the payment store: how it was paid; `reference` is the gateway's TxnRef for an online payment. */
  PAYMENT_RECORDED: { amount: number; method: string; reference: string | null } & EventPayload;
}

/** The events whose payload only the history shows (nothing outside the machine reads its fields). */
export const OTHER_TRANSITION_EVENT_TYPES = [
  'PROCESSING_STARTED',
  'STEP_ASSIGNED',
  'STEP_CLAIMED',
  'STEP_COMPLETED',
  'STEP_RETURNED',
  'STEP_HALF_USED',
  'STEP_THREE_QUARTERS_USED',
  'STEP_BREACHED',
  'DOSSIER_DUE_SOON',
  'DOSSIER_BREACHED',
  'DEADLINE_REPROJECTED',
  'PROCESSED',
  'RESULT_RETURNED',
  'CLOSED',
  'SEGMENT_STARTED',
  'SEGMENT_ACCEPTED',
  'SEGMENT_DUE_SOON',
  'SEGMENT_BREACHED',
  'SEGMENT_DEADLINE_REPROJECTED',
  'SEGMENT_RESULT_RECEIVED',
  'SEGMENT_COMPLETED',
] as const;
export type OtherTransitionEventType = (typeof OTHER_TRANSITION_EVENT_TYPES)[number];

export type TransitionEventType = keyof TransitionPayloads | OtherTransitionEventType;

/** The payload an event of this type carries. */
export type PayloadOf<T extends TransitionEventType> = T extends keyof TransitionPayloads
  ? TransitionPayloads[T]
  : EventPayload;

/** One transition event, discriminated by its type: `event.type === 'REFUSED'` narrows `event.payload`. */
export type TransitionEvent = {
  [T in TransitionEventType]: TransitionEventBase & { type: T; payload: PayloadOf<T> };
}[TransitionEventType];

/** The event of one type (or of one of several types). */
export type TransitionEventOf<T extends TransitionEventType> = Extract<TransitionEvent, { type: T }>;

/** What one workflow transition asks the store to persist, once: the event and the dossier's state after it. */
export interface TransitionRecord {
  dossierCode: string;
  seq: number;
  event: TransitionEvent;
  projection: DossierWorkflowSnapshot;
}

/** The same event with more in its payload (what it is about: the segment, the agency, the hand-off). */
export function withPayload<E extends TransitionEvent>(event: E, more: EventPayload): E {
  return { ...event, payload: { ...event.payload, ...more } };
}
