import { MesosLaunchError } from '../shared/errors.js';
import { createLogger } from '../shared/logger.js';
import type { Event } from '../shared/mesos/types.js';
import { buildFrameworkInfo } from './framework.js';
import { readActiveLaunches } from './launch-records.js';
import { SchedulerClient, SchedulerErrorCode, type SubscribedInfo } from './mesos/index.js';
import type { SchedulerCalls } from './scheduler-calls.js';
import {
  createSessionComponents,
  type SessionComponents,
  type SessionContext,
} from './session-components.js';

export type { SessionContext };

/** Raised when the worker must not (or can no longer) subscribe with its framework id. */
export class FrameworkUnusableError extends MesosLaunchError {
  constructor(message: string) {
    super('FRAMEWORK_UNUSABLE', message);
    this.name = 'FrameworkUnusableError';
  }
}

/**
 * Everything the active worker runs while it holds the lease: the Mesos subscription, the job
 * intake, offer cycles, status updates, reconciliation, kills and expiry. A session is built
 * from Redis when the lease is taken and thrown away when it is lost, so a worker that leads
 * again starts from Redis and reconciliation, never from memory.
 */
export class LeaderSession {
  readonly #context: SessionContext;
  readonly #components: SessionComponents;
  readonly #onWaiting = (count: number): void => {
    this.#components.suppression.onWaitingChanged(count);
    this.#components.offers.onWaitingChanged(count);
  };
  #client: SchedulerClient | undefined;
  #subscribed = false;
  #streamId: string | undefined;
  #frameworkId: string | undefined;

  constructor(context: SessionContext) {
    this.#context = context;
    this.#components = createSessionComponents(context, () => this.#calls());
  }

  get subscribed(): boolean {
    return this.#subscribed;
  }

  get frameworkId(): string | undefined {
    return this.#frameworkId;
  }

  get streamId(): string | undefined {
    return this.#streamId;
  }

  /** Unused offers kept for launches that arrive later. */
  get heldOffers(): number {
    return this.#components.offers.heldCount;
  }

  get lastHeartbeatAt(): number | undefined {
    return this.#client?.lastHeartbeatAt;
  }

  /** Loads the framework id and starts subscribing; jobs are taken once SUBSCRIBED arrives. */
  async start(): Promise<void> {
    const frameworkId = await this.#components.frameworkIds.load();
    if (!frameworkId) {
      await this.#checkNoLaunchHasTask();
    }

    this.#frameworkId = frameworkId;
    this.#context.pending.open();
    this.#context.pending.on('waiting', this.#onWaiting);
    await this.#components.killer.start();
    this.#client = this.#createClient(frameworkId);
    this.#client.start();
    this.#components.expiry.start();
    this.#components.queuedSweep.start();
  }

  /**
   * Stops taking jobs and hands every held job back to the queue, then waits until the offer
   * cycle and the status updates in flight are done, so their acknowledgements go out.
   */
  async quiesce(reason: string): Promise<void> {
    this.#components.expiry.stop();
    this.#components.queuedSweep.stop();
    this.#components.reconciler.stop();
    this.#components.suppression.onDisconnected();
    this.#context.pending.off('waiting', this.#onWaiting);
    await this.#components.intake.pause();
    this.#context.pending.close(reason);
    this.#components.offers.declineHeld();
    await this.#components.offers.drain();
    await this.#components.updates.drain();
  }

  /** Closes the subscription without TEARDOWN, so tasks keep running, and the job intake. */
  async close(): Promise<void> {
    this.#subscribed = false;
    await this.#client?.stop();
    await this.#components.intake.close();
    await this.#components.killer.stop().catch(() => undefined);
    await this.#components.queuedSweep.close().catch(() => undefined);
    this.#components.subscriber.disconnect();
  }

  #calls(): SchedulerCalls | undefined {
    return this.#subscribed ? this.#client : undefined;
  }

  /** Fails rather than take a new framework id while a launch has a task under the old one. */
  async #checkNoLaunchHasTask(): Promise<void> {
    const launches = await readActiveLaunches(this.#context.redis, this.#context.keys);
    const withTask = launches.filter((launch) => launch.taskId && launch.state !== 'QUEUED');
    if (withTask.length > 0) {
      throw new FrameworkUnusableError(
        `no framework id is stored under ${this.#context.keys.frameworkId}, ` +
          `but active launches have tasks (${withTask.length}). Subscribing with a new id ` +
          'would orphan them: restore the framework id in Redis.',
      );
    }
  }

  #createClient(frameworkId: string | undefined): SchedulerClient {
    const { config, tuning, logger } = this.#context;
    const client = new SchedulerClient({
      masters: this.#context.masters,
      contentType: config.mesos.contentType,
      credentials: config.mesos.credentials,
      frameworkInfo: buildFrameworkInfo(config, frameworkId),
      heartbeatMissFactor: tuning.heartbeatMissFactor,
      backoff: tuning.subscribeBackoff,
      requestTimeoutMs: tuning.requestTimeoutMs,
      logger: createLogger('mesos-scheduler-client', { level: logger.level }),
    });

    client.on('subscribed', (info) => this.#onSubscribed(info));
    client.on('event', (event) => this.#onEvent(event));
    client.on('disconnected', () => this.#onDisconnected());
    client.on('error', (error) => this.#onClientError(error));
    return client;
  }

  async #onSubscribed(info: SubscribedInfo): Promise<void> {
    const stored = await this.#components.frameworkIds.load();
    if (stored !== info.frameworkId) {
      if (stored) {
        this.#context.logger.error(
          { frameworkId: info.frameworkId, storedFrameworkId: stored },
          'the master gave a framework id other than the stored one; storing the new id',
        );
      }
      await this.#components.frameworkIds.save(info.frameworkId);
    }

    this.#frameworkId = info.frameworkId;
    this.#streamId = info.streamId;
    this.#subscribed = true;
    this.#components.offers.clear();

    try {
      await this.#components.reconciler.onSubscribed();
    } catch (error) {
      this.#context.logger.error({ err: error }, 'reconciliation after subscribing failed');
    }

    this.#components.suppression.onSubscribed(this.#context.pending.waitingCount);
    this.#components.intake.start();
  }

  #onEvent(event: Event): void {
    switch (event.type) {
      case 'OFFERS':
        this.#components.offers.push(event.offers?.offers ?? []);
        return;
      case 'UPDATE':
        if (event.update) {
          this.#components.updates.push(event.update.status);
        }
        return;
      case 'RESCIND':
        this.#components.offers.rescind(event.rescind?.offer_id.value);
        return;
      case 'FAILURE':
        this.#context.logger.warn(
          {
            agentId: event.failure?.agent_id?.value,
            executorId: event.failure?.executor_id?.value,
          },
          'Mesos reported an agent or executor failure',
        );
        return;
      case 'ERROR':
        this.#onErrorEvent(event.error?.message ?? '');
        return;
      default:
        return;
    }
  }

  #onErrorEvent(message: string): void {
    this.#context.logger.error(
      { frameworkId: this.#frameworkId, message },
      'Mesos master sent ERROR',
    );
    if (message.includes('Framework failed over')) {
      this.#context.onFailedOver();
    }
  }

  #onDisconnected(): void {
    this.#subscribed = false;
    this.#streamId = undefined;
    this.#components.offers.clear();
    this.#components.suppression.onDisconnected();
    this.#components.reconciler.stop();
    this.#components.intake.pause().catch((error: unknown) => {
      this.#context.logger.warn({ err: error }, 'failed to pause the job intake');
    });
  }

  #onClientError(error: Error): void {
    this.#onDisconnected();
    const code = (error as { code?: unknown }).code;
    if (code !== SchedulerErrorCode.frameworkRemoved) {
      this.#context.onFatal(error);
      return;
    }

    this.#onFrameworkRemoved().catch((failure: unknown) => {
      this.#context.onFatal(failure instanceof Error ? failure : new Error(String(failure)));
    });
  }

  /**
   * The master removed this framework (its failover timeout passed, or it was torn down), so its
   * tasks are gone. A new framework id is taken only when no launch has a task.
   */
  async #onFrameworkRemoved(): Promise<void> {
    const launches = await readActiveLaunches(this.#context.redis, this.#context.keys);
    const withTask = launches.filter((launch) => launch.taskId && launch.state !== 'QUEUED');
    if (withTask.length > 0) {
      throw new FrameworkUnusableError(
        `the Mesos master removed framework ${this.#frameworkId ?? ''} ` +
          `while active launches have tasks (${withTask.length}). Those tasks are gone: end the ` +
          'launches in Redis before the worker may take a new framework id.',
      );
    }

    this.#context.logger.warn(
      { frameworkId: this.#frameworkId },
      'the Mesos master removed the framework and no launch has a task; subscribing with a new id',
    );
    await this.#components.frameworkIds.clear();
    this.#context.onFrameworkReset();
  }
}
