import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { type TransitionEvent } from '../libs/domain/src';
import { NO_PATCHES } from './dossier/patches';
import { DossierMachine } from './dossier.machine';
import { segmentAckSignal, segmentReportSignal, snapshotQuery } from './dossier.messages';
import type {
  DossierActionCommand,
  DossierWorkflowSnapshot,
  SegmentReport,
  SegmentWorkflowInput,
} from './dossier.types';
import { buildCalendar, clone, localActivities, openInbox, runMachine } from './machine.runtime';

const ACTIVE = ['IN_PROGRESS', 'AWAITING_SUPPLEMENT', 'AWAITING_PAYMENT'];

/**
 * An agency's share of a connected dossier, run on the agency's task queue by its own workers: the segment's steps,
 * holders, step clocks and escalation, and its own due time (its budget from the hand-over instant). Officers' actions
 * reach it as Updates (the dossier workflow redirects them here). Every transition is reported to the dossier
 * workflow, which persists it with the dossier's; an action answers once its report is stored. The segment ends
 * when its last step is done, or when the dossier is refused, withdrawn or closed.
 */
export async function agencySegmentWorkflow(input: SegmentWorkflowInput): Promise<DossierWorkflowSnapshot> {
  const parent = workflowInfo().parent;
  if (!parent) {
    throw ApplicationFailure.nonRetryable(
      `Segment ${input.segment.code} of ${input.dossierCode} runs only as a child of the dossier's workflow.`,
      'NO_PARENT',
    );
  }
  const dossier = getExternalWorkflowHandle(parent.workflowId, parent.runId);
  let sent = 0;
  let acknowledged = 0;
  let reported: Promise<void> = Promise.resolve();
  setHandler(segmentAckSignal, (no) => {
    acknowledged = Math.max(acknowledged, no);
  });

  /** Sends the transition to the dossier workflow (in order); resolves once the dossier workflow stored it. */
  const report = (events: TransitionEvent[], command?: DossierActionCommand, at: Date = new Date()): Promise<void> => {
    if (events.length === 0) {
      return reported;
    }
    sent += 1;
    const message: SegmentReport = {
      segment: input.segment.code,
      no: sent,
      command,
      at: at.toISOString(),
      events,
      snapshot: clone(inbox.held.machine!.snapshot(sent)),
    };
    const no = sent;
    reported = reported.then(() => dossier.signal(segmentReportSignal, message));
    return reported.then(() => condition(() => acknowledged >= no));
  };

  const inbox = openInbox(report, (m) => m.snapshot(sent));
  setHandler(snapshotQuery, () => {
    if (!inbox.held.machine) {
      throw new Error(`Segment ${input.segment.code} of ${input.dossierCode} is still being taken over.`);
    }
    return inbox.held.machine.snapshot(sent);
  });

  const { loadWorkingCalendar } = localActivities;
  const reloadCalendar = async () => buildCalendar(await loadWorkingCalendar({ scope: input.receivingUnitCode }));
  // Handed over with the segment by a dossier of release 2 on; a calendar edit reloads it as before.
  const { calendar: handed, ...bare } = input;
  input = bare;
  const machine = new DossierMachine(
    {
      dossierCode: input.dossierCode,
      procedureCode: input.procedureCode,
      receivingUnitCode: input.receivingUnitCode,
      receivedAt: input.handedOverAt,
      receivedBy: input.receivedBy,
      rules: input.rules,
    },
    handed ? buildCalendar(handed) : await reloadCalendar(),
    {
      extended: input.extended,
      supplementRequests: input.supplementRequests,
      patches: input.patches ?? NO_PATCHES,
      legacyClock: !input.lawClock,
    },
  );
  inbox.held.machine = machine;
  await report(machine.start(), undefined, new Date(input.handedOverAt));

  await runMachine(machine, inbox, {
    running: () => ACTIVE.includes(machine.state),
    record: (events) => report(events),
    reloadCalendar,
  });
  await condition(allHandlersFinished);
  await condition(() => acknowledged >= sent);
  return machine.snapshot(sent);
}
