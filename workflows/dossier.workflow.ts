import {
  type ActivityOptions,
  type LocalActivityOptions,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { DossierActivities } from '../activities/dossier.activities';
import { createScopedCalendar, type WorkingCalendar } from '../libs/calendar/src';
import { dossierWorkflowV1 } from './dossier-v1.workflow';
import { type TransitionEvent } from '../libs/domain/src';
import { DossierMachine, RuleViolation } from './dossier.machine';
import { actionUpdate, calendarChangedSignal, type LegacySnapshot, snapshotQuery } from './dossier.messages';
import type {
  CalendarChangedSignal,
  CalendarData,
  DossierActionCommand,
  DossierWorkflowInput,
  DossierWorkflowSnapshot,
} from './dossier.types';

/** Marks executions that interpret the procedure's steps (the first release only waited for the result). */
export const STEP_INTERPRETER_PATCH = 'step-interpreter';

/**
 * Marks executions that persist and load the calendar through local activities: short database calls run by the
 * worker inside the workflow task, without a round trip through the server for each (a third of the server work
 * per dossier, and an officer's action answers sooner). Earlier executions keep their regular activities.
 */
export const LOCAL_ACTIVITIES_PATCH = 'local-activities';

const ACTIVITY_OPTIONS: ActivityOptions & LocalActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['DomainException'] },
};
const remote = proxyActivities<DossierActivities>(ACTIVITY_OPTIONS);
const local = proxyLocalActivities<DossierActivities>(ACTIVITY_OPTIONS);

const buildCalendar = (data: CalendarData): WorkingCalendar =>
  createScopedCalendar({
    timeZone: data.timeZone,
    officeHours: data.officeHours,
    entries: data.entries,
    chain: data.chain,
  });

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * One workflow per dossier (workflow ID = dossier code). It interprets the snapshot of the procedure version in
 * force at receipt: steps and holders, working-time clocks with pauses and restarts, the escalation ladder, the
 * warning point and the due time as durable timers, and the deadline ledger. Officer actions arrive as Updates;
 * every transition is persisted, in order, by an idempotent (local) activity keyed by (dossier code, event seq).
 */
export async function dossierWorkflow(input: DossierWorkflowInput): Promise<DossierWorkflowSnapshot | LegacySnapshot> {
  if (!patched(STEP_INTERPRETER_PATCH) || !input.rules) {
    return dossierWorkflowV1(input);
  }
  const { persistTransition, loadWorkingCalendar } = patched(LOCAL_ACTIVITIES_PATCH) ? local : remote;
  // Handlers are registered before the calendar is loaded; they wait for the machine to exist.
  const held: { machine?: DossierMachine } = {};
  let seq = 0;
  let dirty = false;
  let persisted: Promise<void> = Promise.resolve();
  const calendarChanges: CalendarChangedSignal[] = [];

  /** Queues events for persistence in seq order; resolves when they (and everything before) are stored. */
  const persist = (events: TransitionEvent[]): Promise<void> => {
    for (const event of events) {
      seq += 1;
      const payload = { dossierCode: input.dossierCode, seq, event, projection: clone(held.machine!.snapshot(seq)) };
      persisted = persisted.then(async () => {
        await persistTransition(payload);
      });
    }
    return persisted;
  };

  const refuse = (e: unknown): never => {
    if (e instanceof RuleViolation) {
      throw ApplicationFailure.nonRetryable(e.message, e.type);
    }
    throw e;
  };

  setHandler(snapshotQuery, () => {
    if (!held.machine) {
      throw new Error(`Dossier ${input.dossierCode} is still being taken into processing.`);
    }
    return held.machine.snapshot(seq);
  });
  setHandler(
    actionUpdate,
    async (command: DossierActionCommand) => {
      await condition(() => held.machine !== undefined);
      const m = held.machine as DossierMachine;
      let events: TransitionEvent[] = [];
      try {
        events = m.apply(command, new Date());
      } catch (e) {
        refuse(e);
      }
      dirty = true;
      await persist(events);
      return m.snapshot(seq);
    },
    {
      validator: (command: DossierActionCommand) => {
        try {
          held.machine?.check(command, new Date());
        } catch (e) {
          refuse(e);
        }
      },
    },
  );
  setHandler(calendarChangedSignal, (change) => {
    calendarChanges.push(change);
  });

  const calendar = buildCalendar(await loadWorkingCalendar({ scope: input.receivingUnitCode }));
  const machine = new DossierMachine(input, calendar);
  held.machine = machine;
  await persist(machine.start());

  while (!machine.terminal) {
    const change = calendarChanges.shift();
    if (change) {
      const fresh = buildCalendar(await loadWorkingCalendar({ scope: input.receivingUnitCode }));
      await persist(machine.recalendar(fresh, change, new Date()));
      continue;
    }
    const wakeAt = machine.nextWakeAt();
    const now = Date.now();
    if (wakeAt && wakeAt.getTime() <= now) {
      await persist(machine.fire(new Date(now)));
      continue;
    }
    dirty = false;
    const m = machine;
    const woken = (): boolean => dirty || calendarChanges.length > 0 || m.terminal;
    if (wakeAt) {
      await condition(woken, wakeAt.getTime() - now);
    } else {
      await condition(woken);
    }
  }
  await persisted;
  await condition(allHandlersFinished);
  return machine.snapshot(seq);
}
