import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { EXAMPLE_A_WALK } from '../support/dossier-fixtures';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
}

/** OTLP/HTTP JSON as the exporter sends it (only what the test reads). */
interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: Omit<ReceivedSpan, 'service'>[] }[];
  }[];
}

/** A collector on loopback: takes OTLP/HTTP JSON at /v1/traces and keeps the spans. */
async function startCollector(): Promise<{ server: Server; url: string; spans: ReceivedSpan[] }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces' && /json/.test(req.headers['content-type'] ?? '')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces;
        for (const rs of body.resourceSpans) {
          const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans) {
            spans.push(...ss.spans.map((s) => ({ ...s, service })));
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(415).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans };
}

const SERVER_SPAN = 2;

/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, one request is one trace from the API through Temporal into the activities,
 * sent to the collector over OTLP/HTTP; and the API's log line of that request carries its trace ID.
 */
describe('traces from the API through Temporal into the activities (e2e)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let product: RunningProduct;

  beforeAll(async () => {
    collector = await startCollector();
    product = await startProduct({ overrides: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url } });
  });

  afterAll(async () => {
    await product?.stop();
    await new Promise((resolve) => collector?.server.close(resolve));
  });

  const spansOf = (traceId: string) => collector.spans.filter((s) => s.traceId === traceId);
  const serverSpan = (name: string) =>
    eventually(
      () => Promise.resolve(collector.spans.find((s) => s.kind === SERVER_SPAN && s.name === name)),
      `the server span ${name} at the collector`,
    );
  /** Waits until the trace has spans with all these names (prefixes before ':'), and returns them. */
  const traceWith = (traceId: string, names: string[]) =>
    eventually(
      () => {
        const spans = spansOf(traceId);
        const all = names.every((n) => spans.some((s) => s.name === n || s.name.startsWith(`${n}:`)));
        return Promise.resolve(all ? spans : undefined);
      },
      `the trace to hold ${names.join(', ')}`,
    );

  it('follows an intake from its request through the relay’s workflow start into the workflow’s activities', async () => {
    const clerk = await product.token('clerk');
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    expect(received.status).toBe(201);
    const request = await serverSpan('POST /api/v1/dossiers');
    // The workflow makes no spans (workflows/trace-propagation.interceptors.ts): its activities are the start's children.
    const spans = await traceWith(request.traceId, ['StartWorkflow', 'RunActivity']);
    const start = spans.find((s) => s.name === 'StartWorkflow:dossierWorkflow');
    expect(start?.parentSpanId).toBe(request.spanId);
    expect(spans.find((s) => s.name === 'RunActivity:persistTransition')?.parentSpanId).toBe(start?.spanId);
    // The request span is named by its route: the dossier's code is in no span name.
    expect(spans.map((s) => s.name).join(' ')).not.toContain(received.body.code);
  });

  it('follows an officer action from its request through the Update into the activity that records it', async () => {
    const clerk = await product.token('clerk');
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: clerk,
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    const code: string = received.body.code;
    await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: clerk });
      return res.body.currentStep?.code === 'S01' ? true : undefined;
    }, 'the workflow to take the dossier into processing');
    const [who, action, body] = EXAMPLE_A_WALK[0];
    expect(who).toBe('clerk');
    const done = await product.request('POST', `/api/v1/dossiers/${code}/actions/${action}`, { token: clerk, body });
    expect(done.status).toBe(200);

    const request = await serverSpan('POST /api/v1/dossiers/:code/actions/complete');
    const spans = await traceWith(request.traceId, ['StartWorkflowUpdate', 'RunActivity']);
    const update = spans.find((s) => s.name === 'StartWorkflowUpdate:action');
    expect(update?.parentSpanId).toBe(request.spanId);
    // The Update's handler recorded the transition through an activity, in the same trace.
    expect(spans.find((s) => s.name === 'RunActivity:persistTransition')?.parentSpanId).toBe(update?.spanId);
  });

  it('continues the caller’s trace when the request carries a traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await product.request('GET', '/api/v1/health/live', {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(200);
    const span = await serverSpan('GET /api/v1/health/live');
    expect({ traceId: span.traceId, parentSpanId: span.parentSpanId }).toEqual({
      traceId,
      parentSpanId: '00f067aa0ba902b7',
    });
  });

  it('writes the trace and span IDs of the request’s span into its request log line', async () => {
    // An API alone at info level: everything it logs goes to `lines` (the worker's logs would go to stdout).
    const lines: string[] = [];
    const api = await startProduct({
      worker: false,
      overrides: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, LOG_LEVEL: 'info' },
      logs: { write: (line: string) => void lines.push(line) },
    });
    try {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const res = await api.request('POST', '/api/v1/auth/token', {
        body: { username: 'clerk' },
        headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      });
      expect(res.status).toBe(200);
      const span = await eventually(
        () =>
          Promise.resolve(collector.spans.find((s) => s.traceId === traceId && s.name === 'POST /api/v1/auth/token')),
        'the request span at the collector',
      );
      const line = lines
        .map((l) => JSON.parse(l) as { msg?: string; req?: { url?: string }; trace_id?: string; span_id?: string })
        .find((l) => l.msg === 'request completed' && l.req?.url === '/api/v1/auth/token');
      expect({ trace_id: line?.trace_id, span_id: line?.span_id }).toEqual({ trace_id: traceId, span_id: span.spanId });
    } finally {
      await api.stop();
    }
  });
});
