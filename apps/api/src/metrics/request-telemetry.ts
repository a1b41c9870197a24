import { type NextFunction, type Request, type Response } from 'express';
import { runInServerSpan } from '../../../../libs/telemetry/src';
import { type ApiMetrics, type IntakeResult } from './api-metrics';

/** What the problem filter leaves on `res.locals` for the metrics: the refusal's code and rule, never its text. */
export interface ProblemMark {
  code: string;
  rule?: string;
}

/** The routes that receive a dossier, by source. */
const INTAKE_ROUTES: Record<string, string> = {
  'POST /api/v1/dossiers': 'desk',
  'POST /api/v1/submissions/:id/receive': 'submission',
};
const ACTION_ROUTE = /^\/api\/v1\/dossiers\/:code\/actions\/([a-z-]{1,40})$/;
const REFUSAL_STATUSES = new Set([403, 409, 422]);

/** The route template Express matched (`/api/v1/dossiers/:code`), never the path with its codes. */
function routeOf(req: Request): string | undefined {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}

function intakeResult(status: number, res: Response): IntakeResult {
  if (status >= 500) {
    return 'failed';
  }
  if (status >= 400) {
    return 'refused';
  }
  return res.getHeader('Idempotent-Replayed') === 'true' ? 'replayed' : 'received';
}

/**
 * Every request, first thing: its server span (when tracing is on) and, when it is answered, the intake, action and
 * refusal metrics, keyed by the matched route template.
 */
export function requestTelemetry(metrics: ApiMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    // `next` runs inside the span; the answer leaves later (`finish` is always emitted asynchronously).
    const span = runInServerSpan(req, next);
    // A client gone before the answer: its span ends, nothing is counted.
    res.on('close', () => {
      if (!res.writableFinished) {
        span.end(routeOf(req), 499);
      }
    });
    res.on('finish', () => {
      const route = routeOf(req);
      const status = res.statusCode;
      span.end(route, status);
      if (!route) {
        return;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const key = `${req.method} ${route}`;
      const source = INTAKE_ROUTES[key];
      if (source) {
        metrics.intakes.inc({ source, result: intakeResult(status, res) });
      }
      const action = req.method === 'POST' ? ACTION_ROUTE.exec(route)?.[1] : undefined;
      if (action) {
        const outcome = status >= 500 ? 'failed' : status >= 400 ? 'refused' : 'ok';
        metrics.actions.observe({ action, outcome }, seconds);
      }
      if (REFUSAL_STATUSES.has(status)) {
        const problem = res.locals.problem as ProblemMark | undefined;
        const code = problem?.code ?? `HTTP_${status}`;
        metrics.refusals.inc({ rule: problem?.rule ?? code, code, status: String(status), route });
      }
    });
  };
}
