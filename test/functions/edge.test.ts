import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Queue } from 'bullmq';
import type { ExecutionContext } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import worker, { createEdgeApp, type EdgeEnv } from '../../functions/edge/worker.js';
import {
  NONCE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signForwardedRequest,
} from '../../functions/forward-signature.js';
import { createInternalApp } from '../../functions/node/internal.js';
import { startFunctionServer, type FunctionServer } from '../../functions/node/server.js';
import { loadConfig } from '../../shared/config.js';
import { newLaunchId } from '../../shared/launch/ids.js';
import { LAUNCH_QUEUE_NAME, redisKeys } from '../../shared/launch/keys.js';
import type { LaunchJobData } from '../../shared/launch/types.js';
import { createTestRedis, testRedisOptions, uniquePrefix } from '../support/redis.js';
import { MemoryBackend } from './support/memory-backend.js';

const SECRET = 'edge-forward-secret-0123456789';
const TOKEN = 'edge-token';
const REQUEST = { image: 'centos:6.6', network: 'bridge', ports: [{ container_port: 8888 }] };
const ctx: ExecutionContext = {
  waitUntil: () => undefined,
  passThroughOnException: () => undefined,
  props: {},
};

/** A stand-in for the Node side: the internal endpoint on an in-memory backend. */
interface StandIn {
  url: string;
  backend: MemoryBackend;
  server: ReturnType<typeof serve>;
}

async function startStandIn(): Promise<StandIn> {
  const backend = new MemoryBackend();
  const seen = new Set<string>();
  const app = createInternalApp({
    backend,
    secret: SECRET,
    claimSignature: async (signature) => !seen.has(signature) && Boolean(seen.add(signature)),
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');

  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, backend, server };
}

function edgeEnv(url: string, extra: Partial<EdgeEnv> = {}): EdgeEnv {
  return {
    FORWARD_URL: url,
    FORWARD_SECRET: SECRET,
    API_TOKENS: TOKEN,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

function edgeRequest(path: string, init: RequestInit = {}): Request {
  return new Request(`https://edge.example${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
}

async function signedRequest(
  url: string,
  method: string,
  target: string,
  body: string,
  options: { timestamp?: number; secret?: string; sentBody?: string } = {},
): Promise<Response> {
  const headers = await signedHeaders(method, target, body, options);

  return fetch(`${url}${target}`, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body: options.sentBody ?? body }),
  });
}

async function signedHeaders(
  method: string,
  target: string,
  body: string,
  options: { timestamp?: number; secret?: string } = {},
): Promise<Record<string, string>> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = crypto.randomUUID();
  const signature = await signForwardedRequest(options.secret ?? SECRET, {
    timestamp,
    nonce,
    method,
    target,
    body,
  });

  return {
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: signature,
    'content-type': 'application/json',
  };
}

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn();
});

afterAll(() => {
  standIn.server.close();
});

describe('edge entry', () => {
  it('forwards a validated submit', async () => {
    const env = edgeEnv(standIn.url);

    const response = await worker.fetch(
      edgeRequest('/v1/launches', {
        method: 'POST',
        body: JSON.stringify(REQUEST),
        headers: { 'idempotency-key': 'e-1' },
      }),
      env,
      ctx,
    );

    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; status_url: string };
    expect(body.status_url).toBe(`https://edge.example/v1/launches/${body.id}`);
    expect(standIn.backend.launches.has(body.id)).toBe(true);
    expect(standIn.backend.submissions.at(-1)?.idempotencyKey).toBe('e-1');
    expect(standIn.backend.submissions.at(-1)?.request.ports).toEqual([
      { container_port: 8888, protocol: 'tcp' },
    ]);
  });

  it('passes idempotent replies through', async () => {
    const env = edgeEnv(standIn.url);
    const send = (body: unknown): Promise<Response> =>
      Promise.resolve(
        worker.fetch(
          edgeRequest('/v1/launches', {
            method: 'POST',
            body: JSON.stringify(body),
            headers: { 'idempotency-key': 'e-2' },
          }),
          env,
          ctx,
        ),
      );

    expect((await send(REQUEST)).status).toBe(202);
    expect((await send(REQUEST)).status).toBe(200);
    const conflict = await send({ ...REQUEST, cpus: 2 });
    expect(conflict.status).toBe(422);
    expect(((await conflict.json()) as { code: string }).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('rejects an invalid request without forwarding', async () => {
    const before = standIn.backend.submissions.length;

    const response = await worker.fetch(
      edgeRequest('/v1/launches', {
        method: 'POST',
        body: JSON.stringify({ image: 'x', network: 'user' }),
      }),
      edgeEnv(standIn.url),
      ctx,
    );

    expect(response.status).toBe(400);
    expect(standIn.backend.submissions).toHaveLength(before);
  });

  it('proxies status reads', async () => {
    const launch = standIn.backend.add({
      request: {
        image: 'x',
        network: 'host',
        ports: [],
        cpus: 0.1,
        mem: 50,
        disk: 0,
        env: {},
        labels: {},
        force_pull_image: false,
      },
      state: 'TASK_RUNNING',
    });

    const response = await worker.fetch(
      edgeRequest(`/v1/launches/${launch.id}`),
      edgeEnv(standIn.url),
      ctx,
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(launch);
  });

  it('answers 404 for an unknown id', async () => {
    const response = await worker.fetch(
      edgeRequest(`/v1/launches/${newLaunchId()}`),
      edgeEnv(standIn.url),
      ctx,
    );

    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('LAUNCH_NOT_FOUND');
  });

  it('proxies the list with its query', async () => {
    const response = await worker.fetch(
      edgeRequest('/v1/launches?state=TASK_RUNNING&limit=3'),
      edgeEnv(standIn.url),
      ctx,
    );

    expect(response.status).toBe(200);
    const page = (await response.json()) as { launches: Array<{ state: string }> };
    expect(page.launches.every((launch) => launch.state === 'TASK_RUNNING')).toBe(true);
    expect(standIn.backend.listCalls.at(-1)).toEqual({ states: ['TASK_RUNNING'], limit: 3 });
  });

  it('proxies kill and cancel', async () => {
    const request = {
      image: 'x',
      network: 'host' as const,
      ports: [],
      cpus: 0.1,
      mem: 50,
      disk: 0,
      env: {},
      labels: {},
      force_pull_image: false,
    };
    const queued = standIn.backend.add({ request });
    const ended = standIn.backend.add({ request, state: 'TASK_FAILED', terminal: true });
    const env = edgeEnv(standIn.url);

    const cancel = await worker.fetch(
      edgeRequest(`/v1/launches/${queued.id}`, { method: 'DELETE' }),
      env,
      ctx,
    );
    const conflict = await worker.fetch(
      edgeRequest(`/v1/launches/${ended.id}`, { method: 'DELETE' }),
      env,
      ctx,
    );

    expect(cancel.status).toBe(202);
    expect(((await cancel.json()) as { outcome: string }).outcome).toBe('cancelled');
    expect(conflict.status).toBe(409);
  });

  it('proxies readiness and metrics', async () => {
    const env = edgeEnv(standIn.url);

    expect((await worker.fetch(edgeRequest('/readyz'), env, ctx)).status).toBe(200);
    const metrics = await worker.fetch(edgeRequest('/metrics'), env, ctx);
    expect(await metrics.text()).toContain('mesos_launch_redis_up 1');
  });

  it('passes 503 through when the store is down', async () => {
    standIn.backend.available = false;
    try {
      const response = await worker.fetch(edgeRequest('/v1/launches'), edgeEnv(standIn.url), ctx);

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(((await response.json()) as { code: string }).code).toBe('STORE_UNAVAILABLE');
    } finally {
      standIn.backend.available = true;
    }
  });

  it('requires the bearer token', async () => {
    const response = await worker.fetch(
      new Request('https://edge.example/v1/launches', {
        headers: { 'cf-connecting-ip': '198.51.100.7' },
      }),
      edgeEnv(standIn.url),
      ctx,
    );

    expect(response.status).toBe(401);
  });

  it('serves only loopback without tokens', async () => {
    const env = edgeEnv(standIn.url, { API_TOKENS: '' });
    const remote = new Request('https://edge.example/v1/launches', {
      headers: { 'cf-connecting-ip': '198.51.100.7' },
    });

    expect((await worker.fetch(remote, env, ctx)).status).toBe(403);
  });

  it('fails with 502 on a wrong secret', async () => {
    const before = standIn.backend.submissions.length;

    const response = await worker.fetch(
      edgeRequest('/v1/launches', { method: 'POST', body: JSON.stringify(REQUEST) }),
      edgeEnv(standIn.url, { FORWARD_SECRET: 'a-different-secret-0123456789' }),
      ctx,
    );

    expect(response.status).toBe(502);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('FORWARD_FAILED');
    expect(problem.detail).toContain('FORWARD_SECRET');
    expect(standIn.backend.submissions).toHaveLength(before);
  });

  it('fails with 502 when its clock is off', async () => {
    const app = createEdgeApp(edgeEnv(standIn.url), {
      nowSeconds: () => Math.floor(Date.now() / 1000) - 400,
    });

    const response = await app.request('/v1/launches', {
      headers: { authorization: `Bearer ${TOKEN}` },
    });

    expect(response.status).toBe(502);
    expect(((await response.json()) as { detail: string }).detail).toContain(
      "away from this server's clock",
    );
  });

  it('fails with 502 when the Node side is down', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const response = await worker.fetch(
      edgeRequest('/v1/launches'),
      edgeEnv(`http://127.0.0.1:${port}`),
      ctx,
    );

    expect(response.status).toBe(502);
  });

  it('fails with 504 when the Node side hangs', async () => {
    const hanging: Server = createServer(() => undefined);
    hanging.listen(0, '127.0.0.1');
    await once(hanging, 'listening');
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;

    try {
      const app = createEdgeApp(edgeEnv(url), { timeoutMs: 200 });
      const response = await app.request('/v1/launches', {
        headers: { authorization: `Bearer ${TOKEN}` },
      });

      expect(response.status).toBe(504);
      expect(((await response.json()) as { code: string }).code).toBe('FORWARD_TIMEOUT');
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('answers 500 when misconfigured', async () => {
    const env: EdgeEnv = { API_TOKENS: TOKEN, LOG_LEVEL: 'silent' };

    const launches = await worker.fetch(edgeRequest('/v1/launches'), env, ctx);
    const health = await worker.fetch(edgeRequest('/healthz'), env, ctx);

    expect(launches.status).toBe(500);
    const problem = (await launches.json()) as { code: string; detail: string };
    expect(problem.code).toBe('EDGE_MISCONFIGURED');
    expect(problem.detail).toContain('FORWARD_URL');
    expect(problem.detail).toContain('FORWARD_SECRET');
    expect(health.status).toBe(200);
  });
});

describe('internal endpoint', () => {
  const body = JSON.stringify({ request: { image: 'busybox' } });
  const target = '/internal/v1/launches';

  it('accepts a signed submit', async () => {
    const response = await signedRequest(standIn.url, 'POST', target, body);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { created: boolean }).created).toBe(true);
  });

  it('rejects an unsigned request', async () => {
    const response = await fetch(`${standIn.url}${target}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('SIGNATURE_INVALID');
  });

  it('rejects a bad signature', async () => {
    const response = await signedRequest(standIn.url, 'POST', target, body, {
      secret: 'wrong-secret-0123456789',
    });

    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('SIGNATURE_INVALID');
  });

  it('rejects a tampered body', async () => {
    const before = standIn.backend.submissions.length;

    const response = await signedRequest(standIn.url, 'POST', target, body, {
      sentBody: JSON.stringify({ request: { image: 'evil' } }),
    });

    expect(response.status).toBe(401);
    expect(standIn.backend.submissions).toHaveLength(before);
  });

  it('rejects an expired timestamp', async () => {
    const response = await signedRequest(standIn.url, 'POST', target, body, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });

    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('SIGNATURE_EXPIRED');
  });

  it('rejects a replayed submit', async () => {
    const headers = await signedHeaders('POST', target, body);
    const send = (): Promise<Response> =>
      fetch(`${standIn.url}${target}`, { method: 'POST', body, headers });

    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe('SIGNATURE_REPLAYED');
  });

  it('accepts two identical requests with their own nonces', async () => {
    expect((await signedRequest(standIn.url, 'POST', target, body)).status).toBe(200);
    expect((await signedRequest(standIn.url, 'POST', target, body)).status).toBe(200);
  });

  it('allows a repeated signed read', async () => {
    const headers = await signedHeaders('GET', '/internal/v1/ready', '');
    const send = (): Promise<Response> => fetch(`${standIn.url}/internal/v1/ready`, { headers });

    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
  });

  it('validates the forwarded request again', async () => {
    const invalid = JSON.stringify({ request: { image: 'x', network: 'none', ports: [{}] } });

    const response = await signedRequest(standIn.url, 'POST', target, invalid);

    expect(response.status).toBe(400);
  });
});

describe('edge entry with the Node entry', () => {
  const prefix = uniquePrefix('edge-node');
  const keys = redisKeys(prefix);
  const inspector = new Queue<LaunchJobData>(LAUNCH_QUEUE_NAME, {
    connection: createTestRedis(),
    prefix: keys.queuePrefix,
  });
  let node: FunctionServer;

  beforeAll(async () => {
    node = await startFunctionServer(loadConfig({ REDIS_PREFIX: prefix, FORWARD_SECRET: SECRET }), {
      redis: testRedisOptions(),
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
    });
  });

  afterAll(async () => {
    await node.close();
    await inspector.close();
  });

  it('submits, reads and cancels through Redis', async () => {
    const env = edgeEnv(node.url);

    const submitted = await worker.fetch(
      edgeRequest('/v1/launches', { method: 'POST', body: JSON.stringify(REQUEST) }),
      env,
      ctx,
    );
    const { id } = (await submitted.json()) as { id: string };
    const status = await worker.fetch(edgeRequest(`/v1/launches/${id}`), env, ctx);
    const cancelled = await worker.fetch(
      edgeRequest(`/v1/launches/${id}`, { method: 'DELETE' }),
      env,
      ctx,
    );
    const after = await worker.fetch(edgeRequest(`/v1/launches/${id}`), env, ctx);

    expect(submitted.status).toBe(202);
    expect(((await status.json()) as { state: string }).state).toBe('QUEUED');
    expect(cancelled.status).toBe(202);
    expect(((await after.json()) as { state: string }).state).toBe('CANCELLED');
    expect(await inspector.getJob(id)).toBeUndefined();
  });

  it('rejects a replayed signed request', async () => {
    const target = '/internal/v1/launches';
    const body = JSON.stringify({ request: { image: 'busybox' } });
    const headers = await signedHeaders('POST', target, body);
    const send = (): Promise<Response> =>
      fetch(`${node.url}${target}`, { method: 'POST', body, headers });

    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(401);
  });
});
