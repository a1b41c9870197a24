import { type IncomingMessage } from 'node:http';
import { type Options } from 'pino-http';
import { type AppConfig } from '../../../../libs/config/src';
import { traceFields } from '../../../../libs/telemetry/src';

export const REDACTED = '[REDACTED]';

/**
 * Headers that authenticate or identify a request (a token, a partner's signature, an idempotency key a client may
 * derive from the citizen's data) or say why an officer reads a dossier: never written to logs.
 */
const SECRET_HEADERS = ['authorization', 'cookie', 'x-signature', 'idempotency-key', 'x-purpose'];

/**
 * A URL as logs may keep it: the path and the names of its query parameters, never their values. Query strings
 * carry what must not be logged (the citizen's PIN, a name or an ID number searched for); paths carry dossier codes.
 */
export function loggableUrl(url: string | undefined): string {
  if (!url) {
    return '';
  }
  const at = url.indexOf('?');
  if (at < 0) {
    return redactPath(url);
  }
  const names = url
    .slice(at + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: keep the name as sent
      }
      // A parameter name is the client's to choose: one that looks like data is not kept either.
      return /^[A-Za-z][A-Za-z0-9_.[\]-]{0,40}$/.test(decoded) ? decoded : '_';
    });
  return `${redactPath(url.slice(0, at))}?${names.map((n) => `${n}=${REDACTED}`).join('&')}`;
}

/**
 * Path segments that are personal data: the applicant's ID number or tax code in `/applicants/{id}/…` (the route the
 * desk asks for an applicant's reusable files). Dossier codes stay: they name no one.
 */
function redactPath(path: string): string {
  return path.replace(/(\/applicants\/)[^/]+/g, `$1${REDACTED}`);
}

/** What a request log line keeps of the request: no query values, no body, no secret header. */
interface LoggedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
  remotePort?: number;
}

function requestSerializer(req: LoggedRequest): LoggedRequest {
  const headers = { ...req.headers };
  for (const name of SECRET_HEADERS) {
    if (headers[name] !== undefined) {
      headers[name] = REDACTED;
    }
  }
  // `query` and `params` of the standard serializer are left out: the URL names the parameters, the path the code.
  return {
    id: req.id,
    method: req.method,
    url: loggableUrl(req.url),
    headers,
    remoteAddress: req.remoteAddress,
    remotePort: req.remotePort,
  };
}

/** The API's request logging (pino-http through nestjs-pino): structured JSON, nothing personal, nothing secret. */
export function requestLogOptions(config: AppConfig): Options<IncomingMessage> {
  return {
    level: config.LOG_LEVEL,
    serializers: { req: requestSerializer },
    redact: {
      // A failed query's bound parameters (a TypeORM QueryFailedError) are the citizen's data.
      paths: ['err.parameters', 'err.driverError.parameters', 'res.headers["set-cookie"]'],
      censor: REDACTED,
    },
    customProps: () => ({ service: 'api' }),
    // Every line written while a span is active (a request's, its answer's line included) carries its trace and span IDs.
    mixin: () => traceFields(),
    autoLogging: {
      ignore: (req) => req.url === '/api/v1/health' || req.url === '/api/v1/health/live' || req.url === '/metrics',
    },
  };
}
