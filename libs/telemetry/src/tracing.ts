import { ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The process's tracing, once started: what the worker hands to its workflows' span sink. */
export interface Tracing {
  readonly provider: NodeTracerProvider;
  readonly processor: SpanProcessor;
  readonly resource: Resource;
}

let started: Tracing | undefined;

/** How long finished spans wait before a batch leaves for the collector. */
const EXPORT_DELAY_MS = 2000;

/**
 * Starts exporting traces over OTLP/HTTP (JSON) to `endpoint` (the collector's base URL, as
 * OTEL_EXPORTER_OTLP_ENDPOINT names it; `/v1/traces` is appended), once per process: the first caller names the
 * service. No endpoint: nothing is registered, the OpenTelemetry API stays the no-op it is by default (no cost).
 */
export function startTracing(endpoint: string | undefined, serviceName: string): Tracing | undefined {
  if (started || !endpoint) {
    return started;
  }
  const resource = new Resource({ [ATTR_SERVICE_NAME]: serviceName });
  const processor = new BatchSpanProcessor(
    new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }),
    { scheduledDelayMillis: EXPORT_DELAY_MS },
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // The global tracer, W3C trace-context propagation and the async-hooks context manager.
  provider.register();
  started = { provider, processor, resource };
  return started;
}

/** The tracing this process started, if any. */
export function activeTracing(): Tracing | undefined {
  return started;
}

/** Sends what is buffered (at shutdown, so the last spans are not lost). */
export async function flushTracing(): Promise<void> {
  await started?.provider.forceFlush();
}

/** The IDs log lines carry when a span is active: `trace_id` and `span_id`, as the collector shows them. */
export function traceFields(span: Span | undefined = trace.getActiveSpan()): {
  trace_id?: string;
  span_id?: string;
} {
  const spanContext = span?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) {
    return {};
  }
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

export interface ServerSpanRequest {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Opens the server span of an incoming request (continuing the caller's trace when it sends `traceparent`) and runs
 * `next` inside it; `end` closes it with the route template (never the path: it carries dossier codes) and status.
 * Without tracing, `next` runs as it is and no span exists.
 */
export function runInServerSpan(
  request: ServerSpanRequest,
  next: () => void,
): { span?: Span; end: (route: string | undefined, status: number) => void } {
  if (!started) {
    next();
    return { end: () => undefined };
  }
  const parent = propagation.extract(context.active(), request.headers);
  const method = request.method ?? 'GET';
  const span = trace
    .getTracer('dossier-engine-api')
    .startSpan(method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': method } }, parent);
  context.with(trace.setSpan(parent, span), next);
  return {
    span,
    end: (route, status) => {
      span.updateName(route ? `${method} ${route}` : method);
      if (route) {
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}

/** The W3C trace context of the active span, to carry across a queue (an outbox row); empty without tracing. */
export function traceCarrier(): { traceparent?: string; tracestate?: string } {
  const carrier: { traceparent?: string; tracestate?: string } = {};
  if (started) {
    propagation.inject(context.active(), carrier);
  }
  return carrier;
}

/** Runs `work` in the trace a carrier brought (what it starts becomes part of that trace); as it is without one. */
export function continueTrace<T>(carrier: { traceparent?: unknown; tracestate?: unknown }, work: () => T): T {
  if (!started || typeof carrier.traceparent !== 'string') {
    return work();
  }
  return context.with(propagation.extract(ROOT_CONTEXT, carrier), work);
}
