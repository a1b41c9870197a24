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

export interface TransitionEvent {
  type: string;
  nationalStatus: number;
  occurredAt: string;
  actorId?: string;
  payload: Record<string, unknown>;
  facts: FactDraft[];
  notifications: NotificationDraft[];
}

/** What one workflow transition asks the store to persist, once: the event and the dossier's state after it. */
export interface TransitionRecord {
  dossierCode: string;
  seq: number;
  event: TransitionEvent;
  projection: DossierWorkflowSnapshot;
}
