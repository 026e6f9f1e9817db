import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './support/launches.js';
import { WorkerHarness, waitForSubscribed } from './support/harness.js';

describe.each(['protobuf', 'json'] as const)('worker failover over %s', (contentType) => {
  let harness: WorkerHarness;

  afterEach(async () => {
    await harness.stop();
  });

  function subscribeCalls() {
    return harness.emulator.control.calls().filter((call) => call.type === 'SUBSCRIBE');
  }

  it('resumes a launch after a restart mid-launch', async () => {
    harness = await WorkerHarness.start({ contentType, emulator: { taskStartDelayMs: 60_000 } });
    const first = await harness.startWorker('worker-a');
    await waitForSubscribed(first);
    const frameworkId = first.state().frameworkId;
    harness.emulator.control.delayUpdates(1_000);

    const id = await harness.submit();
    const launching = await harness.waitForState(id, 'LAUNCHING');
    await first.stop();
    harness.emulator.control.delayUpdates(0);
    const second = await harness.startWorker('worker-b', {});
    await waitForSubscribed(second);
    const starting = await harness.waitForState(id, 'TASK_STARTING');

    expect(second.state().frameworkId).toBe(frameworkId);
    expect(await harness.redis.get(harness.keys.frameworkId)).toBe(frameworkId);
    expect(harness.emulator.control.frameworks()).toHaveLength(1);
    expect(starting.task_id).toBe(launching.task_id);
    expect(harness.emulator.control.tasks().map((task) => task.taskId)).toEqual([
      launching.task_id,
    ]);
    expect(subscribeCalls().map((call) => call.frameworkId)).toEqual([undefined, frameworkId]);
    expect(harness.callTypes()).toContain('RECONCILE');
  });

  it('relaunches a LAUNCHING task the master never got', async () => {
    harness = await WorkerHarness.start({ contentType });
    const first = await harness.startWorker('worker-a');
    await waitForSubscribed(first);
    await first.stop();
    const id = await harness.submit();
    const agentId = harness.emulator.control.agents()[0]?.id ?? '';
    await harness.redis.hset(harness.keys.launch(id), {
      state: 'LAUNCHING',
      task_id: `ml-${id}-a1`,
      attempt: '1',
      agent_id: agentId,
      updated_at: new Date(Date.now() - 60_000).toISOString(),
    });

    await waitForSubscribed(await harness.startWorker('worker-b'));
    const running = await harness.waitForState(id, 'TASK_RUNNING');

    expect(running.task_id).toBe(`ml-${id}-a2`);
    expect(running.history.map((entry) => [entry.state, entry.task_id])).toContainEqual([
      'TASK_GONE',
      `ml-${id}-a1`,
    ]);
  });

  it('rejects a new framework id while launches have tasks', async () => {
    harness = await WorkerHarness.start({ contentType });
    const id = await harness.submit();
    await harness.redis.hset(harness.keys.launch(id), {
      state: 'TASK_RUNNING',
      task_id: `ml-${id}-a1`,
      attempt: '1',
    });

    const worker = await harness.startWorker('worker-a');
    await waitFor(() => (worker.state().role === 'failed' ? true : undefined), 'worker to fail');

    expect(worker.state().error).toMatch(/no framework id is stored/);
    expect(subscribeCalls()).toHaveLength(0);
    expect(await harness.redis.get(harness.keys.workerLease)).toBeNull();
  });

  it('resubscribes after a dropped stream', async () => {
    harness = await WorkerHarness.start({ contentType });
    const worker = await harness.startWorker('worker-a');
    await waitForSubscribed(worker);
    const frameworkId = worker.state().frameworkId;
    const firstStream = worker.state().streamId;

    expect(harness.emulator.control.dropStreams()).toBe(1);
    await waitFor(
      () =>
        worker.state().subscribed && worker.state().streamId !== firstStream ? true : undefined,
      'a new subscription',
    );
    const id = await harness.submit();
    await harness.waitForState(id, 'TASK_RUNNING');

    expect(worker.state().frameworkId).toBe(frameworkId);
    expect(subscribeCalls().map((call) => call.frameworkId)).toEqual([undefined, frameworkId]);
  });

  it('keeps one worker subscribed and fails over', async () => {
    harness = await WorkerHarness.start({ contentType });
    const first = await harness.startWorker('worker-a');
    await waitForSubscribed(first);
    const second = await harness.startWorker('worker-b');
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(first.state().role).toBe('active');
    expect(second.state().role).toBe('standby');
    expect(second.state().subscribed).toBe(false);
    expect(subscribeCalls()).toHaveLength(1);
    expect(await harness.redis.get(harness.keys.workerLease)).toBe('worker-a');

    const before = await harness.submit();
    await harness.waitForState(before, 'TASK_RUNNING');
    await first.stop();
    await waitForSubscribed(second);
    const after = await harness.submit();
    await harness.waitForState(after, 'TASK_RUNNING');

    expect(second.state().role).toBe('active');
    expect(second.state().frameworkId).toBe(
      first.state().frameworkId ?? second.state().frameworkId,
    );
    expect(await harness.redis.get(harness.keys.workerLease)).toBe('worker-b');
    expect(harness.emulator.control.frameworks()).toHaveLength(1);
    expect(harness.emulator.control.tasks()).toHaveLength(2);
  });

  it('steps down when the lease is lost', async () => {
    harness = await WorkerHarness.start({ contentType });
    const worker = await harness.startWorker('worker-a');
    await waitForSubscribed(worker);
    const frameworkId = worker.state().frameworkId;
    const queued = await harness.submit({ cpus: 64 });
    await waitFor(() => (worker.state().pendingLaunches === 1 ? true : undefined), 'a held job');

    await harness.redis.set(harness.keys.workerLease, 'intruder', 'PX', 60_000);
    await waitFor(() => (worker.state().role === 'standby' ? true : undefined), 'standby');

    expect(worker.state().subscribed).toBe(false);
    expect(worker.state().pendingLaunches).toBe(0);
    expect(await harness.queue.getJobState(queued)).toBe('waiting');
    await waitFor(
      () => (harness.emulator.control.frameworks()[0]?.connected === false ? true : undefined),
      'the subscription to close',
    );

    await harness.redis.del(harness.keys.workerLease);
    await waitForSubscribed(worker);
    await waitFor(() => (worker.state().pendingLaunches === 1 ? true : undefined), 'the job again');

    expect(worker.state().frameworkId).toBe(frameworkId);
    expect(subscribeCalls().map((call) => call.frameworkId)).toEqual([undefined, frameworkId]);
  });

  it('takes a new framework id when no launch has a task', async () => {
    harness = await WorkerHarness.start({ contentType, failoverTimeoutSeconds: 0 });
    const worker = await harness.startWorker('worker-a');
    await waitForSubscribed(worker);
    const removed = worker.state().frameworkId;

    harness.emulator.control.dropStreams();
    await waitFor(
      () =>
        worker.state().subscribed && worker.state().frameworkId !== removed ? true : undefined,
      'a subscription with a new framework id',
    );
    const id = await harness.submit();
    await harness.waitForState(id, 'TASK_RUNNING');

    expect(await harness.redis.get(harness.keys.frameworkId)).toBe(worker.state().frameworkId);
    expect(subscribeCalls().map((call) => call.frameworkId)).toEqual([
      undefined,
      removed,
      undefined,
    ]);
  });

  it('stops when the framework is removed under running tasks', async () => {
    harness = await WorkerHarness.start({ contentType, failoverTimeoutSeconds: 0 });
    const worker = await harness.startWorker('worker-a');
    await waitForSubscribed(worker);
    const id = await harness.submit();
    await harness.waitForState(id, 'TASK_RUNNING');

    harness.emulator.control.dropStreams();
    await waitFor(() => (worker.state().role === 'failed' ? true : undefined), 'worker to fail');

    expect(worker.state().error).toMatch(
      /removed framework .* while active launches have tasks \(1\)/,
    );
    expect(await harness.redis.get(harness.keys.workerLease)).toBeNull();
    expect(subscribeCalls()).toHaveLength(2);
  });

  it('serves health and metrics', async () => {
    harness = await WorkerHarness.start({ contentType });
    const worker = await harness.startWorker('worker-a');
    await waitForSubscribed(worker);

    const health = await fetch(`${worker.healthUrl}/healthz`);
    const body = (await health.json()) as Record<string, unknown>;
    const metrics = await (await fetch(`${worker.healthUrl}/metrics`)).text();

    expect(health.status).toBe(200);
    expect(body).toMatchObject({ role: 'active', subscribed: true, leaseHolder: 'worker-a' });
    expect(typeof body.secondsSinceHeartbeat).toBe('number');
    expect(metrics).toMatch(/^mesos_launch_worker_subscribed 1$/m);
    expect(metrics).toMatch(/^mesos_launch_worker_lease_held 1$/m);
    expect(metrics).toMatch(/^mesos_launch_worker_pending_launches 0$/m);
  });
});
