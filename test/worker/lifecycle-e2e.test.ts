import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './support/launches.js';
import { WorkerHarness, waitForSubscribed, type HarnessOptions } from './support/harness.js';

describe.each(['protobuf', 'json'] as const)('launch lifecycle over %s', (contentType) => {
  let harness: WorkerHarness;

  afterEach(async () => {
    await harness.stop();
  });

  async function startWith(options: Omit<HarnessOptions, 'contentType'> = {}): Promise<void> {
    harness = await WorkerHarness.start({ contentType, ...options });
    await waitForSubscribed(await harness.startWorker('worker-a'));
  }

  async function jobOf(id: string) {
    return waitFor(async () => {
      const state = await harness.queue.getJobState(id);
      return state === 'completed' || state === 'failed' ? harness.queue.getJob(id) : undefined;
    }, `job ${id} to finish`);
  }

  it('declines, suppresses and revives', async () => {
    await startWith({ offerHoldSeconds: 0 });
    await waitFor(
      () => (harness.callTypes().includes('SUPPRESS') ? true : undefined),
      'SUPPRESS while nothing waits',
    );
    const beforeLaunch = harness.callTypes();

    const id = await harness.submit();
    await harness.waitForState(id, 'TASK_RUNNING');
    const afterLaunch = harness.callTypes().slice(beforeLaunch.length);

    expect(beforeLaunch).toContain('DECLINE');
    expect(beforeLaunch.indexOf('SUBSCRIBE')).toBe(0);
    expect(afterLaunch[0]).toBe('REVIVE');
    expect(afterLaunch).toContain('ACCEPT');
    await waitFor(
      () =>
        harness.callTypes().slice(beforeLaunch.length).includes('SUPPRESS') ? true : undefined,
      'SUPPRESS once the launch is placed',
    );
  });

  it('places a launch on a held offer', async () => {
    // Without further allocations, only the offers held since subscribing can take the task.
    await startWith({ offerHoldSeconds: 2, emulator: { allocationIntervalMs: 60_000 } });
    const held = await waitFor(() => {
      const offers = harness.emulator.control.offers();
      return offers.length > 0 ? offers : undefined;
    }, 'offers held by the worker');
    const metrics = await (await fetch(`${harness.workers[0]?.healthUrl}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^mesos_launch_worker_held_offers ${held.length}$`, 'm'));

    const id = await harness.submit();
    await harness.waitForState(id, 'TASK_RUNNING');
    const types = harness.callTypes();

    expect(held.length).toBeGreaterThan(0);
    expect(types).toContain('ACCEPT');
    expect(types.indexOf('ACCEPT')).toBeLessThan(
      types.includes('DECLINE') ? types.indexOf('DECLINE') : Infinity,
    );
    await waitFor(
      () => (harness.emulator.control.offers().length === 0 ? true : undefined),
      'held offers declined after the hold time',
    );
    expect(harness.callTypes()).toContain('DECLINE');
  });

  it('records a repeated delivery once', async () => {
    await startWith();
    harness.emulator.control.duplicateUpdates(true);

    const id = await harness.submit();
    await harness.waitForState(id, 'TASK_RUNNING');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const status = await harness.read(id);

    expect(status.history.map((entry) => entry.state)).toEqual([
      'QUEUED',
      'LAUNCHING',
      'TASK_STARTING',
      'TASK_RUNNING',
    ]);
    expect(harness.callTypes().filter((type) => type === 'ACKNOWLEDGE')).toHaveLength(4);
  });

  it('acknowledges TASK_STARTING before TASK_RUNNING arrives', async () => {
    await startWith();

    const id = await harness.submit();
    const status = await harness.waitForState(id, 'TASK_RUNNING');
    const task = harness.emulator.control.tasks().find((entry) => entry.taskId === status.task_id);

    expect(status.history.map((entry) => entry.state)).toEqual([
      'QUEUED',
      'LAUNCHING',
      'TASK_STARTING',
      'TASK_RUNNING',
    ]);
    expect(task?.statusUpdateState).toBe('TASK_RUNNING');
    expect(harness.callTypes().filter((type) => type === 'ACKNOWLEDGE')).toHaveLength(2);
  });

  it('kills a running launch', async () => {
    await startWith();
    const id = await harness.submit();
    const running = await harness.waitForState(id, 'TASK_RUNNING');

    const kill = await harness.store.killLaunch(id);
    const killed = await harness.waitForState(id, 'TASK_KILLED');

    expect(kill.outcome).toBe('kill_requested');
    expect(killed.history.map((entry) => entry.state)).toContain('TASK_KILLING');
    expect(killed.terminal).toBe(true);
    expect(harness.callTypes()).toContain('KILL');
    expect(killed.task_id).toBe(running.task_id);
    await waitFor(
      () => (harness.emulator.control.tasks().length === 0 ? true : undefined),
      'the acknowledged terminal task to leave the master',
    );
    expect((await jobOf(id))?.returnvalue).toMatchObject({ state: 'TASK_RUNNING' });
  });

  it('kills a launch once its first status arrives', async () => {
    await startWith({ emulator: { taskStartDelayMs: 1_500 } });
    harness.emulator.control.delayUpdates(300);
    const id = await harness.submit();
    await harness.waitForState(id, 'LAUNCHING');

    const kill = await harness.store.killLaunch(id);
    const killed = await harness.waitForState(id, 'TASK_KILLED');
    const job = await jobOf(id);

    expect(kill).toEqual({ id, outcome: 'kill_requested', state: 'LAUNCHING' });
    expect(killed.history.map((entry) => entry.state)).not.toContain('TASK_RUNNING');
    expect(harness.callTypes()).toContain('KILL');
    expect(job?.returnvalue).toEqual({ launch_id: id, state: 'TASK_KILLED' });
  });

  it('cancels a queued launch', async () => {
    await startWith();
    const id = await harness.submit({ ports: [{ host_port: 80 }] });
    await waitFor(
      () => (harness.workers[0]?.state().waitingLaunches === 1 ? true : undefined),
      'launch to wait for an offer',
    );

    const kill = await harness.store.killLaunch(id);
    const job = await jobOf(id);

    expect(kill.outcome).toBe('cancelled');
    expect((await harness.read(id)).state).toBe('CANCELLED');
    expect(job?.returnvalue).toEqual({ launch_id: id, state: 'CANCELLED' });
    expect(harness.workers[0]?.state().pendingLaunches).toBe(0);
    expect(harness.emulator.control.tasks()).toHaveLength(0);
  });

  it('retries a task that failed at start', async () => {
    await startWith({ emulator: { taskStartDelayMs: 1_500 } });
    const id = await harness.submit();
    const starting = await harness.waitForState(id, 'TASK_STARTING');

    harness.emulator.control.failTask(starting.task_id ?? '');
    const running = await harness.waitForState(id, 'TASK_RUNNING');

    expect(starting.task_id).toBe(`ml-${id}-a1`);
    expect(running.task_id).toBe(`ml-${id}-a2`);
    expect(running.attempt).toBe(2);
    expect(running.history.map((entry) => [entry.state, entry.task_id])).toEqual([
      ['QUEUED', null],
      ['LAUNCHING', `ml-${id}-a1`],
      ['TASK_STARTING', `ml-${id}-a1`],
      ['TASK_FAILED', `ml-${id}-a1`],
      ['QUEUED', null],
      ['LAUNCHING', `ml-${id}-a2`],
      ['TASK_STARTING', `ml-${id}-a2`],
      ['TASK_RUNNING', `ml-${id}-a2`],
    ]);
  });

  it('gives up after the last attempt', async () => {
    await startWith({ attempts: 2 });

    const id = await harness.submit({ network: 'user', network_name: 'missing-net' });
    const failed = await harness.waitForState(id, 'TASK_FAILED');
    const job = await jobOf(id);
    const taskIds = new Set(failed.history.flatMap((entry) => entry.task_id ?? []));

    expect(failed.task_id).toBe(`ml-${id}-a2`);
    expect(failed.terminal).toBe(true);
    expect([...taskIds]).toEqual([`ml-${id}-a1`, `ml-${id}-a2`]);
    expect(failed.history.filter((entry) => entry.state === 'TASK_FAILED')).toHaveLength(2);
    expect(await harness.queue.getJobState(id)).toBe('failed');
    expect(job?.failedReason).toMatch(/^TASK_FAILED/);
  });

  it('expires a launch after timeout_seconds', async () => {
    await startWith();

    const id = await harness.submit({ cpus: 64, timeout_seconds: 1 });
    const expired = await harness.waitForState(id, 'EXPIRED');
    const job = await jobOf(id);

    expect(expired.reason).toBe('TIMEOUT');
    expect(expired.message).toMatch(/within its timeout of 1 s/);
    expect(expired.terminal).toBe(true);
    expect(job?.failedReason).toMatch(/^EXPIRED/);
    expect(await harness.redis.sismember(harness.keys.activeLaunches, id)).toBe(0);
  });
});
