import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { launchRequestSchema } from '../shared/launch/schema.js';
import { NETWORK_MODES, PORT_PROTOCOLS } from '../shared/launch/types.js';

/**
 * Response schemas and route descriptions for /openapi.json. The handlers validate requests
 * themselves, so these schemas describe the API without being in the request path.
 */

const launchRequestDocSchema = launchRequestSchema.meta({
  id: 'LaunchRequest',
  description: 'A launch request; unknown fields are rejected',
});

const launchIdSchema = z
  .uuid()
  .meta({ description: 'Launch id', example: '0b6f6f5e-7d4a-4f0e-9c43-2f1f3a7d9b10' });

const stateSchema = z.string().meta({
  description:
    'QUEUED, LAUNCHING, CANCELLED, EXPIRED, or a Mesos task state verbatim (TASK_RUNNING, TASK_FAILED, ...)',
  example: 'TASK_RUNNING',
});

export const invalidFieldSchema = z
  .object({
    field: z.string().meta({ example: 'ports[0].container_port' }),
    message: z.string().meta({ example: 'is required with network "bridge"' }),
    fix: z.string(),
  })
  .meta({ id: 'InvalidField' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({ description: 'Stable error code', example: 'VALIDATION_FAILED' }),
    invalid_fields: z.array(invalidFieldSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const launchAcceptedSchema = z
  .object({ id: launchIdSchema, state: stateSchema, status_url: z.url() })
  .meta({ id: 'LaunchAccepted' });

export const killAcceptedSchema = z
  .object({
    id: launchIdSchema,
    state: stateSchema,
    outcome: z.enum(['cancelled', 'kill_requested']),
    status_url: z.url(),
  })
  .meta({ id: 'KillAccepted' });

const historyEntrySchema = z.object({
  state: stateSchema,
  timestamp: z.string(),
  source: z.string().nullable(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  task_id: z.string().nullable(),
});

export const launchStatusSchema = z
  .object({
    id: launchIdSchema,
    state: stateSchema,
    terminal: z.boolean(),
    task_id: z.string().nullable(),
    agent_id: z.string().nullable(),
    hostname: z.string().nullable(),
    network: z.enum(NETWORK_MODES),
    network_name: z.string().nullable(),
    ip_addresses: z.array(z.string()),
    ports: z.array(
      z.object({
        container_port: z.number().int().optional(),
        host_port: z.number().int(),
        protocol: z.enum(PORT_PROTOCOLS),
      }),
    ),
    reason: z.string().nullable(),
    message: z.string().nullable(),
    source: z.string().nullable(),
    attempt: z.number().int(),
    history: z.array(historyEntrySchema),
    request: launchRequestDocSchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'LaunchStatus' });

export const launchPageSchema = z
  .object({ launches: z.array(launchStatusSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'LaunchPage' });

const problemContent = { 'application/problem+json': { schema: problemSchema } };

function problemResponses(
  ...statuses: number[]
): Record<number, { description: string; content: typeof problemContent }> {
  const descriptions: Record<number, string> = {
    400: 'Invalid request; `invalid_fields` lists every problem',
    401: 'Missing or wrong bearer token',
    403: 'No API_TOKENS configured and the client is not on loopback',
    404: 'Unknown launch id',
    409: 'The launch has already ended',
    413: 'Body larger than the limit',
    415: 'Body not declared as JSON',
    422: 'Idempotency-Key reused with a different body',
    503: 'Redis unavailable; retry later',
  };

  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status] ?? 'Error', content: problemContent },
    ]),
  );
}

const launchIdParameters = z.object({
  id: launchIdSchema.meta({ param: { name: 'id', in: 'path' } }),
});

/** Adds every public route to the app's OpenAPI registry. */
export function describeRoutes(app: OpenAPIHono): void {
  const registry = app.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const security = [{ bearer: [] }];

  registry.registerPath({
    method: 'post',
    path: '/v1/launches',
    summary: 'Submit a launch',
    security,
    request: {
      headers: z.object({
        'idempotency-key': z.string().max(255).optional().meta({
          description: 'The same key and body return the same launch (200); another body gets 422',
        }),
      }),
      body: { required: true, content: { 'application/json': { schema: launchRequestDocSchema } } },
    },
    responses: {
      200: {
        description: 'Existing launch for this Idempotency-Key',
        content: { 'application/json': { schema: launchAcceptedSchema } },
      },
      202: {
        description: 'Launch queued',
        content: { 'application/json': { schema: launchAcceptedSchema } },
      },
      ...problemResponses(400, 401, 403, 413, 415, 422, 503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/launches',
    summary: 'List launches, newest first',
    security,
    request: {
      query: z.object({
        state: z.string().optional().meta({ description: 'Comma-separated states to include' }),
        limit: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .meta({ description: 'Page size, default 20' }),
        cursor: z.string().optional().meta({ description: 'next_cursor of the previous page' }),
      }),
    },
    responses: {
      200: {
        description: 'One page of launches',
        content: { 'application/json': { schema: launchPageSchema } },
      },
      ...problemResponses(400, 401, 403, 503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/v1/launches/{id}',
    summary: 'Read the status of a launch',
    security,
    request: { params: launchIdParameters },
    responses: {
      200: {
        description: 'Launch status',
        content: { 'application/json': { schema: launchStatusSchema } },
      },
      ...problemResponses(401, 403, 404, 503),
    },
  });

  registry.registerPath({
    method: 'delete',
    path: '/v1/launches/{id}',
    summary: 'Kill the task of a launch, or cancel a queued launch',
    security,
    request: { params: launchIdParameters },
    responses: {
      202: {
        description: 'Cancelled, or kill requested',
        content: { 'application/json': { schema: killAcceptedSchema } },
      },
      ...problemResponses(401, 403, 404, 409, 503),
    },
  });

  describeServiceRoutes(app);
}

function describeServiceRoutes(app: OpenAPIHono): void {
  const registry = app.openAPIRegistry;
  const okSchema = z.object({ status: z.string() });

  registry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness: the process serves HTTP',
    responses: {
      200: { description: 'Alive', content: { 'application/json': { schema: okSchema } } },
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Redis responds',
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: okSchema } } },
      ...problemResponses(503),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    security: [{ bearer: [] }],
    responses: {
      200: {
        description: 'Prometheus text format',
        content: { 'text/plain': { schema: z.string() } },
      },
      ...problemResponses(401, 403),
    },
  });
}
