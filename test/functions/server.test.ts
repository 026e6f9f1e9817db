import { Queue } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFunctionServer, type FunctionServer } from '../../functions/node/server.js';
import { loadConfig } from '../../shared/config.js';
import { startEmbeddedRedis } from '../../shared/embedded-redis.js';
import { LAUNCH_QUEUE_NAME, redisKeys } from '../../shared/launch/keys.js';
import type { LaunchJobData } from '../../shared/launch/types.js';
import { createTestRedis, testRedisOptions, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('function-server');
const keys = redisKeys(prefix);
const silent = pino({ level: 'silent' });
const redis = createTestRedis();
const subscriber = createTestRedis();
const inspector = new Queue<LaunchJobData>(LAUNCH_QUEUE_NAME, {
  connection: createTestRedis(),
  prefix: keys.queuePrefix,
});
const statusMessages: string[] = [];
let server: FunctionServer;

const REQUEST = {
  image: 'ugistry.ucloud.cn/library/centos:6.6',
  network: 'bridge',
  ports: [{ container_port: 8888 }],
  command: 'python -m SimpleHTTPServer 8888',
};

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/v1/launches`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
}

beforeAll(async () => {
  subscriber.on('message', (_channel: string, message: string) => statusMessages.push(message));
  await subscriber.subscribe(keys.statusChannel);
  server = await startFunctionServer(loadConfig({ REDIS_PREFIX: prefix }), {
    redis: testRedisOptions(),
    port: 0,
    host: '127.0.0.1',
    logger: silent,
  });
});

afterAll(async () => {
  await server.close();
  await inspector.close();
  await subscriber.quit();
  await redis.quit();
});

describe('function server with Redis and BullMQ', () => {
  let launchId = '';

  it('queues a launch and its job', async () => {
    const response = await post(REQUEST, { 'idempotency-key': 'hook-1' });

    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; state: string; status_url: string };
    expect(body.state).toBe('QUEUED');
    expect(response.headers.get('location')).toBe(`${server.url}/v1/launches/${body.id}`);
    launchId = body.id;

    const job = await inspector.getJob(launchId);
    expect(job?.id).toBe(launchId);
    expect(job?.name).toBe('launch');
    expect(job?.data.launch_id).toBe(launchId);
    expect(job?.data.request.ports).toEqual([{ container_port: 8888, protocol: 'tcp' }]);
    expect(job?.opts.attempts).toBe(3);
  });

  it('reads the launch status', async () => {
    const response = await fetch(`${server.url}/v1/launches/${launchId}`);

    expect(response.status).toBe(200);
    const status = (await response.json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      id: launchId,
      state: 'QUEUED',
      terminal: false,
      network: 'bridge',
      network_name: null,
      task_id: null,
      ip_addresses: [],
      ports: [],
    });
    expect((status.request as { image: string }).image).toBe(REQUEST.image);
    expect(status.history).toHaveLength(1);
  });

  it('returns the launch for a repeated key', async () => {
    const response = await post(REQUEST, { 'idempotency-key': 'hook-1' });

    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(launchId);
    expect(await redis.zcard(keys.launchesByCreation)).toBe(1);
  });

  it('rejects a changed body with 422', async () => {
    const response = await post({ ...REQUEST, cpus: 1 }, { 'idempotency-key': 'hook-1' });

    expect(response.status).toBe(422);
    expect(((await response.json()) as { code: string }).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('cancels the queued launch', async () => {
    const response = await fetch(`${server.url}/v1/launches/${launchId}`, { method: 'DELETE' });

    expect(response.status).toBe(202);
    expect(((await response.json()) as { outcome: string }).outcome).toBe('cancelled');
    const status = (await (await fetch(`${server.url}/v1/launches/${launchId}`)).json()) as {
      state: string;
      terminal: boolean;
    };
    expect(status.state).toBe('CANCELLED');
    expect(status.terminal).toBe(true);
    expect(await inspector.getJob(launchId)).toBeUndefined();
    expect(await redis.sismember(keys.activeLaunches, launchId)).toBe(0);
    await expect
      .poll(() => statusMessages.some((message) => message.includes('CANCELLED')))
      .toBe(true);
  });

  it('answers 409 for a second kill', async () => {
    const response = await fetch(`${server.url}/v1/launches/${launchId}`, { method: 'DELETE' });

    expect(response.status).toBe(409);
  });

  it('creates one launch for concurrent requests with one key', async () => {
    const before = await redis.zcard(keys.launchesByCreation);

    const responses = await Promise.all(
      Array.from({ length: 25 }, () => post(REQUEST, { 'idempotency-key': 'burst-7' })),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(24);
    const ids = await Promise.all(
      responses.map(async (response) => ((await response.json()) as { id: string }).id),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await redis.zcard(keys.launchesByCreation)).toBe(before + 1);
    expect((await inspector.getJob(ids[0] ?? ''))?.id).toBe(ids[0]);
  });

  it('lists launches newest first', async () => {
    const created = await post({ image: 'busybox' });
    const newest = ((await created.json()) as { id: string }).id;

    const page = (await (await fetch(`${server.url}/v1/launches?limit=1`)).json()) as {
      launches: Array<{ id: string }>;
      next_cursor: string | null;
    };
    const rest = (await (
      await fetch(`${server.url}/v1/launches?limit=10&cursor=${page.next_cursor ?? ''}`)
    ).json()) as { launches: Array<{ id: string }>; next_cursor: string | null };

    expect(page.launches.map((launch) => launch.id)).toEqual([newest]);
    expect(rest.launches).toHaveLength(2);
    expect(rest.next_cursor).toBeNull();
  });

  it('filters the list by state', async () => {
    const response = await fetch(`${server.url}/v1/launches?state=CANCELLED`);
    const page = (await response.json()) as { launches: Array<{ id: string; state: string }> };

    expect(page.launches.map((launch) => launch.id)).toEqual([launchId]);
  });

  it('requests the kill of a launching task', async () => {
    const created = (await (await post({ image: 'busybox' })).json()) as { id: string };
    await redis.hset(keys.launch(created.id), 'state', 'LAUNCHING');

    const response = await fetch(`${server.url}/v1/launches/${created.id}`, { method: 'DELETE' });

    expect(response.status).toBe(202);
    expect(((await response.json()) as { outcome: string }).outcome).toBe('kill_requested');
    expect(await redis.hget(keys.launch(created.id), 'kill_requested')).toBe('1');
  });

  it('reports readiness and metrics', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();

    expect(ready.status).toBe(200);
    expect(metrics).toContain('mesos_launch_redis_up 1');
    expect(metrics).toMatch(/mesos_launch_queue_jobs\{state="waiting"\} \d+/);
    expect(metrics).toMatch(/mesos_launch_active_launches\{state="QUEUED"\} \d+/);
    expect(metrics).toMatch(
      /mesos_launch_http_requests_total\{method="POST",route="\/v1\/launches",status="202"\} \d+/,
    );
  });

  it('keeps the internal endpoint off without a secret', async () => {
    const response = await fetch(`${server.url}/internal/v1/ready`);

    expect(response.status).toBe(404);
  });
});

describe('function server without Redis', () => {
  it('answers 503 once Redis stops', { timeout: 20_000 }, async () => {
    const privateRedis = await startEmbeddedRedis();
    const running = await startFunctionServer(
      loadConfig({ REDIS_PREFIX: uniquePrefix('stopped') }),
      {
        redis: { path: privateRedis.socketPath },
        port: 0,
        host: '127.0.0.1',
        logger: silent,
        redisTimeoutMs: 500,
      },
    );

    try {
      expect(
        (
          await fetch(`${running.url}/v1/launches`, {
            method: 'POST',
            body: JSON.stringify(REQUEST),
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(202);

      await privateRedis.stop();

      const submit = await fetch(`${running.url}/v1/launches`, {
        method: 'POST',
        body: JSON.stringify(REQUEST),
        headers: { 'content-type': 'application/json' },
      });
      expect(submit.status).toBe(503);
      expect(((await submit.json()) as { code: string }).code).toBe('STORE_UNAVAILABLE');
      expect((await fetch(`${running.url}/v1/launches`)).status).toBe(503);
      expect((await fetch(`${running.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${running.url}/metrics`)).text()).toContain(
        'mesos_launch_redis_up 0',
      );
    } finally {
      await running.close();
    }
  });

  it('starts and answers 503 when Redis is unreachable', { timeout: 20_000 }, async () => {
    const running = await startFunctionServer(
      loadConfig({ REDIS_PREFIX: uniquePrefix('unreachable') }),
      {
        redis: { path: '/nonexistent/mesos-launch/redis.sock' },
        port: 0,
        host: '127.0.0.1',
        logger: silent,
        redisTimeoutMs: 300,
      },
    );

    try {
      const submit = await fetch(`${running.url}/v1/launches`, {
        method: 'POST',
        body: JSON.stringify(REQUEST),
        headers: { 'content-type': 'application/json' },
      });
      expect(submit.status).toBe(503);
      expect(submit.headers.get('retry-after')).toBe('1');
      expect((await fetch(`${running.url}/readyz`)).status).toBe(503);
    } finally {
      await running.close();
    }
  });
});
