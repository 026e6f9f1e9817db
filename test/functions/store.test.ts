import { Queue, Worker, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaunchQueue } from '../../functions/node/launch-queue.js';
import { LAUNCH_QUEUE_NAME, redisKeys } from '../../shared/launch/keys.js';
import { parseLaunchRequest } from '../../shared/launch/schema.js';
import {
  IdempotencyConflictError,
  InvalidCursorError,
  LaunchCreationPendingError,
  LaunchNotFoundError,
  LaunchTerminalError,
  StoreUnavailableError,
} from '../../shared/launch/store-errors.js';
import { LaunchStore, type LaunchJobQueue } from '../../shared/launch/store.js';
import type { LaunchJobData, LaunchRequest } from '../../shared/launch/types.js';
import { createTestRedis, testRedisOptions, uniquePrefix } from '../support/redis.js';

const keys = redisKeys(uniquePrefix('store'));
const redis = createTestRedis();
const subscriber = createTestRedis();
const inspector = new Queue<LaunchJobData>(LAUNCH_QUEUE_NAME, {
  connection: createTestRedis(),
  prefix: keys.queuePrefix,
});
const queue = new LaunchQueue(redis, keys.queuePrefix);
const messages: Array<{ channel: string; message: string }> = [];

function request(body: Record<string, unknown> = {}): LaunchRequest {
  const parsed = parseLaunchRequest({ image: 'busybox', command: 'sleep 60', ...body });
  if (!parsed.ok) {
    throw new Error(JSON.stringify(parsed.invalidFields));
  }
  return parsed.request;
}

function createStore(jobQueue: LaunchJobQueue = queue, pendingWaitMs = 2_000): LaunchStore {
  return new LaunchStore({ redis, keys, queue: jobQueue, pendingWaitMs });
}

/** Wraps the queue so that add waits `delayMs`, then fails or passes the call on. */
function slowQueue(delayMs: number, fail: () => boolean): LaunchJobQueue {
  return {
    add: async (name: string, data: LaunchJobData, options: JobsOptions) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (fail()) {
        throw new Error('queue add failed');
      }
      return queue.add(name, data, options);
    },
    remove: (id) => queue.remove(id),
    getJob: (id) => queue.getJob(id),
  };
}

beforeAll(async () => {
  subscriber.on('message', (channel: string, message: string) =>
    messages.push({ channel, message }),
  );
  await subscriber.subscribe(keys.statusChannel, keys.killChannel);
  await redis.ping();
});

afterAll(async () => {
  await queue.close();
  await inspector.close();
  await subscriber.quit();
  await redis.quit();
});

describe('launch store create', () => {
  it('writes the record layout', async () => {
    const store = createStore();

    const result = await store.createLaunch({ request: request(), requestSha256: 'a'.repeat(64) });

    expect(result.created).toBe(true);
    const hash = await redis.hgetall(keys.launch(result.id));
    expect(hash).toMatchObject({
      id: result.id,
      state: 'QUEUED',
      terminal: '0',
      network: 'host',
      attempt: '0',
      ports: '[]',
      ip_addresses: '[]',
      kill_requested: '0',
      ever_running: '0',
    });
    expect(hash.job_id).toBeUndefined();
    expect(JSON.parse(hash.request ?? '')).toEqual(request());
    expect(hash.created_at).toBe(hash.updated_at);
    const score = await redis.zscore(keys.launchesByCreation, result.id);
    expect(Number(score)).toBe(Date.parse(hash.created_at ?? ''));
    expect(await redis.sismember(keys.activeLaunches, result.id)).toBe(1);
    const history = await redis.lrange(keys.history(result.id), 0, -1);
    expect(history.map((entry) => JSON.parse(entry) as { state: string })).toMatchObject([
      { state: 'QUEUED' },
    ]);
  });

  it('marks the job of a keyed launch', async () => {
    const store = createStore();

    const result = await store.createLaunch({
      request: request(),
      requestSha256: 'a'.repeat(64),
      idempotencyKey: 'marked-job',
    });

    expect(await redis.hget(keys.launch(result.id), 'job_id')).toBe(result.id);
  });

  it('adds the job with the launch id', async () => {
    const store = createStore();

    const result = await store.createLaunch({ request: request(), requestSha256: 'b'.repeat(64) });

    const job = await inspector.getJob(result.id);
    expect(job?.id).toBe(result.id);
    expect(job?.name).toBe('launch');
    expect(job?.data.launch_id).toBe(result.id);
    expect(job?.data.request).toEqual(request());
  });

  it('publishes the QUEUED state', async () => {
    const store = createStore();

    const result = await store.createLaunch({ request: request(), requestSha256: 'c'.repeat(64) });

    await expect.poll(() => messages.some((entry) => entry.message.includes(result.id))).toBe(true);
    const message = messages.find((entry) => entry.message.includes(result.id));
    expect(message?.channel).toBe(keys.statusChannel);
    expect(JSON.parse(message?.message ?? '')).toMatchObject({
      id: result.id,
      state: 'QUEUED',
      task_id: null,
    });
  });

  it('deletes the record when the job fails', async () => {
    const store = createStore(slowQueue(0, () => true));
    const before = await redis.zcard(keys.launchesByCreation);

    const attempt = store.createLaunch({
      request: request(),
      requestSha256: 'd'.repeat(64),
      idempotencyKey: 'rollback',
    });

    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await redis.zcard(keys.launchesByCreation)).toBe(before);
    expect(await redis.exists(keys.idempotency('rollback'))).toBe(0);
  });

  it('returns the launch for a reused key', async () => {
    const store = createStore();
    const input = { request: request(), requestSha256: 'e'.repeat(64), idempotencyKey: 'reuse' };

    const first = await store.createLaunch(input);
    const second = await store.createLaunch(input);

    expect(second).toEqual({ id: first.id, state: 'QUEUED', created: false });
    expect(await redis.ttl(keys.idempotency('reuse'))).toBeGreaterThan(86_000);
  });

  it('rejects a reused key with another body', async () => {
    const store = createStore();
    await store.createLaunch({
      request: request(),
      requestSha256: 'f'.repeat(64),
      idempotencyKey: 'conflict',
    });

    const attempt = store.createLaunch({
      request: request(),
      requestSha256: '0'.repeat(64),
      idempotencyKey: 'conflict',
    });

    await expect(attempt).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  it('waits for a concurrent creator to queue', async () => {
    const slowStore = createStore(slowQueue(150, () => false));
    const input = {
      request: request(),
      requestSha256: '1'.repeat(64),
      idempotencyKey: 'concurrent',
    };

    const first = slowStore.createLaunch(input);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await createStore().createLaunch(input);

    expect(second.created).toBe(false);
    expect(await redis.hget(keys.launch(second.id), 'job_id')).toBe(second.id);
    expect((await first).id).toBe(second.id);
  });

  it('creates anew after a concurrent rollback', async () => {
    const failingStore = createStore(slowQueue(150, () => true));
    const input = {
      request: request(),
      requestSha256: '2'.repeat(64),
      idempotencyKey: 'retry-after-rollback',
    };

    const first = failingStore.createLaunch(input).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await createStore().createLaunch(input);

    expect(await first).toBeInstanceOf(StoreUnavailableError);
    expect(second.created).toBe(true);
    expect(await inspector.getJob(second.id)).toBeDefined();
  });

  it('answers pending for a fresh record without a job', async () => {
    const store = createStore(queue, 50);
    const input = { request: request(), requestSha256: '3'.repeat(64), idempotencyKey: 'pending' };
    const created = await store.createLaunch(input);
    await redis.hdel(keys.launch(created.id), 'job_id');

    await expect(store.createLaunch(input)).rejects.toBeInstanceOf(LaunchCreationPendingError);
  });

  it('queues an abandoned record again', async () => {
    const store = createStore(queue, 50);
    const input = {
      request: request(),
      requestSha256: '4'.repeat(64),
      idempotencyKey: 'abandoned',
    };
    const created = await store.createLaunch(input);
    await inspector.remove(created.id);
    await redis.hdel(keys.launch(created.id), 'job_id');
    await redis.hset(
      keys.launch(created.id),
      'created_at',
      new Date(Date.now() - 60_000).toISOString(),
    );

    const again = await store.createLaunch(input);

    expect(again).toEqual({ id: created.id, state: 'QUEUED', created: false });
    expect((await inspector.getJob(created.id))?.data.launch_id).toBe(created.id);
    expect(await redis.hget(keys.launch(created.id), 'job_id')).toBe(created.id);
  });
});

describe('launch store read and list', () => {
  const listKeys = redisKeys(uniquePrefix('store-list'));
  const listQueue = new LaunchQueue(redis, listKeys.queuePrefix);
  const store = new LaunchStore({ redis, keys: listKeys, queue: listQueue });
  const ids: string[] = [];

  beforeAll(async () => {
    for (let index = 0; index < 7; index += 1) {
      ids.push(
        (await store.createLaunch({ request: request(), requestSha256: String(index).repeat(64) }))
          .id,
      );
    }
    // Distinct creation times for the first four, and one millisecond for the last three, so
    // that paging crosses ties.
    const base = Date.now();
    for (const [index, id] of ids.entries()) {
      await redis.zadd(listKeys.launchesByCreation, base + Math.min(index, 4), id);
    }
    await redis.hset(listKeys.launch(ids[1] ?? ''), 'state', 'TASK_RUNNING');
    await redis.hset(listKeys.launch(ids[3] ?? ''), 'state', 'TASK_RUNNING');
  });

  afterAll(async () => {
    await listQueue.close();
  });

  it('reads a launch as a status', async () => {
    const status = await store.readLaunch(ids[0] ?? '');

    expect(status?.id).toBe(ids[0]);
    expect(status?.state).toBe('QUEUED');
    expect(status?.history).toHaveLength(1);
    expect(status?.request).toEqual(request());
  });

  it('reads an unknown id as undefined', async () => {
    expect(await store.readLaunch('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('pages newest first without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;

    for (let page = 0; page < 10; page += 1) {
      const result = await store.listLaunches({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...result.launches.map((launch) => launch.id));
      if (result.next_cursor === null) {
        break;
      }
      expect(result.launches).toHaveLength(2);
      cursor = result.next_cursor;
    }

    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const tied = [...ids.slice(4)].sort().reverse();
    expect(seen.slice(0, 3)).toEqual(tied);
    expect(seen.slice(3)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
  });

  it('ends with a null cursor', async () => {
    const result = await store.listLaunches({ limit: 7 });

    expect(result.launches).toHaveLength(7);
    expect(result.next_cursor).toBeNull();
  });

  it('filters by state', async () => {
    const first = await store.listLaunches({ limit: 1, states: ['TASK_RUNNING'] });
    const second = await store.listLaunches({
      limit: 1,
      states: ['TASK_RUNNING'],
      cursor: first.next_cursor ?? '',
    });

    expect(first.launches.map((launch) => launch.id)).toEqual([ids[3]]);
    expect(second.launches.map((launch) => launch.id)).toEqual([ids[1]]);
    expect(second.next_cursor).toBeNull();
  });

  it('rejects a forged cursor', async () => {
    const forged = Buffer.from('12:not-an-id').toString('base64url');

    await expect(store.listLaunches({ limit: 1, cursor: forged })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('counts active launches by state', async () => {
    expect(await store.countActiveByState()).toEqual({ QUEUED: 5, TASK_RUNNING: 2 });
    expect(await store.countLaunches()).toBe(7);
  });
});

describe('launch store kill', () => {
  const store = createStore();

  it('cancels a queued launch', async () => {
    const { id } = await store.createLaunch({ request: request(), requestSha256: '5'.repeat(64) });

    const result = await store.killLaunch(id);

    expect(result).toEqual({ id, outcome: 'cancelled', state: 'CANCELLED' });
    const status = await store.readLaunch(id);
    expect(status?.state).toBe('CANCELLED');
    expect(status?.terminal).toBe(true);
    expect(status?.history.map((entry) => entry.state)).toEqual(['QUEUED', 'CANCELLED']);
    expect(await redis.sismember(keys.activeLaunches, id)).toBe(0);
    expect(await inspector.getJob(id)).toBeUndefined();
    await expect
      .poll(() =>
        messages.some((entry) => entry.message.includes(id) && entry.message.includes('CANCELLED')),
      )
      .toBe(true);
    await expect
      .poll(() =>
        messages.some((entry) => entry.channel === keys.killChannel && entry.message === id),
      )
      .toBe(true);
  });

  it('cancels a launch whose job a worker holds', async () => {
    const heldKeys = redisKeys(uniquePrefix('store-held'));
    const heldQueue = new LaunchQueue(redis, heldKeys.queuePrefix);
    const heldInspector = new Queue<LaunchJobData>(LAUNCH_QUEUE_NAME, {
      connection: redis,
      prefix: heldKeys.queuePrefix,
    });
    const heldStore = new LaunchStore({ redis, keys: heldKeys, queue: heldQueue });
    const workerRedis = new Redis(testRedisOptions({ maxRetriesPerRequest: null }));
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const worker = new Worker<LaunchJobData>(LAUNCH_QUEUE_NAME, () => held, {
      connection: workerRedis,
      prefix: heldKeys.queuePrefix,
    });
    const { id } = await heldStore.createLaunch({
      request: request(),
      requestSha256: '6'.repeat(64),
    });
    await expect.poll(async () => (await heldInspector.getJob(id))?.isActive()).toBe(true);

    const result = await heldStore.killLaunch(id);

    expect(result.outcome).toBe('cancelled');
    expect((await heldStore.readLaunch(id))?.state).toBe('CANCELLED');
    expect(await heldInspector.getJob(id)).toBeDefined();
    release();
    await worker.close();
    await workerRedis.quit();
    await heldInspector.close();
    await heldQueue.close();
  });

  it('requests the kill of a started launch', async () => {
    const { id } = await store.createLaunch({ request: request(), requestSha256: '7'.repeat(64) });
    await redis.hset(keys.launch(id), 'state', 'LAUNCHING');

    const result = await store.killLaunch(id);

    expect(result).toEqual({ id, outcome: 'kill_requested', state: 'LAUNCHING' });
    expect(await redis.hget(keys.launch(id), 'kill_requested')).toBe('1');
    await expect
      .poll(() =>
        messages.some((entry) => entry.channel === keys.killChannel && entry.message === id),
      )
      .toBe(true);
  });

  it('rejects an ended launch', async () => {
    const { id } = await store.createLaunch({ request: request(), requestSha256: '8'.repeat(64) });
    await redis.hset(keys.launch(id), 'state', 'TASK_FINISHED', 'terminal', '1');

    await expect(store.killLaunch(id)).rejects.toBeInstanceOf(LaunchTerminalError);
  });

  it('rejects an unknown launch', async () => {
    await expect(store.killLaunch('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      LaunchNotFoundError,
    );
  });
});

describe('launch store without Redis', () => {
  it('fails at once while disconnected', async () => {
    const offline = new Redis(testRedisOptions({ lazyConnect: true }));
    const store = new LaunchStore({ redis: offline, keys, queue });

    await expect(store.readLaunch('x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(
      store.createLaunch({ request: request(), requestSha256: '9'.repeat(64) }),
    ).rejects.toThrow(/Redis is not connected/);
    offline.disconnect();
  });
});
