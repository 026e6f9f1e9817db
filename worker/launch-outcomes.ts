import type { Redis } from 'ioredis';
import type { RedisKeys } from '../shared/launch/keys.js';
import { TERMINAL_TASK_STATES, type HistoryEntry } from '../shared/launch/types.js';
import { END_QUEUED_LAUNCH } from './launch-scripts.js';
import type { LaunchSnapshot } from './launch-records.js';
import type { LaunchOutcome } from './pending-launches.js';

/**
 * Returns the job outcome a launch record already decides, or undefined while the launch still
 * waits: QUEUED (for an offer) or with a task that has not run yet.
 */
export function outcomeFromRecord(record: LaunchSnapshot): LaunchOutcome | undefined {
  const details = { state: record.state, reason: record.reason, message: record.message };

  if (record.state === 'CANCELLED') {
    return { kind: 'cancelled', ...details };
  }

  if (record.state === 'EXPIRED') {
    return { kind: 'failed', ...details };
  }

  if ((TERMINAL_TASK_STATES as readonly string[]).includes(record.state)) {
    return terminalRecordOutcome(record);
  }

  if (record.everRunning) {
    return { kind: 'running', state: record.state, taskId: record.taskId ?? '' };
  }

  return undefined;
}

function terminalRecordOutcome(record: LaunchSnapshot): LaunchOutcome {
  const details = { state: record.state, reason: record.reason, message: record.message };

  if (record.everRunning || record.state === 'TASK_FINISHED') {
    return { kind: 'ended', ...details };
  }

  if (record.killRequested) {
    return { kind: 'cancelled', ...details };
  }

  return { kind: 'failed', ...details };
}

/**
 * Ends a launch that is still QUEUED as CANCELLED or EXPIRED. Returns `ok`, `missing`, or the
 * state the launch has instead, in which case nothing was written.
 */
export async function endQueuedLaunch(
  redis: Redis,
  keys: RedisKeys,
  launchId: string,
  ending: { state: 'CANCELLED' | 'EXPIRED'; reason: string; message: string },
): Promise<string> {
  const nowIso = new Date().toISOString();
  const entry: HistoryEntry = {
    state: ending.state,
    timestamp: nowIso,
    source: null,
    reason: ending.reason,
    message: ending.message,
    task_id: null,
  };

  const result = await END_QUEUED_LAUNCH.run(
    redis,
    [keys.launch(launchId), keys.history(launchId), keys.activeLaunches],
    [
      ending.state,
      ending.reason,
      ending.message,
      nowIso,
      JSON.stringify(entry),
      keys.statusChannel,
      launchId,
    ],
  );
  return String(result);
}
