import { afterAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../shared/launch/keys.js';
import { createLogger } from '../../shared/logger.js';
import { PortLedger } from '../../worker/port-ledger.js';
import { Reconciler } from '../../worker/reconciler.js';
import type { ReconcileTask } from '../../worker/scheduler-calls.js';
import { createTestRedis, uniquePrefix } from '../support/redis.js';
import { FakeCalls } from '../worker/support/fake-calls.js';
import { createQueuedRecord, launchRequest, waitFor } from '../worker/support/launches.js';

const logger = createLogger('test', { level: 'silent' });

/** Fails the first RECONCILE with a 503, as a master that is busy for a moment does. */
class FlakyCalls extends FakeCalls {
  #failures = 1;

  override async reconcile(tasks: ReconcileTask[]): Promise<void> {
    if (this.#failures > 0) {
      this.#failures -= 1;
      throw new Error('Mesos master responded with 503');
    }

    await super.reconcile(tasks);
  }
}

describe('Reconciler', () => {
  const redis = createTestRedis();
  const keys = redisKeys(uniquePrefix('reconciler'));

  afterAll(async () => {
    await redis.quit();
  });

  it('keeps reconciling after a failed first call', async () => {
    const id = await createQueuedRecord(redis, keys, launchRequest());
    await redis.hset(keys.launch(id), {
      state: 'LAUNCHING',
      task_id: `ml-${id}-a1`,
      attempt: '1',
      agent_id: 'agent-1',
    });
    const calls = new FlakyCalls();
    const reconciler = new Reconciler({
      redis,
      keys,
      calls: () => calls,
      ports: new PortLedger(),
      onActiveLaunches: () => undefined,
      baseIntervalMs: 20,
      maxIntervalMs: 40,
      launchingGraceMs: 0,
      batchSize: 100,
      logger,
    });

    await expect(reconciler.onSubscribed()).rejects.toThrow(/503/);
    const reconciled = await waitFor(
      () => calls.ofType('RECONCILE').find((call) => call.tasks.length > 0),
      'a periodic RECONCILE',
      5_000,
    ).finally(() => reconciler.stop());

    expect(reconciled.tasks).toEqual([
      { task_id: { value: `ml-${id}-a1` }, agent_id: { value: 'agent-1' } },
    ]);
  });
});
