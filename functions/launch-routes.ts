import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ProblemError } from '../shared/launch/problem.js';
import { parseLaunchRequest, type InvalidField } from '../shared/launch/schema.js';
import type { LaunchRequest } from '../shared/launch/types.js';
import type { LaunchBackend } from './backend.js';
import { limitBodySize } from './body-limit.js';
import { describeInvalid, parseListQuery } from './list-query.js';
import { readJsonBody } from './request-body.js';
import { digestCanonicalJson } from './request-digest.js';

/**
 * The shape of a launch id (a lower-case UUID), as `isLaunchId` in shared/launch/ids.ts checks
 * it. It is repeated here because ids.ts imports node:crypto, which the edge bundle cannot load.
 */
const LAUNCH_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Visible ASCII, 1 to 255 characters. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Most invalid fields listed in one response; the detail still counts all of them. */
const MAX_LISTED_INVALID_FIELDS = 100;

/** Computes the hex SHA-256 of a request's canonical JSON, as `digestCanonicalJson` does. */
export type RequestDigest = (request: LaunchRequest) => string | Promise<string>;

export interface LaunchRouteOptions {
  backend: LaunchBackend;
  bodyLimitBytes: number;
  /** Digest of a request sent with an Idempotency-Key. @defaultValue digestCanonicalJson */
  digestRequest?: RequestDigest;
}

/** Adds POST, GET and DELETE of /v1/launches to the app. */
export function registerLaunchRoutes(app: OpenAPIHono, options: LaunchRouteOptions): void {
  const { backend } = options;
  const digestRequest = options.digestRequest ?? digestCanonicalJson;

  app.post(
    '/v1/launches',
    limitBodySize({
      maxSize: options.bodyLimitBytes,
      onError: () => {
        // The rest of the body is never read, so the connection cannot carry another request.
        throw new ProblemError(
          'BODY_TOO_LARGE',
          `the request body is larger than ${options.bodyLimitBytes} bytes`,
          { headers: { connection: 'close' } },
        );
      },
    }),
    (c) => submitLaunch(c, backend, digestRequest),
  );

  app.get('/v1/launches', async (c) => c.json(await backend.listLaunches(parseListQuery(c)), 200));

  app.get('/v1/launches/:id', async (c) => {
    const id = requireLaunchIdShape(c.req.param('id'));
    const status = await backend.getLaunch(id);
    if (!status) {
      throw notFound(id);
    }

    return c.json(status, 200);
  });

  app.delete('/v1/launches/:id', async (c) => {
    const id = requireLaunchIdShape(c.req.param('id'));
    const result = await backend.killLaunch(id);

    return c.json({ ...result, status_url: statusUrl(c, id) }, 202);
  });

  app.all('/v1/launches', (c) => methodNotAllowed(c, 'GET, POST'));
  app.all('/v1/launches/:id', (c) => methodNotAllowed(c, 'GET, DELETE'));
}

async function submitLaunch(
  c: Context,
  backend: LaunchBackend,
  digestRequest: RequestDigest,
): Promise<Response> {
  const body = await readJsonBody(c);
  const idempotencyKey = readIdempotencyKey(c);
  const parsed = parseLaunchRequest(body);

  if (!parsed.ok) {
    throw validationFailed(parsed.invalidFields);
  }

  const result = await backend.submitLaunch({
    request: parsed.request,
    ...(idempotencyKey === undefined
      ? {}
      : { idempotencyKey, requestSha256: await digestRequest(parsed.request) }),
  });
  const url = statusUrl(c, result.id);

  // With a second header, c.json() builds a Headers object, which @hono/node-server copies entry
  // by entry before writeHead (hono 4.13, @hono/node-server 2.1). A plain object goes as it is.
  return new Response(JSON.stringify({ id: result.id, state: result.state, status_url: url }), {
    status: result.created ? 202 : 200,
    headers: { 'content-type': 'application/json', location: url },
  });
}

function readIdempotencyKey(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) {
    return undefined;
  }

  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ProblemError(
      'INVALID_IDEMPOTENCY_KEY',
      'the Idempotency-Key header must be 1 to 255 visible ASCII characters, e.g. a UUID',
    );
  }

  return key;
}

/** Builds the VALIDATION_FAILED problem error for a list of invalid fields. */
export function validationFailed(invalidFields: InvalidField[]): ProblemError {
  const listed = invalidFields.slice(0, MAX_LISTED_INVALID_FIELDS);

  return new ProblemError('VALIDATION_FAILED', describeInvalid(invalidFields), {
    extensions: { invalid_fields: listed },
  });
}

function requireLaunchIdShape(id: string): string {
  if (!LAUNCH_ID_PATTERN.test(id)) {
    throw notFound(id);
  }

  return id;
}

function notFound(id: string): ProblemError {
  return new ProblemError('LAUNCH_NOT_FOUND', `no launch has the id "${id.slice(0, 100)}"`, {
    extensions: { launch_id: id.slice(0, 100) },
  });
}

function statusUrl(c: Context, id: string): string {
  return new URL(`/v1/launches/${id}`, c.req.url).toString();
}

function methodNotAllowed(c: Context, allowed: string): never {
  throw new ProblemError(
    'METHOD_NOT_ALLOWED',
    `${c.req.method} is not supported here; use ${allowed}`,
    {
      headers: { allow: allowed },
    },
  );
}
