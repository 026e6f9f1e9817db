import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskIdFor } from '../../shared/launch/ids.js';
import { redisKeys } from '../../shared/launch/keys.js';
import type { TaskStatus } from '../../shared/mesos/types.js';
import { MARK_LAUNCHING } from '../../worker/launch-scripts.js';
import { StatusRecorder } from '../../worker/status-recorder.js';
import { createTestRedis, uniquePrefix } from '../support/redis.js';
import { createQueuedRecord, launchRequest, readRecord } from './support/launches.js';

const keys = redisKeys(uniquePrefix('recorder'));
const HOLDER = 'worker-test';

async function markLaunching(redis: Redis, id: string, attempt: number): Promise<unknown> {
  return MARK_LAUNCHING.run(
    redis,
    [keys.launch(id), keys.history(id), keys.workerLease],
    [
      HOLDER,
      String(attempt - 1),
      String(attempt),
      taskIdFor(id, attempt),
      'agent-1',
      'host-1',
      JSON.stringify([{ host_port: 31005, protocol: 'tcp' }]),
      new Date().toISOString(),
      JSON.stringify({ state: 'LAUNCHING', task_id: taskIdFor(id, attempt) }),
      keys.statusChannel,
      id,
    ],
  );
}

function status(
  id: string,
  attempt: number,
  state: TaskStatus['state'],
  extra: Partial<TaskStatus> = {},
): TaskStatus {
  return {
    task_id: { value: taskIdFor(id, attempt) },
    state,
    agent_id: { value: 'agent-1' },
    source: 'SOURCE_EXECUTOR',
    timestamp: Date.now() / 1000,
    uuid: randomBytes(16),
    ...extra,
  };
}

describe('StatusRecorder', () => {
  const redis = createTestRedis({ enableAutoPipelining: true });
  const recorder = new StatusRecorder({ redis, keys, maxAttempts: 2 });

  beforeAll(async () => {
    await redis.set(keys.workerLease, HOLDER);
  });

  afterAll(async () => {
    await redis.quit();
  });

  async function launching(): Promise<string> {
    const id = await createQueuedRecord(redis, keys, launchRequest());
    expect(await markLaunching(redis, id, 1)).toBe('ok');
    return id;
  }

  it('records an update and its repeat once', async () => {
    const id = await launching();
    const starting = status(id, 1, 'TASK_STARTING');

    const [first, repeat] = await recorder.recordAll([starting, starting]);

    expect(first?.outcome).toBe('recorded');
    expect(repeat?.outcome).toBe('duplicate');
    const { hash, history } = await readRecord(redis, keys, id);
    expect(hash.state).toBe('TASK_STARTING');
    expect(history.map((entry) => entry.state)).toEqual(['QUEUED', 'LAUNCHING', 'TASK_STARTING']);
  });

  it('dedupes updates without uuid by state and timestamp', async () => {
    const id = await launching();
    const staging = status(id, 1, 'TASK_STAGING', { uuid: undefined, source: 'SOURCE_MASTER' });

    const [first, repeat] = await recorder.recordAll([staging, { ...staging }]);

    expect(first?.outcome).toBe('recorded');
    expect(repeat?.outcome).toBe('duplicate');
  });

  it('keeps ip addresses, agent and ever_running', async () => {
    const id = await launching();
    const running = status(id, 1, 'TASK_RUNNING', {
      agent_id: { value: 'agent-2' },
      container_status: {
        network_infos: [{ ip_addresses: [{ ip_address: '172.17.0.2' }] }],
      },
    });

    const [recorded] = await recorder.recordAll([running]);

    expect(recorded?.outcome).toBe('recorded');
    expect(recorded?.launchState).toBe('TASK_RUNNING');
    const { hash } = await readRecord(redis, keys, id);
    expect(hash.ip_addresses).toBe('["172.17.0.2"]');
    expect(hash.agent_id).toBe('agent-2');
    expect(hash.hostname).toBe('host-1');
    expect(hash.ever_running).toBe('1');
    expect(hash.source).toBe('SOURCE_EXECUTOR');
  });

  it('sends a task that never ran back to QUEUED', async () => {
    const id = await launching();
    const error = status(id, 1, 'TASK_ERROR', {
      uuid: undefined,
      source: 'SOURCE_MASTER',
      reason: 'REASON_TASK_INVALID',
      message: 'bad task',
    });

    const [recorded] = await recorder.recordAll([error]);

    expect(recorded?.outcome).toBe('retry');
    expect(recorded?.attempt).toBe(1);
    const { hash, history } = await readRecord(redis, keys, id);
    expect(hash.state).toBe('QUEUED');
    expect(hash.agent_id).toBeUndefined();
    expect(hash.reason).toBe('REASON_TASK_INVALID');
    expect(history.map((entry) => entry.state)).toEqual([
      'QUEUED',
      'LAUNCHING',
      'TASK_ERROR',
      'QUEUED',
    ]);
    expect(await redis.sismember(keys.activeLaunches, id)).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    const id = await launching();
    await recorder.recordAll([status(id, 1, 'TASK_FAILED')]);
    expect(await markLaunching(redis, id, 2)).toBe('ok');

    const [recorded] = await recorder.recordAll([status(id, 2, 'TASK_FAILED')]);

    expect(recorded?.outcome).toBe('gave-up');
    const { hash } = await readRecord(redis, keys, id);
    expect(hash.state).toBe('TASK_FAILED');
    expect(await redis.sismember(keys.activeLaunches, id)).toBe(0);
  });

  it('records TASK_UNKNOWN as TASK_LOST when giving up', async () => {
    const id = await launching();
    await recorder.recordAll([status(id, 1, 'TASK_GONE', { uuid: undefined })]);
    expect(await markLaunching(redis, id, 2)).toBe('ok');

    const [recorded] = await recorder.recordAll([
      status(id, 2, 'TASK_UNKNOWN', { uuid: undefined, reason: 'REASON_RECONCILIATION' }),
    ]);

    expect(recorded?.outcome).toBe('gave-up');
    expect(recorded?.launchState).toBe('TASK_LOST');
    expect((await readRecord(redis, keys, id)).hash.state).toBe('TASK_LOST');
  });

  it('never relaunches a task that ran', async () => {
    const id = await launching();
    await recorder.recordAll([status(id, 1, 'TASK_RUNNING')]);

    const [recorded] = await recorder.recordAll([status(id, 1, 'TASK_FAILED')]);

    expect(recorded?.outcome).toBe('recorded');
    expect((await readRecord(redis, keys, id)).hash.state).toBe('TASK_FAILED');
  });

  it('does not retry a launch whose kill was requested', async () => {
    const id = await launching();
    await redis.hset(keys.launch(id), 'kill_requested', '1');

    const [recorded] = await recorder.recordAll([status(id, 1, 'TASK_ERROR')]);

    expect(recorded?.outcome).toBe('gave-up');
    expect(recorded?.killRequested).toBe(true);
  });

  it('leaves the state alone for an older attempt', async () => {
    const id = await launching();
    await recorder.recordAll([status(id, 1, 'TASK_DROPPED')]);
    expect(await markLaunching(redis, id, 2)).toBe('ok');

    const [recorded] = await recorder.recordAll([status(id, 1, 'TASK_RUNNING')]);

    expect(recorded?.outcome).toBe('stale-task');
    expect((await readRecord(redis, keys, id)).hash.state).toBe('LAUNCHING');
  });

  it('skips history for a reconciliation that repeats the state', async () => {
    const id = await launching();
    await recorder.recordAll([status(id, 1, 'TASK_RUNNING')]);
    const before = (await readRecord(redis, keys, id)).history.length;

    const [recorded] = await recorder.recordAll([
      status(id, 1, 'TASK_RUNNING', {
        uuid: undefined,
        source: 'SOURCE_MASTER',
        reason: 'REASON_RECONCILIATION',
      }),
    ]);

    expect(recorded?.outcome).toBe('unchanged');
    expect((await readRecord(redis, keys, id)).history.length).toBe(before);
  });

  it('ignores an older state of the current task', async () => {
    const id = await launching();
    await recorder.recordAll([status(id, 1, 'TASK_RUNNING')]);

    const [recorded] = await recorder.recordAll([status(id, 1, 'TASK_STARTING')]);

    expect(recorded?.outcome).toBe('regressed');
    expect((await readRecord(redis, keys, id)).hash.state).toBe('TASK_RUNNING');
  });

  it('publishes each change on the status channel', async () => {
    const subscriber = createTestRedis();
    const messages: unknown[] = [];
    subscriber.on('message', (_channel: string, message: string) => {
      messages.push(JSON.parse(message));
    });
    await subscriber.subscribe(keys.statusChannel);
    const id = await launching();

    await recorder.recordAll([status(id, 1, 'TASK_STARTING')]);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(messages).toContainEqual(
      expect.objectContaining({ id, state: 'TASK_STARTING', task_id: taskIdFor(id, 1) }),
    );
    await subscriber.quit();
  });

  it('reports updates of unknown launches and foreign tasks', async () => {
    const [unknown, foreign] = await recorder.recordAll([
      status('00000000-0000-4000-8000-000000000000', 1, 'TASK_RUNNING'),
      { task_id: { value: 'someone-else' }, state: 'TASK_RUNNING' },
    ]);

    expect(unknown?.outcome).toBe('unknown-launch');
    expect(foreign?.outcome).toBe('foreign-task');
  });
});

describe('MARK_LAUNCHING', () => {
  const redis = createTestRedis();

  afterAll(async () => {
    await redis.quit();
  });

  it('rejects without the lease, twice, or after a kill request', async () => {
    await redis.set(keys.workerLease, 'someone-else');
    const id = await createQueuedRecord(redis, keys, launchRequest());
    expect(await markLaunching(redis, id, 1)).toBe('not-leader');

    await redis.set(keys.workerLease, HOLDER);
    expect(await markLaunching(redis, id, 1)).toBe('ok');
    expect(await markLaunching(redis, id, 1)).toBe('not-queued');

    const killed = await createQueuedRecord(redis, keys, launchRequest());
    await redis.hset(keys.launch(killed), 'kill_requested', '1');
    expect(await markLaunching(redis, killed, 1)).toBe('kill-requested');
  });
});
