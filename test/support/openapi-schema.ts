/**
 * The OpenAPI 3.0 document the API serves, read as the tests need it: its operations, and a validator of a value
 * against one of its schemas (the subset Nest's Swagger module emits: $ref, allOf/oneOf/anyOf, nullable, enum, types,
 * required and properties, items, lengths and bounds). Small on purpose: no dependency, errors that name the path.
 */

export interface SchemaObject {
  $ref?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  example?: unknown;
  default?: unknown;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

interface MediaObject {
  schema?: SchemaObject;
}

interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, MediaObject> };
  responses: Record<string, { content?: Record<string, MediaObject> }>;
  security?: unknown[];
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

/** One operation of the document: `GET /api/v1/dossiers/{code}`. */
export interface Operation {
  /** `GET /api/v1/dossiers/{code}`: how the tests name a route. */
  key: string;
  method: string;
  path: string;
  operationId: string;
  parameters: ParameterObject[];
  body?: { required: boolean; schema: SchemaObject };
  /** Declared responses by status: each media type's schema (an empty map when the response has no body). */
  responses: Record<string, Record<string, SchemaObject | undefined>>;
  /** Declares bearer security (an officer's token); public and partner-signed routes declare none. */
  secured: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => {
        const json = op.requestBody?.content['application/json']?.schema;
        return {
          key: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          operationId: op.operationId ?? `${method} ${path}`,
          parameters: op.parameters ?? [],
          body: json ? { required: op.requestBody?.required === true, schema: json } : undefined,
          responses: Object.fromEntries(
            Object.entries(op.responses).map(([status, r]) => [
              status,
              Object.fromEntries(Object.entries(r.content ?? {}).map(([type, media]) => [type, media.schema])),
            ]),
          ),
          secured: (op.security ?? []).length > 0,
        };
      }),
  );
}

/** The schema a `$ref` names (`#/components/schemas/X`), followed until it is not a reference. */
export function resolve(doc: OpenApiDocument, schema: SchemaObject): SchemaObject {
  let current = schema;
  for (let hops = 0; current.$ref; hops += 1) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(current.$ref)?.[1];
    const target = name ? doc.components?.schemas?.[name] : undefined;
    if (!target || hops > 32) {
      throw new Error(`unresolvable schema reference ${current.$ref}`);
    }
    current = target;
  }
  return current;
}

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value;

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Why `value` does not match `schema` (empty when it does), each reason naming its JSON path from `at`. */
export function schemaErrors(doc: OpenApiDocument, schema: SchemaObject, value: unknown, at = '$'): string[] {
  const s = resolve(doc, schema);
  if (value === null) {
    const constrained = s.type !== undefined || s.allOf || s.oneOf || s.anyOf || s.enum || s.properties;
    return s.nullable || !constrained ? [] : [`${at}: null, but the schema is not nullable`];
  }
  const errors: string[] = [];
  for (const part of s.allOf ?? []) {
    errors.push(...schemaErrors(doc, part, value, at));
  }
  for (const [kind, alternatives] of [
    ['oneOf', s.oneOf],
    ['anyOf', s.anyOf],
  ] as const) {
    if (alternatives && !alternatives.some((alt) => schemaErrors(doc, alt, value, at).length === 0)) {
      errors.push(`${at}: ${show(value)} matches none of the ${kind} alternatives`);
    }
  }
  if (s.enum && !s.enum.some((e) => e === value)) {
    errors.push(`${at}: ${show(value)} is not one of ${s.enum.map((e) => show(e)).join(', ')}`);
  }
  const actual = typeOf(value);
  if (s.type === 'integer' && (actual !== 'number' || !Number.isInteger(value))) {
    return [...errors, `${at}: ${show(value)} is not an integer`];
  }
  if (s.type !== undefined && s.type !== 'integer' && actual !== s.type) {
    return [...errors, `${at}: ${actual} ${show(value)} where ${s.type} is declared`];
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) {
      errors.push(`${at}: ${value} is below the minimum ${s.minimum}`);
    }
    if (s.maximum !== undefined && value > s.maximum) {
      errors.push(`${at}: ${value} is above the maximum ${s.maximum}`);
    }
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) {
      errors.push(`${at}: shorter than ${s.minLength} characters`);
    }
    if (s.maxLength !== undefined && value.length > s.maxLength) {
      errors.push(`${at}: longer than ${s.maxLength} characters`);
    }
    if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) {
      errors.push(`${at}: ${show(value)} is not a date-time`);
    }
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) {
      errors.push(`${at}: fewer than ${s.minItems} items`);
    }
    if (s.maxItems !== undefined && value.length > s.maxItems) {
      errors.push(`${at}: more than ${s.maxItems} items`);
    }
    if (s.items) {
      value.forEach((item, i) => errors.push(...schemaErrors(doc, s.items as SchemaObject, item, `${at}[${i}]`)));
    }
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of s.required ?? []) {
      if (!(name in object)) {
        errors.push(`${at}.${name}: required but missing`);
      }
    }
    for (const [name, v] of Object.entries(object)) {
      const declared = s.properties?.[name];
      if (declared) {
        errors.push(...schemaErrors(doc, declared, v, `${at}.${name}`));
      } else if (s.additionalProperties === false) {
        errors.push(`${at}.${name}: not a declared property`);
      } else if (typeof s.additionalProperties === 'object') {
        errors.push(...schemaErrors(doc, s.additionalProperties, v, `${at}.${name}`));
      }
    }
  }
  return errors;
}
