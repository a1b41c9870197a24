/**
 * PostgreSQL's SQLSTATEs for "not serving right now": class 08 (connection exception) and the operator
 * interventions of class 57P (shut down by an administrator, crashed and restarting, still starting up).
 */
const UNAVAILABLE_STATE = /^(08|57P0[123])/;
/** What the driver or Node reports when the server is gone or was never reached. */
const UNREACHABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** TypeORM's error for a transaction whose connection the driver already dropped (the server went away). */
const RELEASED = 'QueryRunnerProviderAlreadyReleasedError';
/** node-postgres's own messages for a connection that ended under it or never opened. */
const DRIVER_MESSAGE =
  /^Connection terminated|^timeout exceeded when trying to connect|Client has encountered a connection error/;

/**
 * Whether an error means the database did not serve the request (down, restarting, unreachable) rather than
 * refused it: the request may be retried as it was, which an API says with 503, not 500. TypeORM's
 * QueryFailedError carries the driver's error, which carries the code; both are looked at.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_STATE.test(code) || UNREACHABLE_ERRNO.has(code))) {
      return true;
    }
    if (e.name === RELEASED || DRIVER_MESSAGE.test(e.message)) {
      return true;
    }
    e = (e as { driverError?: unknown }).driverError ?? e.cause;
  }
  return false;
}
