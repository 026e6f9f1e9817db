import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import {
  ProblemError,
  createProblem,
  problemFromError,
  problemResponse,
  type ProblemDetails,
} from '../shared/launch/problem.js';
import { authChallengeHeaders } from './auth.js';

/** The logging calls the apps make; a pino logger fits. */
export interface AppLogger {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * Turns an error thrown by a handler into an `application/problem+json` response. 5xx errors are
 * logged (503 at warn, because the dependency's own outage is logged elsewhere); 401 responses
 * carry a bearer challenge and 503 responses a Retry-After.
 */
export function respondWithProblem(
  error: Error,
  c: Context,
  logger: AppLogger | undefined,
): Response {
  const problem = toProblem(error);
  const fields = { err: error, method: c.req.method, path: c.req.path, code: problem.code };

  if (problem.status === 503) {
    logger?.warn(fields, 'request failed because a dependency is unavailable');
  } else if (problem.status >= 500) {
    logger?.error(fields, 'request failed');
  }

  const headers: Record<string, string> = error instanceof ProblemError ? { ...error.headers } : {};
  if (problem.status === 401) {
    Object.assign(headers, authChallengeHeaders());
  }
  if (problem.status === 503) {
    headers['retry-after'] = '1';
  }

  return problemResponse(problem, headers);
}

/** Creates the 404 response for a path that no route matches. */
export function respondNotFound(c: Context): Response {
  return problemResponse(
    createProblem('NOT_FOUND', `there is no route for ${c.req.method} ${c.req.path.slice(0, 200)}`),
  );
}

function toProblem(error: Error): ProblemDetails {
  if (error instanceof HTTPException) {
    const code = error.status === 413 ? 'BODY_TOO_LARGE' : `HTTP_${error.status}`;
    return createProblem(code, error.message || 'the request was rejected', {}, error.status);
  }

  return problemFromError(error);
}
