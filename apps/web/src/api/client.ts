import createClient, { type Middleware } from 'openapi-fetch';
import { session } from '../auth/session';
import { type paths } from './schema';
import { type Guidance } from './types';

/** One broken rule of a field, as the API's problem+json lists them. */
export interface FieldError {
  field: string;
  message: string;
}

/** Why the workflow refused an action (the `rule` of a 403/409/422 answer). */
export type RefusalRule =
  'NOT_HOLDER' | 'INVALID_STATE' | 'WRONG_STEP' | 'ROLE_NOT_ALLOWED' | 'LIMIT_REACHED' | 'TOO_LATE' | 'INVALID_REQUEST';

/** A refused or failed call: the API's problem+json, typed; `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly rule: string | null = null,
    readonly errors: FieldError[] = [],
    readonly guidance: Guidance | null = null,
    /** Seconds to wait, from Retry-After on a 429. */
    readonly retryAfter: number | null = null,
  ) {
    super(detail || `HTTP ${status}`);
    this.name = 'ApiError';
  }

  static network(cause: unknown): ApiError {
    return new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a problem+json body (or whatever the server sent) into an ApiError. */
export function toApiError(response: Response, body: unknown): ApiError {
  const problem = isRecord(body) ? body : {};
  const text = (key: string): string | null => (typeof problem[key] === 'string' ? problem[key] : null);
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter(isRecord).map((e) => ({
        field: typeof e.field === 'string' ? e.field : '',
        message: typeof e.message === 'string' ? e.message : '',
      }))
    : [];
  const guidance = isRecord(problem.guidance) ? (problem.guidance as unknown as Guidance) : null;
  const retryAfterHeader = Number(response.headers.get('Retry-After'));
  const retryAfter = Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : null;
  const code = text('code') ?? (response.status === 429 ? 'TOO_MANY_REQUESTS' : `HTTP_${response.status}`);
  const detail = text('detail') ?? (typeof body === 'string' ? body : '');
  return new ApiError(response.status, code, detail, text('rule'), errors, guidance, retryAfter);
}

/** Adds the bearer token; a 401 ends the session so the console goes back to sign-in. */
const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${token}`);
    }
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) {
      session.expire();
    }
    return response;
  },
};

/** The one typed client of the console: every API call goes through it. */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** The answer of an openapi-fetch call: data, or a problem turned into ApiError. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Exclude<T, undefined>> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (e) {
    throw ApiError.network(e);
  }
  if (!result.response.ok) {
    throw toApiError(result.response, result.error);
  }
  return result.data as Exclude<T, undefined>;
}

/** A fresh key per user intent: retrying the same intent reuses it, a new intent gets a new one. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
