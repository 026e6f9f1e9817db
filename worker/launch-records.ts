import type { Redis } from 'ioredis';
import type { RedisKeys } from '../shared/launch/keys.js';
import type { AssignedPort, LaunchState } from '../shared/launch/types.js';

const SNAPSHOT_FIELDS = [
  'state',
  'task_id',
  'agent_id',
  'attempt',
  'ever_running',
  'kill_requested',
  'ports',
  'created_at',
  'updated_at',
  'reason',
  'message',
] as const;

/** The fields of a launch record the worker acts on. */
export interface LaunchSnapshot {
  id: string;
  state: LaunchState;
  taskId: string | undefined;
  agentId: string | undefined;
  /** The attempt number of the latest task id handed out; 0 before the first. */
  attempt: number;
  everRunning: boolean;
  killRequested: boolean;
  ports: AssignedPort[];
  createdAtMs: number | undefined;
  updatedAtMs: number | undefined;
  reason: string | undefined;
  message: string | undefined;
}

/**
 * Reads the launch records of `ids`, undefined for a missing one. The HMGETs are issued in one
 * tick, so an auto-pipelining connection sends them in one round trip.
 */
export async function readLaunches(
  redis: Redis,
  keys: RedisKeys,
  ids: readonly string[],
): Promise<(LaunchSnapshot | undefined)[]> {
  const replies = await Promise.all(
    ids.map((id) => redis.hmget(keys.launch(id), ...SNAPSHOT_FIELDS)),
  );
  return replies.map((values, index) => toSnapshot(ids[index] ?? '', values));
}

export async function readLaunch(
  redis: Redis,
  keys: RedisKeys,
  id: string,
): Promise<LaunchSnapshot | undefined> {
  const [snapshot] = await readLaunches(redis, keys, [id]);
  return snapshot;
}

/** Reads every launch in the active set, in batches so one reply never grows too large. */
export async function readActiveLaunches(
  redis: Redis,
  keys: RedisKeys,
  batchSize = 1000,
): Promise<LaunchSnapshot[]> {
  const ids = await redis.smembers(keys.activeLaunches);
  const snapshots: LaunchSnapshot[] = [];

  for (let start = 0; start < ids.length; start += batchSize) {
    const batch = await readLaunches(redis, keys, ids.slice(start, start + batchSize));
    for (const snapshot of batch) {
      if (snapshot) {
        snapshots.push(snapshot);
      }
    }
  }

  return snapshots;
}

function toSnapshot(id: string, values: (string | null)[]): LaunchSnapshot | undefined {
  const [state, taskId, agentId, attempt, ever, kill, ports, created, updated, reason, message] =
    values;
  if (!state) {
    return undefined;
  }

  return {
    id,
    state: state as LaunchState,
    taskId: taskId ?? undefined,
    agentId: agentId ?? undefined,
    attempt: attempt ? Number(attempt) : 0,
    everRunning: ever === '1',
    killRequested: kill === '1',
    ports: parsePorts(ports),
    createdAtMs: parseTime(created),
    updatedAtMs: parseTime(updated),
    reason: reason ?? undefined,
    message: message ?? undefined,
  };
}

function parsePorts(value: string | null | undefined): AssignedPort[] {
  if (!value) {
    return [];
  }

  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? (parsed as AssignedPort[]) : [];
}

function parseTime(value: string | null | undefined): number | undefined {
  if (!value) {
    return undefined;
  }

  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
