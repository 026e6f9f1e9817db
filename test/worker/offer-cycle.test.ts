import { randomBytes } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { redisKeys } from '../../shared/launch/keys.js';
import { createLogger } from '../../shared/logger.js';
import type { TaskStatus } from '../../shared/mesos/types.js';
import { WorkerMetrics } from '../../worker/metrics.js';
import { OfferCycle, type RejectedWrite } from '../../worker/offer-cycle.js';
import { PendingLaunches, type LaunchOutcome } from '../../worker/pending-launches.js';
import { PortLedger } from '../../worker/port-ledger.js';
import type { RecordedStatus, StatusRecorder } from '../../worker/status-recorder.js';
import { StatusUpdates } from '../../worker/status-updates.js';
import { createTestRedis, uniquePrefix } from '../support/redis.js';
import { FakeCalls, testOffer } from './support/fake-calls.js';
import { createQueuedRecord, launchRequest, readRecord } from './support/launches.js';

const logger = createLogger('test', { level: 'silent' });
const HOLDER = 'worker-test';

function metricsFor(pending: PendingLaunches): WorkerMetrics {
  return new WorkerMetrics({
    leaseHeld: () => true,
    subscribed: () => true,
    secondsSinceHeartbeat: () => 0,
    pendingLaunches: () => pending.size,
    waitingLaunches: () => pending.waitingCount,
    heldOffers: () => 0,
  });
}

describe('OfferCycle', () => {
  const redis = createTestRedis({ enableAutoPipelining: true });
  const keys = redisKeys(uniquePrefix('offer-cycle'));
  let pending: PendingLaunches;
  let calls: FakeCalls;
  let rejections: RejectedWrite[];
  let cycle: OfferCycle;

  beforeEach(async () => {
    await redis.set(keys.workerLease, HOLDER);
    pending = new PendingLaunches('mesos-launch');
    pending.open();
    calls = new FakeCalls();
    rejections = [];
    cycle = createCycle(0);
  });

  afterAll(async () => {
    await redis.quit();
  });

  function createCycle(offerHoldMs: number): OfferCycle {
    return new OfferCycle({
      redis,
      keys,
      holderId: HOLDER,
      role: '*',
      refuseSeconds: 7,
      offerHoldMs,
      pending,
      ports: new PortLedger(),
      calls: () => calls,
      onRejected: (rejected) => rejections.push(...rejected),
      onDeclined: () => undefined,
      onAcceptFailed: () => undefined,
      metrics: metricsFor(pending),
      logger,
    });
  }

  async function track(body: Record<string, unknown>): Promise<{
    id: string;
    outcome: Promise<LaunchOutcome>;
  }> {
    const request = launchRequest(body);
    const id = await createQueuedRecord(redis, keys, request);
    const outcome = pending.track({
      launchId: id,
      request,
      nextAttempt: 1,
      createdAtMs: Date.now(),
      deadlineMs: Date.now() + 60_000,
      phase: 'waiting',
    });
    return { id, outcome };
  }

  it('sends one ACCEPT per agent and declines the rest', async () => {
    const launches = [];
    for (let index = 0; index < 5; index += 1) {
      launches.push(await track({ cpus: 1, ports: [{ host_port: 0 }] }));
    }
    const unfittable = await track({ cpus: 64 });

    cycle.push([
      testOffer('offer-1', 'agent-1', 2),
      testOffer('offer-2', 'agent-1', 2),
      testOffer('offer-3', 'agent-2', 1),
      testOffer('offer-4', 'agent-3', 0.5),
    ]);
    await cycle.drain();

    const accepts = calls.ofType('ACCEPT');
    const declines = calls.ofType('DECLINE');
    expect(accepts.map((call) => call.offerIds.map((offer) => offer.value))).toEqual([
      ['offer-1', 'offer-2'],
      ['offer-3'],
    ]);
    expect(accepts.map((call) => call.operations[0]?.launch?.task_infos?.length)).toEqual([4, 1]);
    expect(accepts[0]?.filters).toEqual({ refuse_seconds: 0 });
    expect(declines).toEqual([
      { type: 'DECLINE', offerIds: [{ value: 'offer-4' }], filters: { refuse_seconds: 7 } },
    ]);
    expect(pending.waitingLaunches().map((launch) => launch.launchId)).toEqual([unfittable.id]);

    // Host ports must differ on one agent; two agents may hand out the same port.
    const agentHostPorts = new Set<string>();
    for (const { id } of launches) {
      const { hash } = await readRecord(redis, keys, id);
      expect(hash.state).toBe('LAUNCHING');
      expect(hash.task_id).toBe(`ml-${id}-a1`);
      expect(hash.attempt).toBe('1');
      expect(hash.hostname).toMatch(/^agent-\d\.example\.com$/);
      const hostPort = (JSON.parse(hash.ports ?? '[]') as { host_port: number }[])[0]?.host_port;
      agentHostPorts.add(`${hash.agent_id}:${hostPort}`);
      expect(pending.get(id)?.phase).toBe('launching');
    }
    expect(agentHostPorts.size).toBe(5);
  });

  it('drops a launch whose record changed and declines its offer', async () => {
    const { id } = await track({ cpus: 1 });
    await redis.hset(keys.launch(id), 'state', 'CANCELLED', 'terminal', '1');

    cycle.push([testOffer('offer-1', 'agent-1', 2)]);
    await cycle.drain();

    expect(rejections).toEqual([{ launchId: id, result: 'not-queued' }]);
    expect(calls.ofType('ACCEPT')).toHaveLength(0);
    expect(calls.ofType('DECLINE')[0]?.offerIds).toEqual([{ value: 'offer-1' }]);
  });

  it('declines everything while nothing waits', async () => {
    cycle.push([testOffer('offer-1', 'agent-1', 2), testOffer('offer-2', 'agent-2', 2)]);
    await cycle.drain();

    expect(calls.calls).toEqual([
      {
        type: 'DECLINE',
        offerIds: [{ value: 'offer-1' }, { value: 'offer-2' }],
        filters: { refuse_seconds: 7 },
      },
    ]);
  });

  it('runs the next cycle before replies', async () => {
    const releases: Array<() => void> = [];
    calls.decline = async (offerIds, filters) => {
      calls.calls.push({ type: 'DECLINE', offerIds, filters });
      await new Promise<void>((resolve) => releases.push(resolve));
    };

    cycle.push([testOffer('offer-1', 'agent-1', 2)]);
    await expect.poll(() => calls.ofType('DECLINE').length).toBe(1);
    cycle.push([testOffer('offer-2', 'agent-2', 2)]);
    await expect.poll(() => calls.ofType('DECLINE').length).toBe(2);

    let drained = false;
    const draining = cycle.drain().then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    releases.forEach((release) => release());
    await draining;
    expect(drained).toBe(true);
  });

  it('places a later launch on a held offer', async () => {
    cycle = createCycle(60_000);
    cycle.push([testOffer('offer-1', 'agent-1', 2), testOffer('offer-2', 'agent-2', 2)]);
    await cycle.drain();
    expect(calls.calls).toEqual([]);
    expect(cycle.heldCount).toBe(2);

    const { id } = await track({ cpus: 1 });
    cycle.onWaitingChanged(pending.waitingCount);
    await expect.poll(() => calls.ofType('ACCEPT').length).toBe(1);
    await cycle.drain();

    const [accept] = calls.ofType('ACCEPT');
    expect(accept?.offerIds).toEqual([{ value: 'offer-1' }]);
    expect(accept?.filters).toEqual({ refuse_seconds: 0 });
    expect(calls.ofType('DECLINE')).toHaveLength(0);
    expect(cycle.heldCount).toBe(1);
    expect((await readRecord(redis, keys, id)).hash.state).toBe('LAUNCHING');
  });

  it('keeps a request made during a cycle', async () => {
    cycle = createCycle(60_000);
    await track({ cpus: 1 });
    const lateRequest = launchRequest({ cpus: 1 });
    const lateId = await createQueuedRecord(redis, keys, lateRequest);

    // The first cycle starts inside push() and takes both offers before the late launch waits.
    cycle.push([testOffer('offer-1', 'agent-1', 1), testOffer('offer-2', 'agent-2', 1)]);
    void pending.track({
      launchId: lateId,
      request: lateRequest,
      nextAttempt: 1,
      createdAtMs: Date.now(),
      deadlineMs: Date.now() + 60_000,
      phase: 'waiting',
    });
    cycle.onWaitingChanged(pending.waitingCount);
    await expect.poll(() => calls.ofType('ACCEPT').length).toBe(2);
    await cycle.drain();

    const acceptedOffers = calls.ofType('ACCEPT').flatMap((call) => call.offerIds);
    expect(acceptedOffers.map((offer) => offer.value).sort()).toEqual(['offer-1', 'offer-2']);
    expect((await readRecord(redis, keys, lateId)).hash.state).toBe('LAUNCHING');
    expect(cycle.heldCount).toBe(0);
  });

  it('tries only new launches on held offers', async () => {
    cycle = createCycle(60_000);
    const unfittable = await track({ cpus: 64 });
    cycle.push([testOffer('offer-1', 'agent-1', 2)]);
    await cycle.drain();
    const fittable = await track({ cpus: 1 });
    const listed = vi.spyOn(pending, 'waitingLaunches');

    cycle.onWaitingChanged(pending.waitingCount);
    await expect.poll(() => calls.ofType('ACCEPT').length).toBe(1);
    await cycle.drain();

    const tried = listed.mock.results.map((result) =>
      (result.value as Array<{ launchId: string }>).map((launch) => launch.launchId),
    );
    expect(tried).toEqual([[fittable.id]]);
    expect(pending.waitingLaunches().map((launch) => launch.launchId)).toEqual([unfittable.id]);
  });

  it('ends a requested cycle with nothing to do', async () => {
    cycle = createCycle(60_000);
    cycle.push([testOffer('offer-1', 'agent-1', 2)]);
    await cycle.drain();
    await track({ cpus: 1 });

    // The request's cycle starts after this turn, when the rescinded offer is gone.
    cycle.onWaitingChanged(pending.waitingCount);
    cycle.rescind('offer-1');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));

    expect(cycle.cycling).toBe(false);
    expect(calls.calls).toEqual([]);
  });

  it('cycles after a request that found nothing', async () => {
    cycle = createCycle(60_000);
    cycle.push([testOffer('offer-1', 'agent-1', 2)]);
    await cycle.drain();

    // The requested cycle starts on setImmediate, after the launch stopped waiting.
    const cancelled = await track({ cpus: 1 });
    cycle.onWaitingChanged(pending.waitingCount);
    pending.settle(cancelled.id, { kind: 'cancelled', state: 'CANCELLED' });
    cycle.onWaitingChanged(pending.waitingCount);
    await new Promise((resolve) => setImmediate(resolve));

    const { id } = await track({ cpus: 1 });
    cycle.push([testOffer('offer-2', 'agent-2', 2)]);
    // Polled rather than drained: a drain() of a stuck cycle never returns.
    await expect.poll(() => calls.ofType('ACCEPT').length).toBe(1);
    await cycle.drain();

    expect((await readRecord(redis, keys, id)).hash.state).toBe('LAUNCHING');
  });

  it('never holds an offer rescinded mid-cycle', async () => {
    cycle = createCycle(60_000);
    await track({ cpus: 1 });

    // The cycle waits for its LAUNCHING write when the RESCIND arrives.
    cycle.push([testOffer('offer-1', 'agent-1', 1), testOffer('offer-2', 'agent-2', 0.5)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cycle.cycling).toBe(true);
    cycle.rescind('offer-2');
    await cycle.drain();
    expect(cycle.heldCount).toBe(0);

    await track({ cpus: 0.5 });
    cycle.onWaitingChanged(pending.waitingCount);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await cycle.drain();

    const acceptedOffers = calls.ofType('ACCEPT').flatMap((call) => call.offerIds);
    expect(acceptedOffers).toEqual([{ value: 'offer-1' }]);
    expect(calls.ofType('DECLINE')).toEqual([]);
    expect(pending.waitingCount).toBe(1);
  });

  it('declineHeld covers a running cycle', async () => {
    cycle = createCycle(60_000);
    await track({ cpus: 1 });

    cycle.push([testOffer('offer-1', 'agent-1', 1), testOffer('offer-2', 'agent-2', 0.5)]);
    cycle.declineHeld();
    await cycle.drain();

    expect(calls.ofType('DECLINE')).toEqual([
      { type: 'DECLINE', offerIds: [{ value: 'offer-2' }], filters: { refuse_seconds: 7 } },
    ]);
    expect(cycle.heldCount).toBe(0);
  });

  it('declineHeld covers later offers', async () => {
    cycle = createCycle(60_000);
    cycle.declineHeld();

    cycle.push([testOffer('offer-1', 'agent-1', 1)]);
    await cycle.drain();

    expect(calls.ofType('DECLINE')).toEqual([
      { type: 'DECLINE', offerIds: [{ value: 'offer-1' }], filters: { refuse_seconds: 7 } },
    ]);
    expect(cycle.heldCount).toBe(0);
  });

  it('declines a held offer after its hold time', async () => {
    cycle = createCycle(150);
    cycle.push([testOffer('offer-1', 'agent-1', 2)]);
    await cycle.drain();
    expect(calls.calls).toEqual([]);

    await expect.poll(() => calls.ofType('DECLINE').length).toBe(1);
    expect(calls.ofType('DECLINE')[0]).toEqual({
      type: 'DECLINE',
      offerIds: [{ value: 'offer-1' }],
      filters: { refuse_seconds: 7 },
    });
    expect(cycle.heldCount).toBe(0);
  });

  it('never accepts a rescinded held offer', async () => {
    cycle = createCycle(60_000);
    cycle.push([testOffer('offer-1', 'agent-1', 2)]);
    await cycle.drain();
    cycle.rescind('offer-1');

    await track({ cpus: 1 });
    cycle.onWaitingChanged(pending.waitingCount);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await cycle.drain();

    expect(calls.calls).toEqual([]);
    expect(pending.waitingCount).toBe(1);
  });

  it('declines held offers when asked', async () => {
    cycle = createCycle(60_000);
    cycle.push([testOffer('offer-1', 'agent-1', 2), testOffer('offer-2', 'agent-2', 2)]);
    await cycle.drain();

    cycle.declineHeld();
    await cycle.drain();

    expect(calls.ofType('DECLINE').map((call) => call.offerIds)).toEqual([
      [{ value: 'offer-1' }, { value: 'offer-2' }],
    ]);
    expect(cycle.heldCount).toBe(0);
  });

  it('forgets held offers on clear', async () => {
    cycle = createCycle(100);
    cycle.push([testOffer('offer-1', 'agent-1', 2)]);
    await cycle.drain();

    cycle.clear();
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(calls.calls).toEqual([]);
    expect(cycle.heldCount).toBe(0);
  });
});

describe('StatusUpdates', () => {
  function recordedFrom(status: TaskStatus): RecordedStatus {
    return {
      status,
      taskId: status.task_id.value,
      state: status.state,
      launchId: undefined,
      outcome: 'recorded',
      killRequested: false,
      everRunning: false,
      attempt: 1,
      previousState: 'LAUNCHING',
      launchState: status.state,
    };
  }

  function setup(recordAll: (statuses: readonly TaskStatus[]) => Promise<RecordedStatus[]>) {
    const pending = new PendingLaunches();
    const calls = new FakeCalls();
    const updates = new StatusUpdates({
      recorder: { recordAll } as unknown as StatusRecorder,
      calls: () => calls,
      pending,
      ports: new PortLedger(),
      metrics: metricsFor(pending),
      logger,
    });
    return { calls, updates };
  }

  const starting: TaskStatus = {
    task_id: { value: 'ml-00000000-0000-4000-8000-000000000001-a1' },
    state: 'TASK_STARTING',
    agent_id: { value: 'agent-1' },
    uuid: randomBytes(16),
  };

  it('acknowledges only after the write', async () => {
    let finishWrite: () => void = () => undefined;
    const written = new Promise<void>((resolve) => {
      finishWrite = resolve;
    });
    const { calls, updates } = setup(async (statuses) => {
      await written;
      return statuses.map(recordedFrom);
    });

    updates.push(starting);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.ofType('ACKNOWLEDGE')).toHaveLength(0);

    finishWrite();
    await updates.drain();
    const [ack] = calls.ofType('ACKNOWLEDGE');
    expect(ack?.agentId).toBe('agent-1');
    expect(ack?.taskId).toBe(starting.task_id.value);
    expect(Buffer.from(ack?.uuid ?? []).equals(Buffer.from(starting.uuid ?? []))).toBe(true);
  });

  it('leaves an update unacknowledged when the write fails', async () => {
    const { calls, updates } = setup(async () => {
      throw new Error('Redis is down');
    });

    updates.push(starting);
    await updates.drain();

    expect(calls.calls).toHaveLength(0);
  });

  it('never acknowledges an update without uuid', async () => {
    const { calls, updates } = setup(async (statuses) => statuses.map(recordedFrom));

    updates.push({ ...starting, uuid: undefined, source: 'SOURCE_MASTER' });
    await updates.drain();

    expect(calls.ofType('ACKNOWLEDGE')).toHaveLength(0);
  });
});
