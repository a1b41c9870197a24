import { Global, Injectable, Module } from '@nestjs/common';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  type Actor,
  type DossierActionCommand,
  DomainErrorCode,
  DomainException,
  type DossierWorkflowSnapshot,
  type HandoffCallback,
  type RuleViolationType,
  TERMINAL_STATES,
} from '../../../../libs/domain/src';
import { DossierStore } from '../../../../libs/persistence/src';
import {
  type ActionAnswer,
  actionUpdate,
  type AllowedActions,
  allowedActionsQuery,
  handoffCallbackUpdate,
} from '../../../../workflows/dossier.messages';
import { TemporalClientProvider } from './temporal.module';

/** How long an Update may take before the caller is told to retry (with the same idempotency key). */
const UPDATE_DEADLINE_MS = 15_000;
/** How long the console waits for the allowed actions before it offers none. */
const QUERY_DEADLINE_MS = 5_000;

/** The one mapping of a workflow's refusal to the API's error codes (and so to HTTP statuses). */
const REFUSALS: Record<RuleViolationType, DomainErrorCode> = {
  INVALID_STATE: DomainErrorCode.INVALID_STATE,
  WRONG_STEP: DomainErrorCode.INVALID_STATE,
  LIMIT_REACHED: DomainErrorCode.INVALID_STATE,
  TOO_LATE: DomainErrorCode.INVALID_STATE,
  // Only when the segment holding the dossier could not be reached by the redirect.
  DELEGATED: DomainErrorCode.INVALID_STATE,
  NOT_HOLDER: DomainErrorCode.FORBIDDEN,
  ROLE_NOT_ALLOWED: DomainErrorCode.FORBIDDEN,
  INVALID_REQUEST: DomainErrorCode.VALIDATION_FAILED,
};

const isRuleViolationType = (type: string | undefined | null): type is RuleViolationType =>
  typeof type === 'string' && type in REFUSALS;

/** What the caller was doing, for the problem's details and the retry hint. */
export interface UpdateContext {
  /** The action or callback kind. */
  what: string;
  /** The field a retry must repeat to be recognised (`Idempotency-Key`, `callbackId`…). */
  retryWith: string;
  /** Names the Update so a retry is applied once. */
  updateId?: string;
}

/**
 * The API's one way into the dossier workflows: Updates with their deadline, the redirect to the agency segment's
 * child workflow that holds a connected dossier, the allowed-actions query, and the translation of every failure
 * into a DomainException (a refusal by its rule, a closed dossier with its state, an unreachable service).
 */
@Injectable()
export class DossierWorkflowGateway {
  constructor(
    private readonly temporal: TemporalClientProvider,
    private readonly dossiers: DossierStore,
  ) {}

  /** An officer's (or connected system's) action, taken by whichever workflow holds the dossier's step. */
  async act(code: string, command: DossierActionCommand, context: UpdateContext): Promise<ActionAnswer> {
    const send = (workflowId: string) =>
      this.withDeadline(UPDATE_DEADLINE_MS, () =>
        this.temporal.client.workflow
          .getHandle(workflowId)
          .executeUpdate(actionUpdate, { args: [command], updateId: context.updateId }),
      );
    try {
      return await send(code).catch((e: unknown) => {
        // A connected dossier with an agency: that segment's child workflow holds the step and takes the action.
        const segment = delegatedTo(e);
        if (segment) {
          return send(segment);
        }
        throw e;
      });
    } catch (e) {
      throw await this.translate(e, code, context);
    }
  }

  /** A partner system's answer about the segment handed to it. */
  async handoffCallback(
    code: string,
    callback: HandoffCallback,
    context: UpdateContext,
  ): Promise<DossierWorkflowSnapshot> {
    try {
      return await this.withDeadline(UPDATE_DEADLINE_MS, () =>
        this.temporal.client.workflow
          .getHandle(code)
          .executeUpdate(handoffCallbackUpdate, { args: [callback], updateId: context.updateId }),
      );
    } catch (e) {
      throw await this.translate(e, code, context);
    }
  }

  /** The actions `actor` may take now, asked of the workflow that would judge them (the segment's, if delegated). */
  async allowedActions(code: string, actor: Actor): Promise<AllowedActions> {
    const ask = (workflowId: string) =>
      this.withDeadline(QUERY_DEADLINE_MS, () =>
        this.temporal.client.workflow.getHandle(workflowId).query(allowedActionsQuery, actor, new Date().toISOString()),
      );
    const answer = await ask(code);
    return answer.delegatedTo ? ask(answer.delegatedTo) : answer;
  }

  private withDeadline<T>(ms: number, call: () => Promise<T>): Promise<T> {
    return this.temporal.connection.withDeadline(Date.now() + ms, call);
  }

  private async translate(e: unknown, code: string, { what, retryWith }: UpdateContext): Promise<DomainException> {
    if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
      const rule = isRuleViolationType(e.cause.type) ? e.cause.type : 'INVALID_STATE';
      return new DomainException(REFUSALS[rule], e.cause.message, [], { rule, action: what });
    }
    if (e instanceof WorkflowNotFoundError || (e instanceof Error && /already completed/i.test(e.message))) {
      // No running workflow: the dossier is over (its workflow completed), or its workflow has not started yet.
      const state = (await this.dossiers.findByCode(code))?.state;
      if (state && (TERMINAL_STATES as readonly string[]).includes(state)) {
        return new DomainException(
          DomainErrorCode.INVALID_STATE,
          `Dossier ${code} is closed (${state}): no further ${what}.`,
          [],
          { state, action: what },
        );
      }
      return new DomainException(
        DomainErrorCode.INVALID_STATE,
        `Dossier ${code} is still being handed to processing; try again in a moment.`,
        [],
        { state: state ?? null, action: what },
      );
    }
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      return new DomainException(
        DomainErrorCode.UNAVAILABLE,
        `Processing did not answer for dossier ${code}; retry with the same ${retryWith}.`,
      );
    }
    return new DomainException(
      DomainErrorCode.UNAVAILABLE,
      `The workflow service is unavailable (${e instanceof Error ? e.message : String(e)}); retry with the same ${retryWith}.`,
    );
  }
}

@Global()
@Module({ providers: [DossierWorkflowGateway], exports: [DossierWorkflowGateway] })
export class DossierWorkflowModule {}

/** The workflow of the agency segment that holds a connected dossier, when the dossier's workflow redirected. */
function delegatedTo(e: unknown): string | undefined {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure && e.cause.type === 'DELEGATED') {
    const [details] = e.cause.details as [{ workflowId?: string }?];
    return details?.workflowId;
  }
  return undefined;
}
