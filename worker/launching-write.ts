import type { Redis } from 'ioredis';
import type { RedisKeys } from '../shared/launch/keys.js';
import type { HistoryEntry } from '../shared/launch/types.js';
import { MARK_LAUNCHING } from './launch-scripts.js';
import type { Placement } from './placement/index.js';

/** The Redis connection and keys of a LAUNCHING write, and the lease holder it must come from. */
export interface LaunchingWriteTarget {
  redis: Redis;
  keys: RedisKeys;
  holderId: string;
}

/**
 * Writes LAUNCHING with the task id, agent and ports of a placement, through a script that
 * checks the lease, the QUEUED state and the attempt. Resolves with the script's result: `ok`,
 * or why the write was rejected (`not-leader`, `not-queued`, ...).
 */
export async function writeLaunching(
  target: LaunchingWriteTarget,
  placement: Placement,
): Promise<unknown> {
  const { redis, keys, holderId } = target;
  const { launch, offer, taskInfo, ports } = placement;
  const nowIso = new Date().toISOString();
  const taskId = taskInfo.task_id.value;
  const entry: HistoryEntry = {
    state: 'LAUNCHING',
    timestamp: nowIso,
    source: null,
    reason: null,
    message: `placed on agent ${offer.agent_id.value} (${offer.hostname})`,
    task_id: taskId,
  };

  return MARK_LAUNCHING.run(
    redis,
    [keys.launch(launch.launchId), keys.history(launch.launchId), keys.workerLease],
    [
      holderId,
      String(launch.attempt - 1),
      String(launch.attempt),
      taskId,
      offer.agent_id.value,
      offer.hostname,
      JSON.stringify(ports),
      nowIso,
      JSON.stringify(entry),
      keys.statusChannel,
      launch.launchId,
    ],
  );
}
