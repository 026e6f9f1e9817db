import type { JobsOptions } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaunchQueue } from '../../functions/node/launch-queue.js';
import type { FunctionMetrics } from '../../functions/node/metrics.js';
import { createRedisBackend } from '../../functions/node/redis-backend.js';
import { redisKeys } from '../../shared/launch/keys.js';
import { LaunchStore, type LaunchJobQueue } from '../../shared/launch/store.js';
import type { LaunchJobData } from '../../shared/launch/types.js';
import { createTestRedis, uniquePrefix } from '../support/redis.js';
import { launchRequest, waitFor } from '../worker/support/launches.js';

const ADD_DELAY_MS = 300;

/** Resolves with the error a promise rejects with, and fails if it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (!result) {
    throw new Error('expected a failure');
  }

  return result;
}

describe('a create that outlives its time limit', () => {
  const redis = createTestRedis();
  const keys = redisKeys(uniquePrefix('store-timeout'));
  const queue = new LaunchQueue(redis, keys.queuePrefix);
  const metrics = { countSubmission: () => undefined } as unknown as FunctionMetrics;

  /** Adds jobs only after the store gave up waiting, as a Redis that stalls for a while does. */
  const lateQueue: LaunchJobQueue = {
    add: async (name: string, data: LaunchJobData, options: JobsOptions) => {
      await new Promise((resolve) => setTimeout(resolve, ADD_DELAY_MS));
      return queue.add(name, data, options);
    },
    remove: (id) => queue.remove(id),
    getJob: (id) => queue.getJob(id),
  };

  function backend(addQueue: LaunchJobQueue) {
    const store = new LaunchStore({ redis, keys, queue: addQueue, operationTimeoutMs: 50 });
    return createRedisBackend(store, metrics);
  }

  beforeAll(async () => {
    await redis.ping();
  });

  afterAll(async () => {
    await queue.close();
    await redis.quit();
  });

  it('answers 503 with retry advice, and the same key finds the launch', async () => {
    const input = { request: launchRequest(), requestSha256: 'a'.repeat(64), idempotencyKey: 'k1' };

    const failure = await failureOf(backend(lateQueue).submitLaunch(input));
    const queued = await waitFor(async () => {
      const ids = await redis.zrange(keys.launchesByCreation, 0, -1);
      return ids.length === 1 && (await queue.getJob(ids[0] ?? '')) ? ids[0] : undefined;
    }, 'the late job');
    const retry = await backend(queue).submitLaunch(input);

    expect(failure.message).toMatch(/timed out.+may have been queued.+same Idempotency-Key/);
    expect(retry).toEqual({ id: queued, state: 'QUEUED', created: false });
  });

  it('advises a key when the request had none', async () => {
    const failure = await failureOf(backend(lateQueue).submitLaunch({ request: launchRequest() }));

    expect(failure.message).toMatch(/send an Idempotency-Key header/);
  });
});
