import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { requireClientAccess } from './auth.js';
import type { LaunchBackend } from './backend.js';
import { respondNotFound, respondWithProblem, type AppLogger } from './error-response.js';
import { registerLaunchRoutes, type RequestDigest } from './launch-routes.js';
import { describeRoutes } from './openapi.js';
import { registerServiceRoutes, type DocsAssetReader } from './service-routes.js';

export type { AppLogger };

/** One finished request, for the request metrics. `route` is the matched route pattern. */
export interface RequestObservation {
  method: string;
  route: string;
  status: number;
  durationSeconds: number;
}

export interface AppDependencies {
  backend: LaunchBackend;
  /** Accepted bearer tokens; empty means only loopback clients are served. */
  apiTokens: readonly string[];
  /** The client's IP address as the runtime reports it, or undefined when unknown. */
  clientAddress: (c: Context) => string | undefined;
  /** Middleware that logs each request, such as the one `createRequestLogger` returns. */
  requestLogger?: MiddlewareHandler;
  logger?: AppLogger;
  observeRequest?: (observation: RequestObservation) => void;
  /** Largest accepted POST body. @defaultValue 65536 */
  bodyLimitBytes?: number;
  /**
   * Digest of a request sent with an Idempotency-Key. The Node entry passes one on node:crypto.
   * @defaultValue digestCanonicalJson, on WebCrypto
   */
  digestRequest?: RequestDigest;
  /** Upper bound of the /readyz check. @defaultValue 2000 */
  readyTimeoutMs?: number;
  /** Serves Swagger UI's files for /docs; without it the page loads them from a public CDN. */
  docsAssets?: DocsAssetReader;
}

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Creates the launch API. It uses Web APIs only (fetch types, WebCrypto), so the same app runs
 * on Node and in an edge runtime. The entries differ only in the dependencies they pass.
 */
export function createApp(deps: AppDependencies): OpenAPIHono {
  const app = new OpenAPIHono();

  if (deps.requestLogger) {
    app.use('*', deps.requestLogger);
  }

  if (deps.observeRequest) {
    app.use('*', observeRequests(deps.observeRequest));
  }

  app.onError((error, c) => respondWithProblem(error, c, deps.logger));
  app.notFound(respondNotFound);

  const access = requireClientAccess({
    apiTokens: deps.apiTokens,
    clientAddress: deps.clientAddress,
  });
  app.use('/v1/*', access);
  app.use('/metrics', access);

  registerServiceRoutes(app, {
    backend: deps.backend,
    readyTimeoutMs: deps.readyTimeoutMs ?? 2_000,
    ...(deps.docsAssets ? { docsAssets: deps.docsAssets } : {}),
  });
  registerLaunchRoutes(app, {
    backend: deps.backend,
    bodyLimitBytes: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    ...(deps.digestRequest ? { digestRequest: deps.digestRequest } : {}),
  });
  describeRoutes(app);

  return app;
}

function observeRequests(observe: (observation: RequestObservation) => void): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();

    const route = routePath(c, -1);
    observe({
      method: c.req.method,
      route: route === '' || route.includes('*') ? 'unmatched' : route,
      status: c.res.status,
      durationSeconds: (performance.now() - started) / 1000,
    });
  };
}
