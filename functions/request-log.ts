import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { SIGNATURE_HEADER } from './forward-signature.js';

/** Request headers whose values never reach a log line. */
const SECRET_HEADERS = new Set([
  'authorization',
  'cookie',
  'proxy-authorization',
  SIGNATURE_HEADER,
]);

/** The header a proxy or client may set to correlate its logs with ours. */
const REQUEST_ID_HEADER = 'x-request-id';

/** Maximum length of a request id in a log line. A longer `X-Request-ID` is cut to this length. */
const MAX_REQUEST_ID_LENGTH = 128;

/** Fields of the access log line written for each request. */
interface AccessLogFields {
  method: string;
  /** The request path without the query string. */
  path: string;
  status: number;
  /** Time from the start of the logging middleware to the finished response, in milliseconds. */
  durationMs: number;
  /** The `X-Request-ID` request header, when the request has one. */
  requestId?: string;
  /** The message of the error that produced the response, when a handler threw one. */
  error?: string;
  /** Request headers with secret values replaced, present only at debug level or lower. */
  headers?: Record<string, string>;
}

/**
 * Creates the middleware that writes one access log line per request once its response is ready:
 * at info for a 1xx to 3xx status, warn for 4xx and error for 5xx. The line is a direct call on
 * `logger` with flat fields, so a request costs no child logger and, above debug, no copy of its
 * headers. Headers are logged at debug only, with secret values replaced before pino receives
 * them. This also covers pino's browser build on the edge, which ignores pino's `redact` option.
 */
export function createRequestLogger(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();

    const status = c.res.status;
    const level = responseLevel(status);
    if (!logger.isLevelEnabled(level)) {
      return;
    }

    const fields = accessLogFields(c, status, performance.now() - started);
    if (logger.isLevelEnabled('debug')) {
      fields.headers = redactHeaders(c.req.header());
    }

    logger[level](fields, 'request completed');
  };
}

function accessLogFields(c: Context, status: number, elapsedMs: number): AccessLogFields {
  const fields: AccessLogFields = {
    method: c.req.method,
    path: c.req.path,
    status,
    durationMs: Math.round(elapsedMs * 100) / 100,
  };

  const requestId = c.req.header(REQUEST_ID_HEADER);
  if (requestId !== undefined) {
    fields.requestId = requestId.slice(0, MAX_REQUEST_ID_LENGTH);
  }

  if (c.error) {
    fields.error = c.error.message;
  }

  return fields;
}

function responseLevel(status: number): 'error' | 'warn' | 'info' {
  if (status >= 500) {
    return 'error';
  }

  return status >= 400 ? 'warn' : 'info';
}

/** Returns a copy of the headers with secret values replaced by `[redacted]`. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      SECRET_HEADERS.has(name.toLowerCase()) ? '[redacted]' : value,
    ]),
  );
}
