import {
  type ActivityOptions,
  type LocalActivityOptions,
  ApplicationFailure,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { DossierActivities } from '../activities/dossier.activities';
import { createScopedCalendar, type WorkingCalendar } from '../libs/calendar/src';
import { type TransitionEvent } from '../libs/domain/src';
import { type DossierMachine, RuleViolation } from './dossier.machine';
import {
  type ActionAnswer,
  actionUpdate,
  type AllowedActions,
  allowedActionsQuery,
  calendarChangedSignal,
} from './dossier.messages';
import type {
  Actor,
  CalendarChangedSignal,
  CalendarData,
  DossierActionCommand,
  DossierWorkflowSnapshot,
} from './dossier.types';

const ACTIVITY_OPTIONS: ActivityOptions & LocalActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['DomainException'] },
};
export const remoteActivities = proxyActivities<DossierActivities>(ACTIVITY_OPTIONS);
export const localActivities = proxyLocalActivities<DossierActivities>(ACTIVITY_OPTIONS);
/** The activities an officer's action waits for, on a task queue of their own (the worker polls it too). */
export const actionActivities = (taskQueue: string) =>
  proxyActivities<DossierActivities>({ ...ACTIVITY_OPTIONS, taskQueue });

export const buildCalendar = (data: CalendarData): WorkingCalendar =>
  createScopedCalendar({
    timeZone: data.timeZone,
    officeHours: data.officeHours,
    entries: data.entries,
    chain: data.chain,
  });

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A refused action becomes a non-retryable failure of the Update, of the violation's type (and its details). */
export const refuse = (e: unknown): never => {
  if (e instanceof RuleViolation) {
    throw ApplicationFailure.create({
      message: e.message,
      type: e.type,
      nonRetryable: true,
      details: e.details ? [e.details] : undefined,
    });
  }
  throw e;
};

/** What a running machine is fed with besides its timers: officers' actions and calendar edits. */
export interface MachineInbox {
  held: { machine?: DossierMachine };
  calendarChanges: CalendarChangedSignal[];
  /** An action changed the machine since the loop last looked (its timers may have moved). */
  dirty: boolean;
}

/** What `actor` may do now on `m`: the allowed-actions query's answer, and an action's (see ActionAnswer). */
export function allowedFor(m: DossierMachine | undefined, actor: Actor, at: Date): AllowedActions {
  if (!m || m.delegatedTo) {
    return { actions: [], nextSteps: [], returnTargets: [], delegatedTo: m?.delegatedTo ?? null };
  }
  const actions = m.allowedActions(actor, at);
  // The choices an action offers, only to who may take it.
  return {
    actions,
    nextSteps: actions.includes('complete')
      ? m.nextSteps().map((s) => ({ code: s.code, name: s.name, unitCode: s.unit, role: s.role }))
      : [],
    returnTargets: actions.includes('return') ? m.returnTargets().map((s) => ({ code: s.code, name: s.name })) : [],
    delegatedTo: null,
  };
}

/**
 * Registers the officers' action Update and the calendar signal. Handlers exist before the machine does and wait
 * for it; each applied action's events go to `record`, and the Update answers once they are stored, with what
 * `answer` gives for the machine and the action's command.
 */
export function openInbox(
  record: (events: TransitionEvent[], command: DossierActionCommand, at: Date) => Promise<void>,
  answer: (machine: DossierMachine, command: DossierActionCommand) => DossierWorkflowSnapshot | ActionAnswer,
): MachineInbox {
  const inbox: MachineInbox = { held: {}, calendarChanges: [], dirty: false };
  setHandler(
    actionUpdate,
    async (command: DossierActionCommand) => {
      await condition(() => inbox.held.machine !== undefined);
      const m = inbox.held.machine as DossierMachine;
      const now = new Date();
      // Timers that fell due before the action (its worker was down, or they share this activation) go first.
      const overdue = m.overdueBefore(now);
      let events: TransitionEvent[] = [];
      try {
        events = m.apply(command, now);
      } catch (e) {
        if (overdue.length > 0) {
          inbox.dirty = true;
          await record(overdue, command, now);
        }
        refuse(e);
      }
      inbox.dirty = true;
      await record([...overdue, ...events], command, now);
      return answer(m, command);
    },
    {
      validator: (command: DossierActionCommand) => {
        try {
          inbox.held.machine?.check(command, new Date());
        } catch (e) {
          refuse(e);
        }
      },
    },
  );
  setHandler(allowedActionsQuery, (actor, at) => allowedFor(inbox.held.machine, actor, new Date(at)));
  setHandler(calendarChangedSignal, (change) => {
    inbox.calendarChanges.push(change);
  });
  return inbox;
}

/**
 * Runs a machine until `running()` turns false: reloads the calendar when a year in its chain is edited, fires its
 * timers when due, and otherwise sleeps until the next timer, an action, a calendar edit or `more()` has work.
 * `work()` does that other work first (the dossier workflow's segment reports) and says whether it did any.
 */
export async function runMachine(
  machine: DossierMachine,
  inbox: MachineInbox,
  options: {
    running: () => boolean;
    record: (events: TransitionEvent[]) => Promise<void>;
    reloadCalendar: () => Promise<WorkingCalendar>;
    onCalendarChange?: (change: CalendarChangedSignal) => Promise<void>;
    work?: () => Promise<boolean>;
    more?: () => boolean;
  },
): Promise<void> {
  const more = options.more ?? (() => false);
  while (options.running()) {
    if (options.work && (await options.work())) {
      continue;
    }
    const change = inbox.calendarChanges.shift();
    if (change) {
      const fresh = await options.reloadCalendar();
      await options.record(machine.recalendar(fresh, change, new Date()));
      await options.onCalendarChange?.(change);
      continue;
    }
    const wakeAt = machine.nextWakeAt();
    const now = Date.now();
    if (wakeAt && wakeAt.getTime() <= now) {
      await options.record(machine.fire(new Date(now)));
      continue;
    }
    inbox.dirty = false;
    const woken = (): boolean => inbox.dirty || inbox.calendarChanges.length > 0 || !options.running() || more();
    if (wakeAt) {
      await condition(woken, wakeAt.getTime() - now);
    } else {
      await condition(woken);
    }
  }
}
