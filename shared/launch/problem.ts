import { MesosLaunchError } from '../errors.js';
import type { InvalidField } from './schema.js';

/** Media type of error bodies (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem object with the stable `code` that clients branch on. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  invalid_fields?: InvalidField[];
  [extension: string]: unknown;
}

/** HTTP status and title of every error code the launch API returns. */
export const PROBLEM_CODES: Record<string, { status: number; title: string }> = {
  VALIDATION_FAILED: { status: 400, title: 'The request has invalid fields' },
  INVALID_JSON: { status: 400, title: 'The request body is not valid JSON' },
  INVALID_IDEMPOTENCY_KEY: { status: 400, title: 'The Idempotency-Key header is invalid' },
  INVALID_CURSOR: { status: 400, title: 'The list cursor is invalid' },
  UNAUTHORIZED: { status: 401, title: 'A valid bearer token is required' },
  SIGNATURE_INVALID: { status: 401, title: 'The forwarded request signature is invalid' },
  SIGNATURE_EXPIRED: { status: 401, title: 'The forwarded request timestamp is too old' },
  SIGNATURE_REPLAYED: { status: 401, title: 'The forwarded request was already received' },
  LOOPBACK_ONLY: { status: 403, title: 'Only loopback clients are served' },
  LAUNCH_NOT_FOUND: { status: 404, title: 'Launch not found' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  LAUNCH_TERMINAL: { status: 409, title: 'The launch has already ended' },
  BODY_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be JSON' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'The Idempotency-Key was used with a different body',
  },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  EDGE_MISCONFIGURED: { status: 500, title: 'The edge function is not configured' },
  FORWARD_FAILED: { status: 502, title: 'The launch service could not be reached' },
  STORE_UNAVAILABLE: { status: 503, title: 'The launch store is unavailable' },
  LAUNCH_CREATION_PENDING: { status: 503, title: 'The launch is still being queued' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
  FORWARD_TIMEOUT: { status: 504, title: 'The launch service did not respond in time' },
};

export interface ProblemErrorOptions {
  /** Defaults to the status of `code` in PROBLEM_CODES, or 500. */
  status?: number;
  /** Extension members of the body, such as `invalid_fields` or `launch_id`. */
  extensions?: Record<string, unknown>;
  /** Response headers, such as `Allow` for a 405. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * An error that becomes a problem response as it is: its status, extension members and headers
 * go into the response.
 */
export class ProblemError extends MesosLaunchError {
  readonly status: number;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: string, detail: string, options: ProblemErrorOptions = {}) {
    const status = options.status ?? PROBLEM_CODES[code]?.status ?? 500;
    super(code, detail, { temporary: status === 503 || status === 504, cause: options.cause });
    this.name = 'ProblemError';
    this.status = status;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code']);

/** Builds a problem object for a code from PROBLEM_CODES (500 for an unknown code). */
export function createProblem(
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
  status?: number,
): ProblemDetails {
  const known = PROBLEM_CODES[code];
  const members = Object.entries(extensions).filter(([name]) => !STANDARD_MEMBERS.has(name));

  return {
    type: `urn:mesos-launch:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: known?.title ?? 'Error',
    status: status ?? known?.status ?? 500,
    detail,
    code,
    ...Object.fromEntries(members),
  };
}

/** Creates an `application/problem+json` response. */
export function problemResponse(problem: ProblemDetails, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(problem), {
    status: problem.status,
    headers,
  });
  response.headers.set('content-type', PROBLEM_CONTENT_TYPE);

  return response;
}

/**
 * Converts a thrown error into a problem. Errors with a code from PROBLEM_CODES keep their
 * message as the detail, because those messages are written for the client. Anything else is a
 * 500 whose detail hides the internal message.
 */
export function problemFromError(error: unknown): ProblemDetails {
  if (error instanceof ProblemError) {
    return createProblem(error.code, error.message, error.extensions, error.status);
  }

  if (error instanceof MesosLaunchError && PROBLEM_CODES[error.code]) {
    return createProblem(error.code, error.message, launchIdExtension(error));
  }

  return createProblem('INTERNAL_ERROR', 'the request failed because of an internal error');
}

function launchIdExtension(error: MesosLaunchError): Record<string, unknown> {
  const launchId: unknown = (error as { launchId?: unknown }).launchId;
  const state: unknown = (error as { state?: unknown }).state;
  const extensions: Record<string, unknown> = {};

  if (typeof launchId === 'string') {
    extensions.launch_id = launchId;
  }

  if (typeof state === 'string') {
    extensions.state = state;
  }

  return extensions;
}
