import {
  allHandlersFinished,
  type ChildWorkflowHandle,
  condition,
  patched,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { type TransitionEvent } from '../libs/domain/src';
import { decidePatches } from './dossier/patches';
import { dossierWorkflowV1 } from './dossier-v1.workflow';
import { DossierMachine } from './dossier.machine';
import {
  calendarChangedSignal,
  handoffCallbackUpdate,
  type LegacySnapshot,
  segmentAckSignal,
  segmentReportSignal,
  snapshotQuery,
} from './dossier.messages';
import {
  actionsTaskQueue,
  DOSSIER_WORKFLOW_RELEASE,
  type DossierWorkflowInput,
  type DossierWorkflowSnapshot,
  type HandoffCallback,
  type SegmentReport,
} from './dossier.types';
import {
  actionActivities,
  allowedFor,
  buildCalendar,
  clone,
  localActivities,
  openInbox,
  refuse,
  remoteActivities,
  runMachine,
} from './machine.runtime';
import { agencySegmentWorkflow } from './segment.workflow';

/** Marks executions that interpret the procedure's steps (the first release only waited for the result). */
export const STEP_INTERPRETER_PATCH = 'step-interpreter';

/**
 * Marks executions that persist and load the calendar through local activities: short database calls run by the
 * worker inside the workflow task, without a round trip through the server for each (a third of the server work
 * per dossier, and an officer's action answers sooner). Earlier executions keep their regular activities.
 */
export const LOCAL_ACTIVITIES_PATCH = 'local-activities';

/**
 * Marks executions that store their transitions through a regular activity again, while the calendar stays a local
 * activity (a read). A local activity runs inside a workflow task that is not durable yet: when the worker dies
 * before the task completes, the transition it stored (and queued for the portal) is one the workflow may never
 * make: the officer's action the task applied is delivered again later and applied at another time, or a timer
 * fires first and the seqs shift. A regular activity is scheduled by the completed task, from the history: what
 * PostgreSQL stores is what the workflow did. Earlier executions keep their local activity.
 */
export const DURABLE_TRANSITIONS_PATCH = 'durable-transitions';

/**
 * Marks executions of connected procedures that run each agency's segment as a child workflow on the agency's task
 * queue. Connected dossiers started before it walk all the segments' steps in the dossier workflow itself.
 */
export const AGENCY_SEGMENTS_PATCH = 'agency-segments';

/**
 * Marks executions that keep time as the law has it (issue 15): a due time filling its last day is that day's close,
 * an applicant's window and the warning point follow the unit of the rule, the desk step runs on the transfer rule,
 * and a restart after a supplement makes a new appointment (Decision 766 still judging by the first one plus the
 * waits). Earlier executions keep their clock, and hand it to the segments they start.
 */
export const CLOCK_AS_LAW_PATCH = 'clock-as-law';

/**
 * Marks executions started with every change above in force at once, and every rule of workflows/dossier/patches.ts
 * made by then (COVERED_BY_CURRENT_RULES), recorded as one marker instead of one per change: each `patched()` a new
 * execution records costs a marker and a search-attribute upsert (TemporalChangeVersion) in its first workflow task,
 * eleven of each per dossier before it. The same executions store the transitions an officer's action makes through
 * the actions' own activity task queue (see actionsTaskQueue), so the action's answer does not wait behind the
 * backlog of new dossiers' transitions. An execution without it asks for each change on its own, as it always did.
 */
export const CURRENT_RULES_PATCH = 'rules-2026-12';

/**
 * Marks executions that compute with the calendar their input carries (the API's, when it started the workflow)
 * instead of loading it through a local activity before their first transition: one activation fewer per new
 * dossier. A calendar edit reaches them as it always did (calendarChangedSignal, then the activity reloads it).
 * Asked only of an execution whose input has a calendar; not one CURRENT_RULES_PATCH stands for.
 */
export const CALENDAR_IN_INPUT_PATCH = 'calendar-in-input';

/**
 * Marks executions that hand each agency's segment the dossier's working calendar in its input (the one the
 * dossier computes with: handed over, or loaded), so a segment starts without a local activity of its own. Only in
 * a release (2 on): never asked with `patched()`.
 */
export const SEGMENT_CALENDAR_PATCH = 'segment-calendar-in-input';

/**
 * The changes CURRENT_RULES_PATCH stands for, frozen: a change made after it is not in this list, so an execution
 * started with the marker asks `patched()` for that change on its own (and is told no on replay, as it should).
 */
const COVERED_BY_CURRENT_RULES: ReadonlySet<string> = new Set([
  STEP_INTERPRETER_PATCH,
  LOCAL_ACTIVITIES_PATCH,
  DURABLE_TRANSITIONS_PATCH,
  AGENCY_SEGMENTS_PATCH,
  CLOCK_AS_LAW_PATCH,
  'immediate-return',
  'segment-outcomes',
  'return-at-receiving-desk',
  'signatories',
  'supplements-per-dossier',
  'timers-before-actions',
  'payment-gateway-records-payment',
]);

/**
 * What each release of the rules (`release` in the input, DOSSIER_WORKFLOW_RELEASE) stands for, frozen once made:
 * release 1 is every change above, CURRENT_RULES_PATCH's actions' queue and answer, and the calendar in the input;
 * release 2 adds the segments' calendar in their input (SEGMENT_CALENDAR_PATCH).
 * A change made after a release is asked with `patched()` by the executions it does not cover, until a release
 * gathers it.
 */
const RELEASE_1: ReadonlySet<string> = new Set([
  ...COVERED_BY_CURRENT_RULES,
  CURRENT_RULES_PATCH,
  CALENDAR_IN_INPUT_PATCH,
]);
export const RELEASED_CHANGES: readonly ReadonlySet<string>[] = [
  new Set(),
  RELEASE_1,
  new Set([...RELEASE_1, SEGMENT_CALENDAR_PATCH]),
];

/**
 * The changes the release an execution was started with stands for. One started by a newer build than this worker's
 * fails its workflow task (retried by Temporal) until a worker that knows the release takes it, as a rolling upgrade
 * leaves old workers polling for a while: an old worker never runs it under rules it does not have.
 */
function releasedChanges(release: number | undefined): ReadonlySet<string> {
  const changes = RELEASED_CHANGES[release ?? 0];
  if (!changes) {
    throw new Error(
      `started under release ${release} of the dossier workflow's rules; this worker knows up to ` +
        `${DOSSIER_WORKFLOW_RELEASE}: the task waits for a newer worker`,
    );
  }
  return changes;
}

/**
 * One workflow per dossier (workflow ID = dossier code). It interprets the snapshot of the procedure version in
 * force at receipt: steps and holders, working-time clocks with pauses and restarts, the escalation ladder, the
 * warning point and the due time as durable timers, and the deadline ledger. Officer actions arrive as Updates;
 * every transition is persisted, in order, by an idempotent (local) activity keyed by (dossier code, event seq).
 *
 * For a connected procedure, each agency's segment runs as a child workflow on that agency's task queue, with its
 * own steps, clocks and attribution; it reports every transition here, where the dossier's own clock, the control
 * sheet and the persistence of all segments stay, and the next agency receives the dossier as soon as one is done.
 */
export async function dossierWorkflow(input: DossierWorkflowInput): Promise<DossierWorkflowSnapshot | LegacySnapshot> {
  const released = releasedChanges(input.release);
  const current = released.has(CURRENT_RULES_PATCH) || patched(CURRENT_RULES_PATCH);
  // The calendar the API handed over, if any, and the release: kept out of the machine's input (and what it stores).
  const { calendar: handed, release: _release, ...bare } = input;
  input = bare;
  const has = (id: string): boolean => released.has(id) || (current && COVERED_BY_CURRENT_RULES.has(id)) || patched(id);
  if (!has(STEP_INTERPRETER_PATCH) || !input.rules) {
    return dossierWorkflowV1(input);
  }
  const chosen = has(LOCAL_ACTIVITIES_PATCH) ? localActivities : remoteActivities;
  const { loadWorkingCalendar } = chosen;
  const { persistTransition } = has(DURABLE_TRANSITIONS_PATCH) ? remoteActivities : chosen;
  // An officer's action: its transitions through the actions' queue (CURRENT_RULES_PATCH), or as every other one.
  const persistAction = current
    ? actionActivities(actionsTaskQueue(workflowInfo().taskQueue)).persistTransition
    : persistTransition;
  const connected = Boolean(input.rules.segments?.length) && has(AGENCY_SEGMENTS_PATCH);
  const legacyClock = !has(CLOCK_AS_LAW_PATCH);
  if (!connected && input.rules.segments) {
    input = { ...input, rules: { ...input.rules, segments: undefined } };
  }
  // The rules of the law as this release has them; a dossier started before keeps the ones it started with.
  const patches = decidePatches(has);
  let seq = 0;
  let persisted: Promise<void> = Promise.resolve();

  /**
   * Queues events for persistence in seq order; resolves when they (and everything before) are stored. An officer's
   * action (`store`: persistAction) has them stored through the actions' queue.
   */
  const persist = (events: TransitionEvent[], store = persistTransition): Promise<void> => {
    for (const event of events) {
      seq += 1;
      const payload = {
        dossierCode: input.dossierCode,
        seq,
        event,
        projection: clone(inbox.held.machine!.snapshot(seq)),
      };
      persisted = persisted.then(async () => {
        await store(payload);
      });
    }
    return persisted;
  };

  const inbox = openInbox(
    (events) => persist(events, persistAction),
    // With the current rules, what the officer may do next goes with the answer (no query after each action).
    (m, command) =>
      current ? { ...m.snapshot(seq), allowedAfter: allowedFor(m, command.actor, new Date()) } : m.snapshot(seq),
  );
  setHandler(snapshotQuery, () => {
    if (!inbox.held.machine) {
      throw new Error(`Dossier ${input.dossierCode} is still being taken into processing.`);
    }
    return inbox.held.machine.snapshot(seq);
  });

  // Segments' reports, and their child workflows (started when the dossier is handed over to each agency).
  const reports: SegmentReport[] = [];
  const children = new Map<string, ChildWorkflowHandle<typeof agencySegmentWorkflow>>();
  if (connected) {
    setHandler(segmentReportSignal, (report) => {
      reports.push(report);
    });
  }

  // The calendar data the dossier computes with (handed over or loaded), handed on to its segments (release 2 on).
  let calendarData = handed && has(CALENDAR_IN_INPUT_PATCH) ? handed : undefined;
  const reloadCalendar = async () => {
    calendarData = await loadWorkingCalendar({ scope: input.receivingUnitCode });
    return buildCalendar(calendarData);
  };
  const calendar = calendarData ? buildCalendar(calendarData) : await reloadCalendar();
  const machine = new DossierMachine(input, calendar, { newId: uuid4, patches, legacyClock });
  inbox.held.machine = machine;

  /** Starts the child workflow of a segment just handed over; false when there is none. */
  const startHandedOver = async (): Promise<boolean> => {
    const next = machine.takeHandOver();
    if (!next) {
      return false;
    }
    const child = await startChild(agencySegmentWorkflow, {
      workflowId: `${input.dossierCode}/${next.segment.code}`,
      taskQueue: next.segment.taskQueue,
      args: [released.has(SEGMENT_CALENDAR_PATCH) && calendarData ? { ...next, calendar: calendarData } : next],
    });
    children.set(next.segment.code, child);
    return true;
  };
  if (connected) {
    setHandler(
      handoffCallbackUpdate,
      async (callback: HandoffCallback) => {
        let events: TransitionEvent[] = [];
        try {
          events = machine.applyCallback(callback, new Date());
        } catch (e) {
          refuse(e);
        }
        inbox.dirty = true;
        await persist(events);
        return machine.snapshot(seq);
      },
      {
        validator: (callback: HandoffCallback) => {
          try {
            machine.checkCallback(callback);
          } catch (e) {
            refuse(e);
          }
        },
      },
    );
  }

  await persist(machine.start());

  await runMachine(machine, inbox, {
    running: () => !machine.terminal,
    record: persist,
    reloadCalendar,
    onCalendarChange: async (change) => {
      const segment = machine.activeSegment;
      await (segment ? children.get(segment.code)?.signal(calendarChangedSignal, change) : undefined);
    },
    work: async () => {
      if (await startHandedOver()) {
        return true;
      }
      const report = reports.shift();
      if (!report) {
        return false;
      }
      await persist(machine.mirror(report));
      await children.get(report.segment)?.signal(segmentAckSignal, report.no);
      await startHandedOver();
      return true;
    },
    more: () => reports.length > 0 || machine.handOverPending,
  });
  await persisted;
  await condition(allHandlersFinished);
  return machine.snapshot(seq);
}
