import { afterAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../shared/launch/keys.js';
import { createLogger } from '../../shared/logger.js';
import type { TaskStatus } from '../../shared/mesos/types.js';
import { WorkerMetrics } from '../../worker/metrics.js';
import { PendingLaunches } from '../../worker/pending-launches.js';
import { PortLedger } from '../../worker/port-ledger.js';
import { StatusRecorder } from '../../worker/status-recorder.js';
import { StatusUpdates } from '../../worker/status-updates.js';
import { createTestRedis, uniquePrefix } from '../support/redis.js';
import { FakeCalls } from '../worker/support/fake-calls.js';
import { createQueuedRecord, launchRequest } from '../worker/support/launches.js';

const logger = createLogger('test', { level: 'silent' });

describe('kill of a task the master does not know', () => {
  const redis = createTestRedis({ enableAutoPipelining: true });
  const keys = redisKeys(uniquePrefix('kill-unknown'));

  afterAll(async () => {
    await redis.quit();
  });

  it('sends no KILL for a TASK_UNKNOWN reconciliation reply', async () => {
    const id = await createQueuedRecord(redis, keys, launchRequest());
    const taskId = `ml-${id}-a1`;
    await redis.hset(keys.launch(id), {
      state: 'TASK_UNKNOWN',
      task_id: taskId,
      attempt: '1',
      agent_id: 'agent-of-a-forgotten-cluster',
      ever_running: '1',
      kill_requested: '1',
    });
    const pending = new PendingLaunches();
    const calls = new FakeCalls();
    const updates = new StatusUpdates({
      recorder: new StatusRecorder({ redis, keys, maxAttempts: 3 }),
      calls: () => calls,
      pending,
      ports: new PortLedger(),
      metrics: new WorkerMetrics({
        leaseHeld: () => true,
        subscribed: () => true,
        secondsSinceHeartbeat: () => 0,
        pendingLaunches: () => pending.size,
        waitingLaunches: () => pending.waitingCount,
        heldOffers: () => 0,
      }),
      logger,
    });
    // What the master sends after a KILL of a task on an agent it does not know.
    const reply: TaskStatus = {
      task_id: { value: taskId },
      state: 'TASK_UNKNOWN',
      agent_id: { value: 'agent-of-a-forgotten-cluster' },
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
    };

    updates.push(reply);
    await updates.drain();

    expect(calls.ofType('KILL')).toEqual([]);
  });
});
