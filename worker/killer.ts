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
 * Carries out kill requests. The HTTP side marks the launch `kill_requested` and publishes its id
 * on the kill channel. A launch with a task that has reported a state gets a KILL with its agent
 * id at once. A LAUNCHING one is killed when the first status of its task arrives (the status
 * handler checks `kill_requested`). A launch still QUEUED ends as CANCELLED, and a held job whose
 * launch was cancelled ends at once.
 */
export class Killer {
  #listening = false;

  constructor(private readonly options: KillerOptions) {
    options.subscriber.on('message', (channel: string, message: string) => {
      if (!this.#listening) {
        return;
      }

      if (channel === options.keys.killChannel) {
        this.#onKillRequest(message).catch((error: unknown) => {
          options.logger.error(
            { err: error, launchId: message },
            'failed to carry out a kill request',
          );
        });
      } else if (channel === options.keys.statusChannel && message.includes('"CANCELLED"')) {
        this.#onCancelled(message);
      }
    });
  }

  /**
   * Subscribes to the kill channel, and to the status channel to learn of launches that the HTTP
   * side cancelled while this worker held their jobs.
   */
  async start(): Promise<void> {
    await this.options.subscriber.subscribe(
      this.options.keys.killChannel,
      this.options.keys.statusChannel,
    );
    this.#listening = true;
  }

  async stop(): Promise<void> {
    this.#listening = false;
    await this.options.subscriber.unsubscribe(
      this.options.keys.killChannel,
      this.options.keys.statusChannel,
    );
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

  #onCancelled(message: string): void {
    let parsed: { id?: unknown; state?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }

    const { id, state } = parsed;
    if (typeof id === 'string' && state === 'CANCELLED') {
      this.options.pending.settle(id, { kind: 'cancelled', state: 'CANCELLED' });
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
