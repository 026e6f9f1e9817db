import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface BodySizeLimitOptions {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}

/**
 * Rejects a request body larger than `maxSize` bytes, as hono's `bodyLimit` does. A body with a
 * `Content-Length` (and no `Transfer-Encoding`) is judged by that header alone, because the HTTP
 * parser never delivers more bytes than it declares. Leaving the body untouched here matters on
 * Node: @hono/node-server then reads it straight from the socket when the handler asks for it,
 * instead of building a web `Request` with a `ReadableStream` for every POST. A body without a
 * length goes through hono's `bodyLimit`, which counts the bytes as they stream in.
 */
export function limitBodySize(options: BodySizeLimitOptions): MiddlewareHandler {
  const streamingLimit = bodyLimit(options);

  return async (c, next) => {
    const contentLength = c.req.header('content-length');
    if (contentLength === undefined || c.req.header('transfer-encoding') !== undefined) {
      return streamingLimit(c, next);
    }

    if (parseInt(contentLength, 10) > options.maxSize) {
      return options.onError(c);
    }

    await next();
  };
}
