import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  type Actor,
  type CalendarChangedSignal,
  type DeliveryMethod,
  type DossierAction,
  type DossierActionCommand,
  type DossierWorkflowSnapshot,
  type HandoffCallback,
  type SegmentReport,
} from './dossier.types';

/** The dossier as the workflow holds it: state, steps, deadline ledger. */
export const snapshotQuery = defineQuery<DossierWorkflowSnapshot>('snapshot');

/**
 * Every officer action (claim, assign, complete, …); the validator rejects it with the reason, changing nothing.
 * Answers the dossier once the action's transitions are stored, and (executions with the current rules) what the
 * same officer may do next, so the API needs no allowed-actions query after it.
 */
export const actionUpdate = defineUpdate<ActionAnswer, [DossierActionCommand]>('action');

/** What an officer may do now, by the rules the action Update enforces; the console offers only these. */
export interface AllowedActions {
  actions: DossierAction['action'][];
  /** Where `complete` may send the dossier. */
  nextSteps: { code: string; name: string; unitCode: string; role: string }[];
  /** Earlier steps `return` may send it back to. */
  returnTargets: { code: string; name: string }[];
  /** The dossier is with an agency segment: ask that child workflow instead. */
  delegatedTo: string | null;
}

/** An action's answer: the dossier, and what the acting officer may do next (absent from earlier executions). */
export type ActionAnswer = DossierWorkflowSnapshot & { allowedAfter?: AllowedActions };

/** The actions `actor` may take at `at` (an ISO instant: a query reads no clock of its own). */
export const allowedActionsQuery = defineQuery<AllowedActions, [Actor, string]>('allowedActions');

/** A calendar year in the dossier's scope chain was edited. */
export const calendarChangedSignal = defineSignal<[CalendarChangedSignal]>('calendarChanged');

// ── first release (before the step interpreter); served only by executions it started ──

export interface LegacySnapshot {
  dossierCode: string;
  state: 'PROCESSING' | 'RESULT_RETURNED';
  nationalStatus: number;
  lastEventSeq: number;
}

export interface LegacyReturnResultCommand {
  actorId?: string;
  actor?: Actor;
  deliveryMethod: DeliveryMethod;
  note?: string;
}

export const legacySnapshotQuery = defineQuery<LegacySnapshot>('snapshot');
export const legacyReturnResultUpdate = defineUpdate<LegacySnapshot, [LegacyReturnResultCommand]>('returnResult');

// ── agency segments: the dossier workflow and its segments' child workflows ──

/** A segment's child workflow reports each of its transitions to the dossier workflow, which persists them. */
export const segmentReportSignal = defineSignal<[SegmentReport]>('segmentReport');

/** The dossier workflow has persisted a segment's reports up to this number. */
export const segmentAckSignal = defineSignal<[number]>('segmentAck');

/** A partner system's answer about a segment handed to it: acceptance, a supplement request, the result, a refusal. */
export const handoffCallbackUpdate = defineUpdate<DossierWorkflowSnapshot, [HandoffCallback]>('handoffCallback');
