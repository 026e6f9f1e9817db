import type { Redis } from 'ioredis';
import type { RedisKeys } from '../shared/launch/keys.js';
import { isTerminalLaunchState } from '../shared/launch/types.js';
import type { Logger } from '../shared/logger.js';
import { readLaunch, type LaunchSnapshot } from './launch-records.js';
import type { LaunchResolver } from './launch-resolver.js';
import type { PendingLaunches } from './pending-launches.js';
import { taskReference, type SchedulerCalls } from './scheduler-calls.js';

export interface KillerOptions {
  /** A connection this class puts in subscriber mode; it is used for nothing else. */
  subscriber: Redis;
  redis: Redis;
  keys: RedisKeys;
  pending: PendingLaunches;
  resolver: LaunchResolver;
  calls: () => SchedulerCalls | undefined;
  logger: Logger;
}

/**
 * Carries out kill requests. The HTTP side marks the launch `kill_requested`, or cancels a QUEUED
 * one, and publishes its id on the kill channel. A launch with a task that has reported a state
 * gets a KILL with its agent id at once. A LAUNCHING one is killed when the first status of its
 * task arrives (the status handler checks `kill_requested`). A held job whose launch is QUEUED or
 * already ended is settled from its record at once.
 */
export class Killer {
  #listening = false;

  constructor(private readonly options: KillerOptions) {
    options.subscriber.on('message', (channel: string, message: string) => {
      if (!this.#listening || channel !== options.keys.killChannel) {
        return;
      }

      this.#onKillRequest(message).catch((error: unknown) => {
        options.logger.error(
          { err: error, launchId: message },
          'failed to carry out a kill request',
        );
      });
    });
  }

  async start(): Promise<void> {
    await this.options.subscriber.subscribe(this.options.keys.killChannel);
    this.#listening = true;
  }

  async stop(): Promise<void> {
    this.#listening = false;
    await this.options.subscriber.unsubscribe(this.options.keys.killChannel);
  }

  /** Sends KILL for every active launch marked `kill_requested` whose task has reported a state. */
  killRequested(launches: readonly LaunchSnapshot[]): void {
    for (const launch of launches) {
      if (launch.killRequested) {
        this.#killTask(launch);
      }
    }
  }

  async #onKillRequest(launchId: string): Promise<void> {
    const record = await readLaunch(this.options.redis, this.options.keys, launchId);
    if (!record) {
      return;
    }

    if (record.state === 'QUEUED' || isTerminalLaunchState(record.state)) {
      await this.options.resolver.resolve([launchId]);
      return;
    }

    if (record.killRequested) {
      this.#killTask(record);
    }
  }

  #killTask(launch: LaunchSnapshot): void {
    if (!launch.taskId || launch.state === 'LAUNCHING' || launch.state === 'QUEUED') {
      return;
    }

    const calls = this.options.calls();
    this.options.logger.info(
      { launchId: launch.id, taskId: launch.taskId, agentId: launch.agentId },
      'killing task on request',
    );
    const task = taskReference(launch.taskId, launch.agentId);
    calls?.kill(task.task_id, task.agent_id).catch((error: unknown) => {
      this.options.logger.warn(
        { err: error, launchId: launch.id, taskId: launch.taskId },
        'failed to send KILL; it is sent again after the next subscribe',
      );
    });
  }
}
