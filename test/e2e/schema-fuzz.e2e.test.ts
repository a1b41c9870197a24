import fc from 'fast-check';
import { signedHeaders } from '../../apps/api/src/handoffs/handoff-signature';
import { DEMO_OFFICERS, DEMO_UNITS, loadSeedCatalog } from '../../libs/persistence/src';
import { type GeneratedRequest, type Hints, requestArbitrary } from '../support/openapi-arbitraries';
import { type OpenApiDocument, type Operation, operationsOf, schemaErrors } from '../support/openapi-schema';
import { eventually } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

/**
 * Every operation of the served OpenAPI document, sent generated requests (valid ones from its schemas, and ones
 * broken in one place) as an admin, with no token on public routes and signed as a partner on the hand-off routes:
 * no answer is a 5xx, every 4xx is problem+json, every 2xx matches the schema the document declares for it.
 * FUZZ_RUNS (default 20) requests per operation; FUZZ_SEED replays a run; FUZZ_ONLY (a regular expression on
 * `METHOD /path`) narrows it to some operations; FUZZ_STATS=1 prints the statuses each operation answered (how deep
 * the generated requests reach).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const ONLY = new RegExp(process.env.FUZZ_ONLY ?? '');
/** A partner system: its key to us signs what the fuzzer sends in its name; ours to it is never used here. */
const PARTNER = {
  id: 'fuzz-partner',
  inboundKey: 'fuzz-partner-to-us-key-0123456789abcdef',
  outboundKey: 'fuzz-us-to-partner-key-0123456789abcdef',
};

const INTAKE = {
  procedureCode: '2.000908',
  receivingUnitCode: '000.00.20.H36',
  channel: 'IN_PERSON',
  applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
  documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
};

/** Who sends each operation's requests: an admin, except where only another role gets past the role check. */
const CALLERS: Record<string, string> = { 'POST /api/v1/dossiers': 'clerk' };

interface Reply {
  status: number;
  media: string;
  text: string;
}

describe('schema fuzzing of the served OpenAPI document (e2e)', () => {
  let product: RunningProduct;
  let doc: OpenApiDocument;
  const tokens = new Map<string, string>();
  let dossier: { code: string; pin: string };

  beforeAll(async () => {
    product = await startProduct({
      overrides: {
        // A partner whose hand-offs the fuzzer signs, so their bodies reach validation; it serves the police.
        PARTNER_SYSTEMS: JSON.stringify([
          {
            id: PARTNER.id,
            url: 'http://127.0.0.1:9',
            outboundKey: PARTNER.outboundKey,
            inboundKeys: [PARTNER.inboundKey],
            agencies: ['000.00.05.H36'],
          },
        ]),
        // The lookup's brute-force limits would answer 429 to most of the fuzzer's lookups.
        PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE: '1000000',
        PUBLIC_LOOKUPS_PER_DOSSIER_PER_HOUR: '1000000',
        // Thousands of refusals are the point here; a 500 is still logged with its stack.
        LOG_LEVEL: 'error',
      },
    });
    for (const username of ['admin', ...Object.values(CALLERS)]) {
      tokens.set(username, await product.token(username));
    }
    const docs = await fetch(`${product.baseUrl}/api/docs-json`, {
      headers: { authorization: `Bearer ${tokens.get('admin')}` },
    });
    expect(docs.status).toBe(200);
    doc = (await docs.json()) as OpenApiDocument;
    const clerk = await product.token('clerk');
    const received = await product.request('POST', '/api/v1/dossiers', { token: clerk, body: INTAKE });
    expect(received.status).toBe(201);
    dossier = { code: received.body.code, pin: received.body.lookupPin };
    await eventually(
      async () =>
        (await product.request('GET', `/api/v1/dossiers/${dossier.code}`, { token: clerk })).body.state ===
        'IN_PROGRESS'
          ? true
          : undefined,
      'the workflow to start',
    );
  });

  afterAll(async () => {
    await product?.stop();
  });

  /** Real values where the schemas only say `string`: without them almost every request stops at validation. */
  const hints: Hints = (name, operation) => {
    const units = fc.constantFrom(...DEMO_UNITS.map((u) => u.code));
    const procedures = fc.constantFrom(...loadSeedCatalog().map((p) => p.code));
    const day = fc.date({ min: new Date('2024-01-01'), max: new Date('2027-12-31'), noInvalidDate: true });
    // Well-formed but impossible or extreme days and instants: the schemas cannot say YYYY-MM-DD must be a real day.
    const oddDay = fc.constantFrom('2026-02-30', '2026-13-01', '2026-00-10', '0000-01-01', '9999-12-31', '2028-02-29');
    const oddInstant = fc.constantFrom(
      '2026-02-30T10:00:00+07:00',
      '+275760-09-13T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59+14:00',
    );
    switch (name) {
      case 'code':
        return /\/dossiers\/\{code\}/.test(operation.path)
          ? fc.constant(dossier.code)
          : operation.path.includes('/units/')
            ? units
            : procedures;
      case 'unit':
      case 'receivingUnitCode':
      case 'resolvingAgency':
      case 'agency':
        return units;
      case 'scope':
        return fc.oneof(fc.constantFrom('VN', 'H36'), units);
      case 'year':
        return fc.integer({ min: 2024, max: 2028 });
      case 'procedure':
      case 'procedureCode':
        return procedures;
      case 'from':
      case 'to':
      case 'since':
        return fc.oneof(
          { arbitrary: day.map((d) => d.toISOString().slice(0, 10)), weight: 3 },
          { arbitrary: day.map((d) => d.toISOString()), weight: 3 },
          oddDay,
          oddInstant,
        );
      case 'receivedFrom':
      case 'receivedTo':
      case 'on':
      case 'date':
      case 'effectiveFrom':
        return fc.oneof({ arbitrary: day.map((d) => d.toISOString().slice(0, 10)), weight: 4 }, oddDay);
      case 'reportedAt':
      case 'at':
      case 'handedOverAt':
      case 'dueAt':
      case 'receivedAt':
        return fc.oneof({ arbitrary: day.map((d) => d.toISOString()), weight: 4 }, oddInstant);
      case 'pin':
        return fc.oneof(fc.constant(dossier.pin), fc.stringMatching(/^\d{6}$/));
      case 'username':
      case 'assignee':
        return fc.constantFrom(...DEMO_OFFICERS.map((o) => o.username));
      case 'assignedTo':
        return fc.constant('me');
      case 'idNumber':
        return fc.stringMatching(/^0\d{11}$/);
      case 'caseCode':
        return fc.constant('default');
      case 'documents':
        return fc.constant(INTAKE.documents);
      case 'limit':
        return fc.integer({ min: 1, max: 100 });
      case 'id':
        return fc.oneof(fc.nat({ max: 50 }), fc.uuid());
      case '$body':
        return operation.key === 'POST /api/v1/dossiers'
          ? fc.constant(INTAKE)
          : operation.key === 'POST /api/v1/procedures'
            ? fc
                .tuple(fc.constantFrom(...loadSeedCatalog()), fc.integer({ min: 0, max: 999_999 }))
                .map(([p, n]) => ({ ...p, code: `9.${String(n).padStart(6, '0')}`, localCode: undefined }))
            : undefined;
      default:
        return undefined;
    }
  };

  /** The request as the product receives it: an officer's token, or a partner's signature on the hand-off routes. */
  const authorised = (operation: Operation, request: GeneratedRequest): GeneratedRequest => {
    if (operation.path.startsWith('/api/v1/handoffs')) {
      return {
        ...request,
        headers: {
          ...request.headers,
          ...signedHeaders(PARTNER.inboundKey, {
            method: request.method,
            path: request.url.startsWith('/')
              ? request.url
              : new URL(request.url).pathname + new URL(request.url).search,
            sender: PARTNER.id,
            recipient: product.config.HANDOFF_SYSTEM_ID,
            body: request.body ?? '',
          }),
        },
      };
    }
    return operation.secured
      ? {
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${tokens.get(CALLERS[operation.key] ?? 'admin')}` },
        }
      : request;
  };

  const send = async (request: GeneratedRequest, attempt = 1): Promise<Reply> => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 20_000);
    try {
      const res = await fetch(`${product.baseUrl}${request.url}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: abort.signal,
      });
      const media = (res.headers.get('content-type') ?? '').split(';')[0].trim();
      if (media === 'text/event-stream') {
        abort.abort();
        return { status: res.status, media, text: '' };
      }
      return { status: res.status, media, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
    } catch (e) {
      // (Errors from undici come from another realm than Jest's: read them by shape, not by instanceof.)
      const { message, cause } = e as { message?: string; cause?: { message?: string; code?: string } };
      // A kept-alive connection the server closed while this process was busy generating (a slow, shared machine)
      // is reset on reuse before the request is read: sent again once, on a new connection. Twice is no answer.
      if (cause?.code === 'ECONNRESET' && attempt === 1) {
        return send(request, 2);
      }
      throw new Error(`no answer (${message}${cause ? `: ${cause.code ?? ''} ${cause.message ?? ''}` : ''})`);
    } finally {
      clearTimeout(timer);
    }
  };

  const json = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return Symbol('not JSON');
    }
  };

  /** What is wrong with an answer: a 5xx, a 4xx that is not problem+json, a 2xx its declared schema does not fit. */
  const wrongWith = (operation: Operation, reply: Reply): string[] => {
    const excerpt = reply.text.slice(0, 300);
    if (reply.status >= 500) {
      return [`answered ${reply.status}: ${excerpt}`];
    }
    if (reply.status >= 400) {
      if (reply.media !== 'application/problem+json') {
        return [`answered ${reply.status} as ${reply.media || 'no content type'}, not problem+json: ${excerpt}`];
      }
      const problem = json(reply.text);
      const errors = schemaErrors(doc, { $ref: '#/components/schemas/ProblemDetails' }, problem);
      if ((problem as { status?: number }).status !== reply.status) {
        errors.push(`the problem's status is not ${reply.status}`);
      }
      return errors.map((e) => `${reply.status} problem: ${e}`);
    }
    const declared = operation.responses[String(reply.status)];
    if (reply.status < 200 || reply.status >= 300 || !declared) {
      return [`answered ${reply.status}, which the document does not declare: ${excerpt}`];
    }
    const types = Object.keys(declared);
    if (types.length === 0) {
      return reply.text === '' ? [] : [`answered ${reply.status} with a body where none is declared`];
    }
    if (!types.includes(reply.media)) {
      return [`answered ${reply.status} as ${reply.media}, not one of ${types.join(', ')}`];
    }
    const schema = declared[reply.media];
    if (!reply.media.endsWith('json') || !schema) {
      return [];
    }
    return schemaErrors(doc, schema, json(reply.text)).map((e) => `${reply.status} body: ${e}`);
  };

  it(`answers ${RUNS} generated requests per operation with no 5xx, problem+json 4xx and 2xx that fit their schema`, async () => {
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(40);
    const failures: string[] = [];
    const statuses = new Map<string, Map<number, number>>();
    for (const operation of operations.filter((o) => ONLY.test(o.key))) {
      const seen = new Map<number, number>();
      statuses.set(operation.key, seen);
      const property = fc.asyncProperty(requestArbitrary(doc, operation, hints), async (request) => {
        const reply = await send(authorised(operation, request));
        seen.set(reply.status, (seen.get(reply.status) ?? 0) + 1);
        const wrong = wrongWith(operation, reply);
        if (wrong.length > 0) {
          throw new Error(wrong.slice(0, 5).join('\n'));
        }
      });
      const run = await fc.check(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
      if (run.failed) {
        const request = run.counterexample?.[0];
        failures.push(
          `${operation.key} (seed ${SEED}): ${request?.method} ${request?.url} [${request?.made}] ` +
            `${request?.body?.slice(0, 2000) ?? ''}\n  ${String((run.errorInstance as Error)?.message ?? run.errorInstance)}`,
        );
      }
    }
    if (process.env.FUZZ_STATS) {
      const lines = [...statuses].map(
        ([key, seen]) =>
          `${key.padEnd(60)} ${[...seen]
            .sort()
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
