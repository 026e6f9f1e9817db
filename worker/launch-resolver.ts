import type { Redis } from 'ioredis';
import type { RedisKeys } from '../shared/launch/keys.js';
import type { Logger } from '../shared/logger.js';
import { CANCELLED_MESSAGE } from './launch-reasons.js';
import { readLaunches, type LaunchSnapshot } from './launch-records.js';
import { endQueuedLaunch, outcomeFromRecord } from './launch-outcomes.js';
import type { PendingLaunches } from './pending-launches.js';

export interface LaunchResolverOptions {
  redis: Redis;
  keys: RedisKeys;
  pending: PendingLaunches;
  logger: Logger;
}

/**
 * Brings held launches in line with their records after a conditional write was rejected because
 * the record had changed. It settles the launches that ended and cancels a QUEUED one with a kill
 * request. The others go back to the phase their record shows.
 */
export class LaunchResolver {
  constructor(private readonly options: LaunchResolverOptions) {}

  async resolve(launchIds: readonly string[]): Promise<void> {
    const { redis, keys } = this.options;
    const records = await readLaunches(redis, keys, launchIds);
    await Promise.all(launchIds.map((id, index) => this.#resolveOne(id, records[index])));
  }

  async #resolveOne(launchId: string, record: LaunchSnapshot | undefined): Promise<void> {
    const { pending } = this.options;
    if (!record) {
      this.options.logger.error({ launchId }, 'launch record disappeared while its job was held');
      pending.settle(launchId, {
        kind: 'failed',
        state: 'QUEUED',
        message: 'launch record not found',
      });
      return;
    }

    const outcome = outcomeFromRecord(record);
    if (outcome) {
      pending.settle(launchId, outcome);
    } else if (record.state === 'QUEUED' && record.killRequested) {
      await this.#cancel(launchId);
    } else if (record.state === 'QUEUED') {
      pending.requeue(launchId, record.attempt + 1);
    } else {
      pending.markLaunching(launchId, record.attempt);
    }
  }

  async #cancel(launchId: string): Promise<void> {
    const result = await endQueuedLaunch(this.options.redis, this.options.keys, launchId, {
      state: 'CANCELLED',
      reason: '',
      message: CANCELLED_MESSAGE,
    });

    if (result === 'ok') {
      this.options.pending.settle(launchId, {
        kind: 'cancelled',
        state: 'CANCELLED',
        message: CANCELLED_MESSAGE,
      });
      return;
    }

    await this.resolve([launchId]);
  }
}
