import {
  type DossierActionCommand,
  type DossierRules,
  type DossierWorkflowSnapshot,
  type SegmentRule,
  type TransitionEvent,
} from '../libs/domain/src';
import { type CalendarData } from '../libs/calendar/src';
import { type Patches } from './dossier/patches';

/** The dossier workflow's contract. Its shared types (input, actions, snapshot) live in libs/domain. */
export * from '../libs/domain/src/dossier/dossier-process.types';
export type { CalendarData } from '../libs/calendar/src';

export const DOSSIER_WORKFLOW_TYPE = 'dossierWorkflow';

/**
 * The release of the dossier workflow's rules this build starts new dossiers with (`release` in the input). Each
 * release stands for the rule changes made up to it (RELEASED_CHANGES in dossier.workflow.ts), which a dossier started
 * with it takes from its input, the first event of its history, instead of recording a `patched()` marker and a
 * search-attribute upsert for each in its first workflow task. Raise it when a release gathers the changes made since.
 */
export const DOSSIER_WORKFLOW_RELEASE = 2;

/**
 * The activity task queue where a dossier workflow (CURRENT_RULES_PATCH) stores the transitions of an officer's
 * action: its own task queue's name with `.actions`. Whoever polls a dossier queue polls this one too, so an action's
 * answer does not wait behind the backlog of new dossiers' first transitions.
 */
export const actionsTaskQueue = (dossierTaskQueue: string): string => `${dossierTaskQueue}.actions`;

/** What a segment's child workflow is started with. */
export interface SegmentWorkflowInput {
  dossierCode: string;
  procedureCode: string;
  receivingUnitCode: string;
  /** Holds the segment's first step when it is the receiving desk's (the officer who received the dossier). */
  receivedBy?: string;
  segment: SegmentRule;
  /** The hand-over instant: the segment's clock starts here (the dossier's anchor for the first segment). */
  handedOverAt: string;
  /** The segment's steps and its budget as the processing time, in the dossier's clock policy. */
  rules: DossierRules;
  /** The dossier's new return time was already set once (form 04 may be issued only once per dossier). */
  extended: boolean;
  /** Supplement requests the dossier made before the hand-over (the procedure's limit is per dossier). */
  supplementRequests?: number;
  /** The rule changes the dossier runs with (absent: a segment of a dossier started before any). */
  patches?: Patches;
  /** The dossier's workflow runs the clock as the law has it (absent: handed over by an execution from before). */
  lawClock?: boolean;
  /**
   * The dossier's working calendar (the receiving unit's, which the segment's clock runs on), handed over by the
   * dossier's workflow (release 2 on): the segment then loads none. Absent: it loads it through a local activity.
   */
  calendar?: CalendarData;
}

/** What a segment's child workflow tells the dossier workflow after each of its transitions, in order. */
export interface SegmentReport {
  segment: string;
  /** 1, 2, … per segment: the dossier workflow acknowledges each once it is persisted. */
  no: number;
  /** The officer's action that caused it; absent for timers and calendar changes. */
  command?: DossierActionCommand;
  at: string;
  events: TransitionEvent[];
  /** The segment's own state after it (its steps, clocks, due time). */
  snapshot: DossierWorkflowSnapshot;
}
