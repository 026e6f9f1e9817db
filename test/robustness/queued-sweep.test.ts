import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisKeys } from '../../shared/launch/keys.js';
import { createLogger } from '../../shared/logger.js';
import { PendingLaunches } from '../../worker/pending-launches.js';
import { QueuedLaunchSweep } from '../../worker/queued-launch-sweep.js';
import { createTestRedis, testRedisOptions, uniquePrefix } from '../support/redis.js';
import { WorkerHarness, waitForSubscribed } from '../worker/support/harness.js';
import {
  createLaunchQueue,
  createQueuedRecord,
  launchRequest,
  submitLaunch,
} from '../worker/support/launches.js';

const logger = createLogger('test', { level: 'silent' });
const SWEEP_TUNING = { queuedSweepIntervalMs: 100, queuedSweepMinAgeMs: 1_000 };
const minuteAgo = (): Date => new Date(Date.now() - 60_000);

describe('QUEUED launch without a live job', () => {
  let harness: WorkerHarness;

  afterEach(async () => {
    await harness.stop();
  });

  it('runs when its job was never added', async () => {
    harness = await WorkerHarness.start({ contentType: 'protobuf' });
    const id = await createQueuedRecord(harness.redis, harness.keys, launchRequest(), minuteAgo());

    await waitForSubscribed(await harness.startWorker('worker-a', SWEEP_TUNING));
    const running = await harness.waitForState(id, 'TASK_RUNNING');

    expect(running.task_id).toBe(`ml-${id}-a1`);
    expect(harness.emulator.control.tasks()).toHaveLength(1);
  });

  it('runs when its job failed', async () => {
    harness = await WorkerHarness.start({ contentType: 'json' });
    const id = await createQueuedRecord(harness.redis, harness.keys, launchRequest(), minuteAgo());
    await harness.queue.add(
      'launch',
      { launch_id: id, request: launchRequest({ image: 'busybox' }), created_at: 'x' },
      { jobId: id },
    );
    await harness.queue.getJob(id).then((job) => job?.updateData({ launch_id: 'bad' } as never));

    await waitForSubscribed(await harness.startWorker('worker-a', SWEEP_TUNING));
    const running = await harness.waitForState(id, 'TASK_RUNNING');

    expect(running.task_id).toBe(`ml-${id}-a1`);
    expect(harness.emulator.control.tasks()).toHaveLength(1);
  });
});

describe('QueuedLaunchSweep', () => {
  const redis = createTestRedis();
  const keys = redisKeys(uniquePrefix('sweep'));
  const queue = createLaunchQueue(keys);
  const pending = new PendingLaunches();
  const sweep = new QueuedLaunchSweep({
    connection: testRedisOptions(),
    redis,
    keys,
    pending,
    jobAttempts: 3,
    intervalMs: 60_000,
    minAgeMs: 30_000,
    logger,
  });

  afterAll(async () => {
    await sweep.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
  });

  it('adds a missing job once, from the record', async () => {
    const id = await createQueuedRecord(redis, keys, launchRequest({ cpus: 0.5 }), minuteAgo());

    const first = await sweep.sweep();
    const second = await sweep.sweep();
    const job = await queue.getJob(id);

    expect(first).toContain(id);
    expect(second).not.toContain(id);
    expect(job?.data.request.cpus).toBe(0.5);
    expect(job?.opts.attempts).toBe(3);
  });

  it('leaves young, waiting and cancelled launches alone', async () => {
    const young = await createQueuedRecord(redis, keys, launchRequest());
    const waiting = await submitLaunch(redis, keys, queue, {}, { pause: true });
    await redis.hset(keys.launch(waiting), 'updated_at', minuteAgo().toISOString());
    const killed = await createQueuedRecord(redis, keys, launchRequest(), minuteAgo());
    await redis.hset(keys.launch(killed), 'kill_requested', '1');

    const requeued = await sweep.sweep();

    expect(requeued).not.toContain(young);
    expect(requeued).not.toContain(waiting);
    expect(requeued).not.toContain(killed);
    expect(await queue.getJobState(young)).toBe('unknown');
  });
});
