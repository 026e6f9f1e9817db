import type { Job } from 'bullmq';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redisKeys } from '../../shared/launch/keys.js';
import { createLogger } from '../../shared/logger.js';
import { LaunchExpiry } from '../../worker/expiry.js';
import { LaunchIntake } from '../../worker/launch-intake.js';
import { LaunchResolver } from '../../worker/launch-resolver.js';
import { WorkerMetrics } from '../../worker/metrics.js';
import { PendingLaunches } from '../../worker/pending-launches.js';
import { createTestRedis, testRedisOptions, uniquePrefix } from '../support/redis.js';
import {
  createLaunchQueue,
  launchRequest,
  readRecord,
  submitLaunch,
  waitFor,
} from './support/launches.js';

const logger = createLogger('test', { level: 'silent' });

describe('LaunchIntake', () => {
  const redis = createTestRedis({ enableAutoPipelining: true });
  const keys = redisKeys(uniquePrefix('intake'));
  const queue = createLaunchQueue(keys);
  let pending: PendingLaunches;
  let intake: LaunchIntake;

  beforeEach(() => {
    pending = new PendingLaunches('mesos-launch');
    pending.open();
    const metrics = new WorkerMetrics({
      leaseHeld: () => true,
      subscribed: () => true,
      secondsSinceHeartbeat: () => 0,
      pendingLaunches: () => pending.size,
      waitingLaunches: () => pending.waitingCount,
      heldOffers: () => 0,
    });
    intake = new LaunchIntake({
      connection: testRedisOptions(),
      redis,
      keys,
      pending,
      resolver: new LaunchResolver({ redis, keys, pending, logger }),
      defaultTimeoutSeconds: 600,
      concurrency: 100,
      metrics,
      logger,
    });
    intake.start();
  });

  afterEach(async () => {
    pending.close('test finished');
    await intake.close();
    await queue.obliterate({ force: true });
  });

  afterAll(async () => {
    await queue.close();
    await redis.quit();
  });

  async function finished(id: string): Promise<Job> {
    return waitFor(async () => {
      const state = await queue.getJobState(id);
      return state === 'completed' || state === 'failed' ? queue.getJob(id) : undefined;
    }, `job ${id} to finish`);
  }

  it('holds a queued launch until its task runs', async () => {
    const id = await submitLaunch(redis, keys, queue, { cpus: 0.5 });
    await waitFor(() => pending.get(id), 'launch to be tracked');

    expect(pending.get(id)?.phase).toBe('waiting');
    expect(pending.get(id)?.nextAttempt).toBe(1);
    expect(pending.waitingLaunches()[0]?.request.cpus).toBe(0.5);
    pending.settle(id, { kind: 'running', state: 'TASK_RUNNING', taskId: `ml-${id}-a1` });

    const job = await finished(id);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual({
      launch_id: id,
      state: 'TASK_RUNNING',
      task_id: `ml-${id}-a1`,
    });
  });

  it('fails the job with the reason', async () => {
    const id = await submitLaunch(redis, keys, queue);
    await waitFor(() => pending.get(id), 'launch to be tracked');

    pending.settle(id, {
      kind: 'failed',
      state: 'TASK_ERROR',
      reason: 'REASON_TASK_INVALID',
      message: 'bad',
    });

    const job = await finished(id);
    expect(await job.getState()).toBe('failed');
    expect(job.failedReason).toBe('TASK_ERROR: REASON_TASK_INVALID: bad');
    expect(job.attemptsMade).toBe(1);
  });

  it('hands a released job back to the queue', async () => {
    const id = await submitLaunch(redis, keys, queue);
    await waitFor(() => pending.get(id), 'launch to be tracked');

    await intake.pause();
    pending.close('lease lost');

    const state = await waitFor(async () => {
      const current = await (await queue.getJob(id))?.getState();
      return current === 'waiting' ? current : undefined;
    }, 'job back in wait');
    expect(state).toBe('waiting');
    expect((await queue.getJob(id))?.attemptsMade).toBe(0);
  });

  it('fails a job with an invalid payload', async () => {
    const id = '6b0c2b3e-8a8e-4a57-9d3c-0d1f8f6f5a11';
    await queue.add(
      'launch',
      { launch_id: id, request: launchRequest(), created_at: 'x' },
      { jobId: 'not-the-launch-id' },
    );
    await queue.add(
      'launch',
      { launch_id: id, request: { image: '' } as never, created_at: 'x' },
      { jobId: id },
    );

    const wrongId = await finished('not-the-launch-id');
    const badRequest = await finished(id);
    expect(wrongId.failedReason).toMatch(/invalid launch_id/);
    expect(badRequest.failedReason).toMatch(/invalid request: image/);
  });

  it('completes a cancelled launch without waiting', async () => {
    const id = await submitLaunch(redis, keys, queue, {}, { pause: true });
    await redis.hset(keys.launch(id), 'state', 'CANCELLED', 'terminal', '1');
    await queue.resume();

    const job = await finished(id);
    expect(job.returnvalue).toEqual({ launch_id: id, state: 'CANCELLED' });
  });

  it('cancels a queued launch with a kill request', async () => {
    const id = await submitLaunch(redis, keys, queue, {}, { pause: true });
    await redis.hset(keys.launch(id), 'kill_requested', '1');
    await queue.resume();

    const job = await finished(id);
    expect(job.returnvalue).toEqual({ launch_id: id, state: 'CANCELLED' });
    const { hash, history } = await readRecord(redis, keys, id);
    expect(hash.state).toBe('CANCELLED');
    expect(hash.terminal).toBe('1');
    expect(history.at(-1)?.state).toBe('CANCELLED');
    expect(await redis.sismember(keys.activeLaunches, id)).toBe(0);
  });

  it('completes a launch whose task already runs', async () => {
    const id = await submitLaunch(redis, keys, queue, {}, { pause: true });
    await redis.hset(keys.launch(id), {
      state: 'TASK_RUNNING',
      ever_running: '1',
      task_id: `ml-${id}-a1`,
      attempt: '1',
    });
    await queue.resume();

    const job = await finished(id);
    expect(job.returnvalue).toEqual({
      launch_id: id,
      state: 'TASK_RUNNING',
      task_id: `ml-${id}-a1`,
    });
  });

  it('tracks a launching launch without placing it again', async () => {
    const id = await submitLaunch(redis, keys, queue, {}, { pause: true });
    await redis.hset(keys.launch(id), { state: 'LAUNCHING', task_id: `ml-${id}-a2`, attempt: '2' });
    await queue.resume();

    const tracked = await waitFor(() => pending.get(id), 'launch to be tracked');
    expect(tracked.phase).toBe('launching');
    expect(tracked.nextAttempt).toBe(3);
    expect(pending.waitingCount).toBe(0);
  });

  it('expires a launch past its timeout', async () => {
    const id = await submitLaunch(redis, keys, queue, { timeout_seconds: 1 });
    await waitFor(() => pending.get(id), 'launch to be tracked');
    const expiry = new LaunchExpiry({
      redis,
      keys,
      pending,
      intervalMs: 60_000,
      onRejected: () => undefined,
      logger,
    });

    await expiry.sweep(Date.now() + 2_000);

    const job = await finished(id);
    expect(job.failedReason).toBe(
      'EXPIRED: TIMEOUT: no offer fitted the launch within its timeout of 1 s',
    );
    const { hash } = await readRecord(redis, keys, id);
    expect(hash.state).toBe('EXPIRED');
    expect(hash.reason).toBe('TIMEOUT');
    expect(hash.terminal).toBe('1');
  });
});
