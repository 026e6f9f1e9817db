import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { newLaunchId } from '../../../shared/launch/ids.js';
import { LAUNCH_QUEUE_NAME, type RedisKeys } from '../../../shared/launch/keys.js';
import { parseLaunchRequest } from '../../../shared/launch/schema.js';
import type { HistoryEntry, LaunchJobData, LaunchRequest } from '../../../shared/launch/types.js';
import { testRedisOptions } from '../../support/redis.js';

/** Applies the schema defaults to a partial request body, as the function does. */
export function launchRequest(body: Record<string, unknown> = {}): LaunchRequest {
  const parsed = parseLaunchRequest({ image: 'busybox', command: 'sleep 3600', ...body });
  if (!parsed.ok) {
    throw new Error(`invalid test request: ${JSON.stringify(parsed.invalidFields)}`);
  }

  return parsed.request;
}

/** Writes a QUEUED launch record the way the HTTP side stores one; returns its id. */
export async function createQueuedRecord(
  redis: Redis,
  keys: RedisKeys,
  request: LaunchRequest,
  createdAt = new Date(),
): Promise<string> {
  const id = newLaunchId();
  const createdAtIso = createdAt.toISOString();
  const entry: HistoryEntry = {
    state: 'QUEUED',
    timestamp: createdAtIso,
    source: null,
    reason: null,
    message: null,
    task_id: null,
  };

  await redis
    .multi()
    .hset(keys.launch(id), {
      id,
      state: 'QUEUED',
      network: request.network,
      request: JSON.stringify(request),
      ports: '[]',
      ip_addresses: '[]',
      attempt: '0',
      terminal: '0',
      kill_requested: '0',
      ever_running: '0',
      job_id: id,
      created_at: createdAtIso,
      updated_at: createdAtIso,
    })
    .rpush(keys.history(id), JSON.stringify(entry))
    .zadd(keys.launchesByCreation, createdAt.getTime(), id)
    .sadd(keys.activeLaunches, id)
    .exec();

  return id;
}

/** Creates a BullMQ producer for the launch queue under `keys.queuePrefix`. */
export function createLaunchQueue(keys: RedisKeys): Queue<LaunchJobData> {
  return new Queue<LaunchJobData>(LAUNCH_QUEUE_NAME, {
    connection: testRedisOptions() as ConnectionOptions,
    prefix: keys.queuePrefix,
  });
}

/**
 * Stores a QUEUED record and adds its job, as `POST /v1/launches` does. With `pause` the queue
 * is paused first, so the caller can change the record before a worker takes the job.
 */
export async function submitLaunch(
  redis: Redis,
  keys: RedisKeys,
  queue: Queue<LaunchJobData>,
  body: Record<string, unknown> = {},
  options: { pause?: boolean } = {},
): Promise<string> {
  if (options.pause) {
    await queue.pause();
  }

  const request = launchRequest(body);
  const createdAt = new Date();
  const id = await createQueuedRecord(redis, keys, request, createdAt);
  await queue.add(
    'launch',
    { launch_id: id, request, created_at: createdAt.toISOString() },
    { jobId: id, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
  );
  return id;
}

/** Reads a launch HASH and its history. */
export async function readRecord(
  redis: Redis,
  keys: RedisKeys,
  id: string,
): Promise<{ hash: Record<string, string>; history: HistoryEntry[] }> {
  const [hash, history] = await Promise.all([
    redis.hgetall(keys.launch(id)),
    redis.lrange(keys.history(id), 0, -1),
  ]);
  return { hash, history: history.map((line) => JSON.parse(line) as HistoryEntry) };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
