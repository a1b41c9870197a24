import { log } from '@temporalio/activity';
import { calendarScopeChain, createScopedCalendar } from '../libs/calendar/src';
import {
  DomainErrorCode,
  DomainException,
  judgeAgainstPromise,
  type PromiseJudgement,
  type TransitionRecord,
} from '../libs/domain/src';
import { type CalendarStore, loadCalendarData } from '../libs/persistence/src/stores/calendar.store';
import { type DossierStore } from '../libs/persistence/src/stores/dossier.store';
import type { CalendarData } from '../libs/calendar/src';
import { type PersistTransitionInput, type RecordDossierEventInput } from './dossier.activities.types';

export interface DossierActivityDeps {
  dossiers: DossierStore;
  calendars: CalendarStore;
  timeZone: string;
}

/** The working calendar of a scope (its chain of calendars and office hours) as plain data. */
export async function workingCalendarData(
  calendars: CalendarStore,
  scope: string,
  timeZone: string,
): Promise<CalendarData> {
  const chain = calendarScopeChain(scope);
  if (!chain) {
    throw new DomainException(DomainErrorCode.VALIDATION_FAILED, `"${scope}" is not a calendar scope.`);
  }
  return loadCalendarData(calendars, chain, timeZone);
}

/**
 * How the reports judge a finished dossier that was extended (form 04): against its promised time, on its receiving
 * unit's calendar (the workflow's). Undefined when there is nothing to judge again: not extended, or not finished.
 */
async function judgedAgainstPromise(
  { dossiers, calendars, timeZone }: DossierActivityDeps,
  record: TransitionRecord,
): Promise<PromiseJudgement | undefined> {
  const p = record.projection;
  if (!p.deadline.extended || !p.finishedAt) {
    return undefined;
  }
  const dossier = await dossiers.findByCode(record.dossierCode);
  if (!dossier) {
    return undefined;
  }
  const data = await workingCalendarData(calendars, dossier.receivingUnitCode, timeZone);
  return judgeAgainstPromise(createScopedCalendar(data), p);
}

/** Activities are plain functions; the worker's NestJS context supplies their dependencies. */
export function createDossierActivities(deps: DossierActivityDeps) {
  const { dossiers, calendars, timeZone } = deps;
  return {
    /** First release only: one event with its projection columns. */
    async recordDossierEvent(input: RecordDossierEventInput): Promise<{ applied: boolean }> {
      const occurredAt = new Date(input.occurredAt);
      const result = await dossiers.recordEvent({
        dossierCode: input.dossierCode,
        seq: input.seq,
        type: input.type,
        nationalStatus: input.nationalStatus,
        occurredAt,
        actorId: input.actorId,
        payload: input.payload,
        patch:
          input.type === 'PROCESSING_STARTED'
            ? { workflowStartedAt: occurredAt }
            : input.type === 'RESULT_RETURNED'
              ? { resultReturnedAt: occurredAt }
              : {},
      });
      log.info('dossier event recorded', {
        dossierCode: input.dossierCode,
        seq: input.seq,
        type: input.type,
        ...result,
      });
      return result;
    },

    /** Stores one transition once: a retry with the same (code, seq) changes nothing. */
    async persistTransition(input: PersistTransitionInput): Promise<{ applied: boolean; notified: number }> {
      const result = await dossiers.recordTransition(input, await judgedAgainstPromise(deps, input));
      log.info('dossier transition recorded', {
        dossierCode: input.dossierCode,
        seq: input.seq,
        type: input.event.type,
        ...result,
      });
      return result;
    },

    /** The working calendar of a scope chain as plain data, for the workflow to compute with. */
    loadWorkingCalendar({ scope }: { scope: string }): Promise<CalendarData> {
      return workingCalendarData(calendars, scope, timeZone);
    },
  };
}

export type DossierActivities = ReturnType<typeof createDossierActivities>;
