import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LAUNCH_JOB_NAME, redisKeys } from '../../shared/launch/keys.js';
import { IntakeLanes } from '../../worker/intake-lanes.js';
import { testRedisOptions, uniquePrefix } from '../support/redis.js';
import { createLaunchQueue, waitFor } from './support/launches.js';

const MAX_HELD = 10;
const JOBS = 30;

describe('IntakeLanes', () => {
  const keys = redisKeys(uniquePrefix('intake-lanes'));
  const queue = createLaunchQueue(keys);
  const errors: Error[] = [];
  let lanes: IntakeLanes<string> | undefined;

  afterEach(async () => {
    await lanes?.close();
    await queue.obliterate({ force: true });
  });

  afterAll(async () => {
    await queue.close();
  });

  /** Starts lanes whose processor holds each job until `release` is called. */
  function startHolding(): { held: Set<string>; release: () => void } {
    const held = new Set<string>();
    let waiters: Array<() => void> = [];
    lanes = new IntakeLanes<string>({
      connection: testRedisOptions(),
      prefix: keys.queuePrefix,
      lanes: 4,
      maxHeld: MAX_HELD,
      process: async (job) => {
        held.add(job.id ?? '');
        await new Promise<void>((resolve) => waiters.push(resolve));
        held.delete(job.id ?? '');
        return 'done';
      },
      onError: (error) => errors.push(error),
      onLockRenewalFailed: () => undefined,
    });
    lanes.run((error) => errors.push(error as Error));

    const release = (): void => {
      const released = waiters;
      waiters = [];
      released.forEach((resolve) => resolve());
    };
    return { held, release };
  }

  async function addJobs(count: number): Promise<void> {
    for (let index = 0; index < count; index += 1) {
      const data = { launch_id: `job-${index}`, request: {}, created_at: '' };
      await queue.add(LAUNCH_JOB_NAME, data as never, { jobId: `job-${index}` });
    }
  }

  it('holds no more than the limit', async () => {
    const { held, release } = startHolding();
    await addJobs(JOBS);

    await waitFor(() => (held.size === MAX_HELD ? true : undefined), 'lanes to fill up');
    const counts = await queue.getJobCounts('active', 'waiting');
    expect(counts.active).toBe(MAX_HELD);
    expect(counts.waiting).toBe(JOBS - MAX_HELD);

    const completed = waitFor(async () => {
      release();
      const done = await queue.getJobCounts('completed');
      return done.completed === JOBS ? true : undefined;
    }, 'every job to complete');
    await completed;
    expect(errors).toEqual([]);
  });
});
