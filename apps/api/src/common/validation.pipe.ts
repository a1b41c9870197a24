import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainErrorCode, DomainException, type FieldError } from '../../../../libs/domain/src';

/**
 * The largest number a PostgreSQL integer (OFFSET, version numbers) takes: 1e308 passes @IsInt() and failed in the
 * database as a 500; a @Max() of this answers 422 instead.
 */
export const MAX_SQL_INTEGER = 2_147_483_647;

/** Deeper than any request body the API takes (a procedure definition nests about eight levels). */
export const MAX_BODY_DEPTH = 32;

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return own.concat(flatten(e.children ?? [], field));
  });
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text PostgreSQL refuses (text columns take no NUL; jsonb no unpaired surrogate): a 500 when it reached a query. */
const isUnstorable = (text: string): boolean => text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);

const joinPath = (at: string, key: string | number): string =>
  typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key;

/**
 * How deep a parsed value nests, and the first text in it PostgreSQL cannot store, by its field path. Walked without
 * recursion: the value may nest thousands of levels.
 */
function inspect(value: unknown, root: string): { depth: number; unstorable?: string } {
  let depth = 0;
  const stack: [unknown, string, number][] = [[value, root, 1]];
  while (stack.length > 0) {
    const [node, at, level] = stack.pop() as [unknown, string, number];
    if (typeof node === 'string' && isUnstorable(node)) {
      return { depth, unstorable: at || 'body' };
    }
    if (node !== null && typeof node === 'object') {
      depth = Math.max(depth, level);
      if (depth > MAX_BODY_DEPTH) {
        return { depth };
      }
      const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
      entries.forEach(([key, child]) => stack.push([child, joinPath(at, key), level + 1]));
    }
  }
  return { depth };
}

/**
 * What every request input must be before class-transformer walks it and a query sends it: a body is a JSON object of
 * bounded depth (an array nested thousands deep overflowed the transformer's stack), and no text anywhere holds a NUL
 * or an unpaired surrogate (PostgreSQL refused them). Each is a 422 naming the field and the rule.
 */
function checkInput(value: unknown, metadata: ArgumentMetadata): void {
  const wholeBody = metadata.type === 'body' && metadata.data === undefined;
  if (value === undefined || (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param')) {
    return;
  }
  if (wholeBody && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw new DomainException(DomainErrorCode.VALIDATION_FAILED, 'The request body must be a JSON object.', [
      { field: 'body', message: `must be a JSON object, not ${Array.isArray(value) ? 'an array' : typeof value}` },
    ]);
  }
  const { depth, unstorable } = inspect(value, metadata.data ?? '');
  if (depth > MAX_BODY_DEPTH) {
    throw new DomainException(
      DomainErrorCode.VALIDATION_FAILED,
      `The request ${metadata.type} nests deeper than ${MAX_BODY_DEPTH} levels.`,
      [{ field: metadata.data ?? metadata.type, message: `must not nest deeper than ${MAX_BODY_DEPTH} levels` }],
    );
  }
  if (unstorable !== undefined) {
    throw new DomainException(
      DomainErrorCode.VALIDATION_FAILED,
      `The request is invalid: ${unstorable} cannot be stored.`,
      [{ field: unstorable, message: 'must not contain the NUL character or an unpaired UTF-16 surrogate' }],
    );
  }
}

/** The global pipe: every body, query and path parameter checked by checkInput first, then class-validator's rules. */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    checkInput(value, metadata);
    return super.transform(value, metadata);
  }
}

/** Whitelisting, transforming validation whose errors name each field and rule (422 problem+json). */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new DomainException(
        DomainErrorCode.VALIDATION_FAILED,
        `The request is invalid: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`,
        fieldErrors,
      );
    },
  });
}
