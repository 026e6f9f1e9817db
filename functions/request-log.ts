import type { Context, MiddlewareHandler } from 'hono';
import { pinoLogger } from 'hono-pino';
import type { Logger } from 'pino';
import { SIGNATURE_HEADER } from './forward-signature.js';

/** Request headers whose values never reach a log line. */
const SECRET_HEADERS = new Set([
  'authorization',
  'cookie',
  'proxy-authorization',
  SIGNATURE_HEADER,
]);

/**
 * Creates the hono-pino middleware that logs each request and response. hono-pino logs every
 * request header by default, so secret headers are replaced here, before pino receives them.
 * This also covers pino's browser build on the edge, which ignores pino's `redact` option.
 */
export function createRequestLogger(logger: Logger): MiddlewareHandler {
  // hono-pino adds the logger's bindings to each request's child logger, which inherits them
  // already. Hiding them keeps every bound field (`component`) from appearing twice.
  const withHiddenBindings = Object.create(logger, { bindings: { value: () => ({}) } }) as Logger;

  return pinoLogger({
    pino: withHiddenBindings,
    http: {
      onReqBindings: (c: Context) => ({
        req: { method: c.req.method, url: c.req.path, headers: redactHeaders(c.req.header()) },
      }),
      onResLevel: (c: Context) => responseLevel(c.res.status),
    },
  }) as unknown as MiddlewareHandler;
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
