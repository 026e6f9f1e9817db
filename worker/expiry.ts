import type { Redis } from 'ioredis';
import type { RedisKeys } from '../shared/launch/keys.js';
import type { Logger } from '../shared/logger.js';
import { EXPIRED_REASON } from './launch-reasons.js';
import { endQueuedLaunch } from './launch-outcomes.js';
import type { PendingLaunches, TrackedLaunch } from './pending-launches.js';

export interface LaunchExpiryOptions {
  redis: Redis;
  keys: RedisKeys;
  pending: PendingLaunches;
  /** How often waiting launches are checked against their deadline. */
  intervalMs: number;
  /** Called with the ids whose EXPIRED write was rejected because the state had changed. */
  onRejected: (launchIds: string[]) => void;
  logger: Logger;
}

/**
 * Ends launches that waited for an offer longer than their `timeout_seconds`, counted from the
 * launch's creation, as EXPIRED. The write applies only while the launch is still QUEUED, so a
 * launch placed in the meantime keeps its task.
 */
export class LaunchExpiry {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LaunchExpiryOptions) {}

  start(): void {
    this.stop();
    this.#timer = setInterval(() => {
      this.sweep().catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'failed to expire launches');
      });
    }, this.options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Expires every waiting launch whose deadline is at or before `nowMs`. */
  async sweep(nowMs = Date.now()): Promise<void> {
    const due = this.options.pending.waitingEntries().filter((entry) => entry.deadlineMs <= nowMs);
    if (due.length === 0) {
      return;
    }

    const results = await Promise.all(due.map((entry) => this.#expire(entry)));
    const rejected = due
      .filter((_, index) => results[index] !== 'ok')
      .map((entry) => entry.launchId);
    if (rejected.length > 0) {
      this.options.onRejected(rejected);
    }
  }

  async #expire(entry: TrackedLaunch): Promise<string> {
    const timeoutSeconds = Math.round((entry.deadlineMs - entry.createdAtMs) / 1000);
    const message = `no offer fitted the launch within its timeout of ${timeoutSeconds} s`;
    const result = await endQueuedLaunch(this.options.redis, this.options.keys, entry.launchId, {
      state: 'EXPIRED',
      reason: EXPIRED_REASON,
      message,
    });

    if (result === 'ok') {
      this.options.logger.info({ launchId: entry.launchId, timeoutSeconds }, 'launch expired');
      this.options.pending.settle(entry.launchId, {
        kind: 'failed',
        state: 'EXPIRED',
        reason: EXPIRED_REASON,
        message,
      });
    }

    return result;
  }
}
