import {
  AsyncLocalStorage,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type SignalInput,
  type StartChildWorkflowExecutionInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { type Payload } from '@temporalio/common';

/**
 * The header OpenTelemetry's Temporal interceptors carry the trace context in (the API's client interceptor writes
 * it on starts, Updates and signals; the worker's activity interceptor reads it).
 */
export const TRACE_HEADER = '_tracer-data';

/** The trace context of the start, Update or signal whose code is running. */
const current = new AsyncLocalStorage<Payload>();

type Headed = { headers: Record<string, Payload> };

/** Runs `next` with the header's trace context as the current one (as it is when the call carries none). */
function within<I extends Headed, O>(input: I, next: (input: I) => O): O {
  const carried = input.headers[TRACE_HEADER];
  return carried ? current.run(carried, () => next(input)) : next(input);
}

/** The input with the current trace context in its headers (unchanged without one, or when it has its own). */
function carrying<I extends Headed>(input: I): I {
  const carried = current.getStore();
  return carried && !input.headers[TRACE_HEADER]
    ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: carried } }
    : input;
}

class InboundTracePropagation implements WorkflowInboundCallsInterceptor {
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    return within(input, next);
  }

  handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>): Promise<unknown> {
    return within(input, next);
  }

  handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>): Promise<void> {
    return within(input, next);
  }
}

class OutboundTracePropagation implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    return next(carrying(input));
  }

  scheduleLocalActivity(
    input: LocalActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>,
  ) {
    return next(carrying(input));
  }

  startChildWorkflowExecution(
    input: StartChildWorkflowExecutionInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'startChildWorkflowExecution'>,
  ) {
    return next(carrying(input));
  }
}

/**
 * Carries the trace of the request that started or acted on a dossier on to the activities (and child workflows) its
 * code schedules: headers only. No span is made in the workflow and no step is added to its code's promises, so the
 * commands stay those of the histories recorded without it (OpenTelemetry's own workflow interceptors add awaits
 * around Update handlers, which reorders commands of running dossiers: test/workflows/replay-traced.test.ts).
 */
export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new InboundTracePropagation()],
  outbound: [new OutboundTracePropagation()],
});
