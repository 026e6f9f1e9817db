import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logger.js';
import { WorkerLease } from '../../worker/lease.js';
import { createTestRedis, uniquePrefix } from '../support/redis.js';

const logger = createLogger('test', { level: 'silent' });

describe('WorkerLease', () => {
  const redis = createTestRedis();

  afterAll(async () => {
    await redis.quit();
  });

  function lease(key: string, holderId: string, ttlMs = 600): WorkerLease {
    return new WorkerLease({ redis, key, holderId, ttlMs, renewIntervalMs: 50, logger });
  }

  it('lets one holder in and hands over on stop', async () => {
    const key = `${uniquePrefix('lease')}:lease`;
    const first = lease(key, 'worker-a');
    const second = lease(key, 'worker-b');

    first.start();
    await once(first, 'acquired');
    second.start();
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(first.held).toBe(true);
    expect(second.held).toBe(false);
    expect(await redis.get(key)).toBe('worker-a');

    const secondAcquired = once(second, 'acquired');
    await first.stop();
    await secondAcquired;

    expect(second.held).toBe(true);
    expect(await redis.get(key)).toBe('worker-b');
    await second.stop();
    expect(await redis.get(key)).toBeNull();
  });

  it('keeps the lease alive past its ttl', async () => {
    const key = `${uniquePrefix('lease')}:lease`;
    const holder = lease(key, 'worker-a', 200);

    holder.start();
    await once(holder, 'acquired');
    await new Promise((resolve) => setTimeout(resolve, 700));

    expect(holder.held).toBe(true);
    expect(await redis.get(key)).toBe('worker-a');
    await holder.stop();
  });

  it('reports lost when another id takes the key', async () => {
    const key = `${uniquePrefix('lease')}:lease`;
    const holder = lease(key, 'worker-a');

    holder.start();
    await once(holder, 'acquired');
    await redis.set(key, 'intruder', 'PX', 60_000);
    const [reason] = (await once(holder, 'lost')) as [string];

    expect(reason).toMatch(/another worker/);
    expect(holder.held).toBe(false);
    await holder.stop();
    expect(await redis.get(key)).toBe('intruder');
  });

  it('takes over a lapsed lease', async () => {
    const key = `${uniquePrefix('lease')}:lease`;
    await redis.set(key, 'crashed-worker', 'PX', 200);
    const standby = lease(key, 'worker-b');

    standby.start();
    await once(standby, 'acquired');

    expect(await redis.get(key)).toBe('worker-b');
    await standby.stop();
  });
});
