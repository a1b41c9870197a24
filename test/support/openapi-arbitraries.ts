import fc from 'fast-check';
import {
  type OpenApiDocument,
  type Operation,
  type ParameterObject,
  resolve,
  type SchemaObject,
} from './openapi-schema';

/**
 * fast-check arbitraries of requests built from an operation's OpenAPI description: valid requests (each parameter and
 * body field drawn from its schema, its example, or a known-good value the test supplies), and invalid ones (one
 * parameter or one node of the body replaced by junk, removed, or joined by an unknown field; a body that is not
 * JSON or not an object; a required parameter left out).
 */

/**
 * Known-good values by parameter or property name (the schemas carry no patterns: a real unit code reaches deeper);
 * `$body` names a whole request body.
 */
export type Hints = (name: string, operation: Operation) => fc.Arbitrary<unknown> | undefined;

/** One request as sent: the URL path with its query, headers, and the raw body text. */
export interface GeneratedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** How it was made: `valid`, or the mutation that should make it invalid. */
  made: string;
}

const MAX_DEPTH = 6;

/** Values of the wrong kind, edge values and strings that break naive parsers. */
const JUNK: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    2_147_483_648,
    -2_147_483_649,
    2 ** 53,
    '9007199254740993',
    1e21,
    '99999999999999999999',
    '',
    ' ',
    'null',
    'undefined',
    '0',
    '-1',
    'NaN',
    'Infinity',
    '1e309',
    'true',
    '[]',
    '{}',
    'x'.repeat(5000),
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udc00',
    '%',
    '%zz',
    "' OR 1=1 --",
    '2026-02-30',
    '2026-13-01',
    '2026-01-01T25:61:00Z',
    '9999-12-31',
    '0000-00-00',
    '25:61',
    '000.00.00.H36',
    '000.00.20.H36-260316-0007',
    [],
    {},
    [null],
    [[]],
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A body that is not what any operation takes: not JSON, truncated, deeply nested, an object with a poisoned key. */
const JUNK_BODY_TEXT = fc.constantFrom(
  '{',
  'not json',
  '{"a":1}{',
  '[1,2',
  '"text"',
  '42',
  'null',
  '[]',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  `${'['.repeat(3000)}${']'.repeat(3000)}`,
);

/** The schema with its `allOf` parts merged into one (Nest emits `allOf: [{$ref}]` for described references). */
function merged(doc: OpenApiDocument, schema: SchemaObject): SchemaObject {
  const s = resolve(doc, schema);
  if (!s.allOf) {
    return s;
  }
  const out: SchemaObject = { ...s, allOf: undefined };
  for (const part of s.allOf.map((p) => merged(doc, p))) {
    out.type ??= part.type;
    out.enum ??= part.enum;
    out.example ??= part.example;
    out.properties = { ...part.properties, ...out.properties };
    out.required = [...(out.required ?? []), ...(part.required ?? [])];
    out.items ??= part.items;
  }
  return out;
}

const ISO_RANGE = { min: new Date('2019-01-01T00:00:00Z'), max: new Date('2031-12-31T00:00:00Z'), noInvalidDate: true };

function typedValue(
  doc: OpenApiDocument,
  s: SchemaObject,
  hints: (name: string) => fc.Arbitrary<unknown> | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  if (s.enum) {
    return fc.constantFrom(...s.enum);
  }
  if (s.oneOf || s.anyOf) {
    return fc.oneof(...(s.oneOf ?? s.anyOf ?? []).map((alt) => validValue(doc, alt, hints, depth + 1)));
  }
  switch (s.type ?? (s.properties ? 'object' : undefined)) {
    case 'string':
      if (s.format === 'date-time') {
        return fc.date(ISO_RANGE).map((d) => d.toISOString());
      }
      if (s.format === 'date') {
        return fc.date(ISO_RANGE).map((d) => d.toISOString().slice(0, 10));
      }
      if (s.format === 'uuid') {
        return fc.uuid();
      }
      if (s.format === 'email') {
        return fc.emailAddress();
      }
      return fc.oneof(
        ...(['grapheme-ascii', 'grapheme'] as const).map((unit) =>
          fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 200), unit }),
        ),
      );
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 100_000 });
    case 'number':
      return fc.oneof(
        fc.integer({ min: Math.ceil(s.minimum ?? -1000), max: Math.floor(s.maximum ?? 100_000) }),
        fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = s.minItems ?? 0;
      return fc.array(s.items ? validValue(doc, s.items, hints, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
        minLength,
        maxLength: Math.max(minLength, Math.min(s.maxItems ?? 3, 3)),
      });
    }
    case 'object': {
      if (depth > MAX_DEPTH) {
        return fc.constant({});
      }
      if (!s.properties) {
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      }
      const model = Object.fromEntries(
        Object.entries(s.properties).map(([name, p]) => [name, validValue(doc, p, hints, depth + 1, name)]),
      );
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((r) => r in model) });
    }
    case undefined:
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * A value matching `schema`: drawn from its type and bounds, its example, or the hint for its name (a known-good
 * value: the schemas say `string` where the API wants a real unit code).
 */
export function validValue(
  doc: OpenApiDocument,
  schema: SchemaObject,
  hints: (name: string) => fc.Arbitrary<unknown> | undefined = () => undefined,
  depth = 0,
  name?: string,
): fc.Arbitrary<unknown> {
  const s = merged(doc, schema);
  const choices: fc.WeightedArbitrary<unknown>[] = [{ arbitrary: typedValue(doc, s, hints, depth), weight: 2 }];
  if (s.example !== undefined) {
    choices.push({ arbitrary: fc.constant(s.example), weight: 2 });
  }
  const hinted = name ? hints(name) : undefined;
  if (hinted) {
    choices.push({ arbitrary: hinted, weight: 5 });
  }
  if (s.nullable) {
    choices.push({ arbitrary: fc.constant(null), weight: 1 });
  }
  return choices.length === 1 ? choices[0].arbitrary : fc.oneof(...choices);
}

type JsonPath = (string | number)[];

/** Every node of a JSON value, the root first. */
function nodesOf(value: unknown, at: JsonPath = []): JsonPath[] {
  if (Array.isArray(value)) {
    return [at, ...value.flatMap((v, i) => nodesOf(v, [...at, i]))];
  }
  if (value !== null && typeof value === 'object') {
    return [at, ...Object.entries(value).flatMap(([k, v]) => nodesOf(v, [...at, k]))];
  }
  return [at];
}

/** A copy of `value` with the node at `path` replaced (or removed when `replacement` is REMOVE). */
const REMOVE = Symbol('remove');
function replaced(value: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) {
    return replacement === REMOVE ? undefined : replacement;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === REMOVE) {
      copy.splice(head as number, 1);
    } else {
      copy[head as number] = replaced(copy[head as number], rest, replacement);
    }
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === REMOVE) {
    delete copy[head as string];
  } else {
    copy[head as string] = replaced(copy[head as string], rest, replacement);
  }
  return copy;
}

const show = (path: JsonPath): string => `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;

/** One node of a valid body broken: replaced by junk, removed, or given an unknown field. */
function brokenBody(body: unknown): fc.Arbitrary<{ body: unknown; made: string }> {
  const paths = nodesOf(body);
  return fc
    .tuple(
      fc.constantFrom(...paths),
      fc.constantFrom('replace', 'remove', 'add'),
      JUNK,
      fc.string({ minLength: 1, maxLength: 12 }),
    )
    .map(([path, kind, junk, key]) => {
      if (kind === 'remove' && path.length > 0) {
        return { body: replaced(body, path, REMOVE), made: `body ${show(path)} removed` };
      }
      if (kind === 'add') {
        const target = path.reduce<unknown>((v, p) => (v as Record<string | number, unknown>)[p], body);
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
          return {
            body: replaced(body, path, { ...target, [key]: junk }),
            made: `body ${show(path)} given an unknown field ${JSON.stringify(key)}`,
          };
        }
      }
      return { body: replaced(body, path, junk), made: `body ${show(path)} replaced by junk` };
    });
}

/** A parameter's value as the URL or a header carries it. */
function serialise(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** A path segment that routes to this operation: never empty, never a dot segment the URL parser would resolve. */
function pathSegment(value: unknown): string {
  // A URL carries UTF-8: an unpaired surrogate cannot be in one (URLSearchParams does the same for the query).
  const text = serialise(value).replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
  if (text === '' || /^\.{1,2}$/.test(text)) {
    return `${encodeURIComponent(text)}%20`;
  }
  return encodeURIComponent(text);
}

/** Header values are Latin-1 without line breaks (fetch refuses the rest before anything is sent). */
const headerValue = (value: unknown): string =>
  serialise(value)
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();

interface Parts {
  params: { param: ParameterObject; value?: unknown }[];
  body?: { json: unknown } | { text: string; type: string };
  accept?: string;
  made: string;
}

function toRequest(operation: Operation, parts: Parts): GeneratedRequest {
  let path = operation.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const { param, value } of parts.params) {
    if (value === undefined) {
      continue;
    }
    if (param.in === 'path') {
      path = path.replace(`{${param.name}}`, pathSegment(value));
    } else if (param.in === 'query') {
      (Array.isArray(value) ? value : [value]).forEach((v) => query.append(param.name, serialise(v)));
    } else if (param.in === 'header') {
      headers[param.name] = headerValue(value);
    }
  }
  // A path parameter left out still needs a segment for the route to be this one.
  path = path.replace(/\{[^}]+\}/g, '%20');
  if (parts.accept) {
    headers.accept = parts.accept;
  }
  let body: string | undefined;
  if (parts.body && 'json' in parts.body) {
    body = JSON.stringify(parts.body.json);
    headers['content-type'] = 'application/json';
  } else if (parts.body) {
    body = parts.body.text;
    headers['content-type'] = parts.body.type;
  }
  const search = query.toString();
  return { method: operation.method, url: search ? `${path}?${search}` : path, headers, body, made: parts.made };
}

/** The media types a success may come back as (JSON, PDF, CSV…): the Accept header picks one. */
function acceptable(operation: Operation): fc.Arbitrary<string | undefined> {
  const types = Object.entries(operation.responses)
    .filter(([status]) => status.startsWith('2'))
    .flatMap(([, content]) => Object.keys(content));
  return types.length > 1 ? fc.option(fc.constantFrom(...types), { nil: undefined }) : fc.constant(undefined);
}

function validParts(doc: OpenApiDocument, operation: Operation, hints: Hints): fc.Arbitrary<Parts> {
  const byName = (name: string) => hints(name, operation);
  const params = fc.tuple(
    ...operation.parameters.map((param) => {
      const value = param.schema
        ? validValue(doc, param.schema, byName, 0, param.name)
        : fc.string({ minLength: 1, maxLength: 20 });
      return (param.required ? value : fc.option(value, { nil: undefined, freq: 2 })).map((v) => ({ param, value: v }));
    }),
  );
  const body = operation.body
    ? validValue(doc, operation.body.schema, byName, 0, '$body').map((json) => ({ json }))
    : fc.constant(undefined);
  return fc
    .tuple(params, body, acceptable(operation))
    .map(([p, b, accept]) => ({ params: p, body: b, accept, made: 'valid' }));
}

function invalidParts(doc: OpenApiDocument, operation: Operation, hints: Hints): fc.Arbitrary<Parts> {
  return validParts(doc, operation, hints).chain((valid) => {
    const mutations: fc.Arbitrary<Parts>[] = [];
    if (valid.params.length > 0) {
      mutations.push(
        fc.tuple(fc.nat({ max: valid.params.length - 1 }), JUNK).map(([i, junk]) => ({
          ...valid,
          params: valid.params.map((p, j) => (j === i ? { ...p, value: junk } : p)),
          made: `${valid.params[i].param.in} parameter ${valid.params[i].param.name} = junk`,
        })),
      );
    }
    const required = valid.params.filter((p) => p.param.required && p.param.in !== 'path');
    if (required.length > 0) {
      mutations.push(
        fc.constantFrom(...required).map((left) => ({
          ...valid,
          params: valid.params.filter((p) => p !== left),
          made: `required ${left.param.in} parameter ${left.param.name} left out`,
        })),
      );
    }
    if (operation.method !== 'GET') {
      mutations.push(
        fc.constant({ ...valid, body: undefined, made: 'no body' }),
        JUNK_BODY_TEXT.map((text) => ({
          ...valid,
          body: { text, type: 'application/json' },
          made: 'a body that is not the JSON it should be',
        })),
        fc.constant({ ...valid, body: { text: 'pin=1&code=2', type: 'text/plain' }, made: 'a text/plain body' }),
        JUNK.map((json) => ({ ...valid, body: { json }, made: 'junk in place of the body' })),
      );
    }
    if (valid.body && 'json' in valid.body) {
      mutations.push(brokenBody(valid.body.json).map(({ body, made }) => ({ ...valid, body: { json: body }, made })));
    }
    return mutations.length > 0 ? fc.oneof(...mutations) : fc.constant(valid);
  });
}

/** Requests for an operation: about half valid, half broken in one place. */
export function requestArbitrary(
  doc: OpenApiDocument,
  operation: Operation,
  hints: Hints,
): fc.Arbitrary<GeneratedRequest> {
  return fc
    .oneof(validParts(doc, operation, hints), invalidParts(doc, operation, hints))
    .map((parts) => toRequest(operation, parts));
}
