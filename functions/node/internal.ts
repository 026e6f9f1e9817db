import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from '../../shared/launch/problem.js';
import { parseLaunchRequest } from '../../shared/launch/schema.js';
import { DEFAULT_BODY_LIMIT_BYTES } from '../app.js';
import type { LaunchBackend } from '../backend.js';
import { respondNotFound, respondWithProblem, type AppLogger } from '../error-response.js';
import {
  NONCE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyForwardedRequest,
} from '../forward-signature.js';
import { validationFailed } from '../launch-routes.js';
import { parseListQuery } from '../list-query.js';
import { readJsonBody } from '../request-body.js';
import { digestCanonicalJsonSync } from './request-digest-sync.js';

/** Path prefix of the internal endpoint that accepts requests forwarded by the edge entry. */
export const INTERNAL_PATH_PREFIX = '/internal/v1';

export interface InternalAppOptions {
  backend: LaunchBackend;
  /** The FORWARD_SECRET shared with the edge entry. */
  secret: string;
  /**
   * Records a signature the first time it is seen and returns false for a repeat, so a captured
   * signed POST or DELETE cannot be replayed inside the signature's time window.
   */
  claimSignature?: (signature: string) => Promise<boolean>;
  requestLogger?: MiddlewareHandler;
  logger?: AppLogger;
  /** Current Unix time in seconds; tests move the clock. */
  nowSeconds?: () => number;
}

/** The forwarded submit: the request the edge already validated, and its Idempotency-Key. */
interface ForwardedSubmit {
  request?: unknown;
  idempotency_key?: unknown;
}

/**
 * Creates the internal endpoint. Each request must carry an HMAC-SHA256 signature made with
 * FORWARD_SECRET over its timestamp, nonce, method, path and body, made at most 300 s from this
 * server's clock. Unsigned, tampered and expired requests get 401, and so does a POST or DELETE
 * whose signature was seen before. The endpoint returns the backend's results as JSON, and
 * errors with the same problem codes as the public API.
 */
export function createInternalApp(options: InternalAppOptions): Hono {
  const app = new Hono();
  const { backend } = options;

  if (options.requestLogger) {
    app.use('*', options.requestLogger);
  }

  app.onError((error, c) => respondWithProblem(error, c, options.logger));
  app.notFound(respondNotFound);
  app.use('*', bodyLimit({ maxSize: 2 * DEFAULT_BODY_LIMIT_BYTES, onError: tooLarge }));
  app.use('*', requireSignature(options));

  app.post(`${INTERNAL_PATH_PREFIX}/launches`, async (c) => c.json(await submit(c, backend), 200));
  app.get(`${INTERNAL_PATH_PREFIX}/launches`, async (c) =>
    c.json(await backend.listLaunches(parseListQuery(c)), 200),
  );
  app.get(`${INTERNAL_PATH_PREFIX}/launches/:id`, async (c) => {
    const status = await backend.getLaunch(c.req.param('id'));
    if (!status) {
      throw new ProblemError('LAUNCH_NOT_FOUND', `no launch has the id "${c.req.param('id')}"`);
    }
    return c.json(status, 200);
  });
  app.delete(`${INTERNAL_PATH_PREFIX}/launches/:id`, async (c) =>
    c.json(await backend.killLaunch(c.req.param('id')), 200),
  );
  app.get(`${INTERNAL_PATH_PREFIX}/ready`, async (c) => {
    await backend.checkReady();
    return c.json({ status: 'ready' }, 200);
  });
  app.get(`${INTERNAL_PATH_PREFIX}/metrics`, async (c) => {
    const metrics = await backend.renderMetrics();
    return c.body(metrics.body, 200, { 'content-type': metrics.contentType });
  });

  return app;
}

function requireSignature(options: InternalAppOptions): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const signature = c.req.header(SIGNATURE_HEADER);
    const check = await verifyForwardedRequest(
      options.secret,
      {
        timestamp: c.req.header(TIMESTAMP_HEADER),
        nonce: c.req.header(NONCE_HEADER),
        method: c.req.method,
        target: `${url.pathname}${url.search}`,
        body: new Uint8Array(await c.req.arrayBuffer()),
      },
      signature,
      options.nowSeconds?.(),
    );

    if (!check.ok) {
      throw new ProblemError(check.code, check.reason);
    }

    const mutates = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    if (
      mutates &&
      signature &&
      options.claimSignature &&
      !(await options.claimSignature(signature))
    ) {
      throw new ProblemError(
        'SIGNATURE_REPLAYED',
        'this signed request was already received; sign every request anew',
      );
    }

    await next();
  };
}

async function submit(c: Context, backend: LaunchBackend): Promise<unknown> {
  const body = (await readJsonBody(c)) as ForwardedSubmit | null;
  const parsed = parseLaunchRequest(body?.request);
  if (!parsed.ok) {
    throw validationFailed(parsed.invalidFields);
  }

  const key = body?.idempotency_key;
  return backend.submitLaunch({
    request: parsed.request,
    ...(typeof key === 'string'
      ? { idempotencyKey: key, requestSha256: digestCanonicalJsonSync(parsed.request) }
      : {}),
  });
}

function tooLarge(): never {
  throw new ProblemError('BODY_TOO_LARGE', 'the forwarded request body is too large', {
    headers: { connection: 'close' },
  });
}
