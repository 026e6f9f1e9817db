import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../shared/config.js';
import type { RedisKeys } from '../shared/launch/keys.js';
import type { Logger } from '../shared/logger.js';
import { LaunchExpiry } from './expiry.js';
import { FrameworkIdStore } from './framework.js';
import { Killer } from './killer.js';
import { LaunchIntake } from './launch-intake.js';
import { LaunchResolver } from './launch-resolver.js';
import type { WorkerMetrics } from './metrics.js';
import { OfferCycle, type RejectedWrite } from './offer-cycle.js';
import type { PendingLaunches } from './pending-launches.js';
import type { PortLedger } from './port-ledger.js';
import { QueuedLaunchSweep } from './queued-launch-sweep.js';
import { Reconciler } from './reconciler.js';
import type { SchedulerCalls } from './scheduler-calls.js';
import { StatusRecorder } from './status-recorder.js';
import { StatusUpdates } from './status-updates.js';
import { OfferSuppression } from './suppression.js';
import type { WorkerTuning } from './tuning.js';

/** Shared resources a session runs with; they outlive it. */
export interface SessionContext {
  config: Config;
  masters: string[];
  /** The command connection, with auto-pipelining. */
  redis: Redis;
  connection: RedisOptions;
  keys: RedisKeys;
  workerId: string;
  pending: PendingLaunches;
  ports: PortLedger;
  metrics: WorkerMetrics;
  tuning: WorkerTuning;
  logger: Logger;
  /** A permanent failure: the worker must stop. */
  onFatal: (error: Error) => void;
  /** Another scheduler subscribed with this framework id; the worker checks its lease. */
  onFailedOver: () => void;
  /** The master removed the framework and no launch has a task: subscribe again with a new id. */
  onFrameworkReset: () => void;
}

/** The parts of a leader session, wired to each other. */
export interface SessionComponents {
  frameworkIds: FrameworkIdStore;
  /** A connection of the session's own for the kill and status channels. */
  subscriber: Redis;
  resolver: LaunchResolver;
  intake: LaunchIntake;
  offers: OfferCycle;
  updates: StatusUpdates;
  suppression: OfferSuppression;
  reconciler: Reconciler;
  killer: Killer;
  expiry: LaunchExpiry;
  queuedSweep: QueuedLaunchSweep;
}

/**
 * Builds the parts of a leader session. `calls` returns the scheduler client while subscribed
 * and undefined otherwise, so no part sends a call between subscriptions.
 */
export function createSessionComponents(
  context: SessionContext,
  calls: () => SchedulerCalls | undefined,
): SessionComponents {
  return new ComponentFactory(context, calls).build();
}

class ComponentFactory {
  readonly #resolver: LaunchResolver;
  #components: SessionComponents | undefined;

  constructor(
    private readonly context: SessionContext,
    private readonly calls: () => SchedulerCalls | undefined,
  ) {
    const { redis, keys, pending, logger } = context;
    this.#resolver = new LaunchResolver({ redis, keys, pending, logger });
  }

  build(): SessionComponents {
    const { redis, keys, connection } = this.context;
    const subscriber = new Redis(connection);
    // The command connection logs outages; without a listener ioredis prints every failed retry.
    subscriber.on('error', (error) => {
      this.context.logger.debug({ err: error }, 'kill channel connection error');
    });
    const components: SessionComponents = {
      frameworkIds: new FrameworkIdStore(redis, keys.frameworkId),
      subscriber,
      resolver: this.#resolver,
      intake: this.#createIntake(),
      offers: this.#createOfferCycle(),
      updates: this.#createStatusUpdates(),
      suppression: this.#createSuppression(),
      reconciler: this.#createReconciler(),
      killer: this.#createKiller(subscriber),
      expiry: this.#createExpiry(),
      queuedSweep: this.#createQueuedSweep(),
    };

    this.#components = components;
    return components;
  }

  /** Returns a part built later in `build()`; callbacks run only after `build()` returned. */
  #part<K extends keyof SessionComponents>(name: K): SessionComponents[K] {
    if (!this.#components) {
      throw new Error(`session component ${name} used before the session was built`);
    }

    return this.#components[name];
  }

  #createSuppression(): OfferSuppression {
    const { tuning, logger } = this.context;
    return new OfferSuppression({
      calls: this.calls,
      suppressDelayMs: tuning.suppressDelayMs,
      minReviveIntervalMs: tuning.minReviveIntervalMs,
      logger,
    });
  }

  #createKiller(subscriber: Redis): Killer {
    const { redis, keys, pending, logger } = this.context;
    return new Killer({
      subscriber,
      redis,
      keys,
      pending,
      resolver: this.#resolver,
      calls: this.calls,
      logger,
    });
  }

  #createExpiry(): LaunchExpiry {
    const { redis, keys, pending, tuning, logger } = this.context;
    return new LaunchExpiry({
      redis,
      keys,
      pending,
      intervalMs: tuning.expiryIntervalMs,
      onRejected: (ids) => this.#resolve(ids),
      logger,
    });
  }

  #createQueuedSweep(): QueuedLaunchSweep {
    const { connection, redis, keys, pending, config, tuning, logger } = this.context;
    return new QueuedLaunchSweep({
      connection,
      redis,
      keys,
      pending,
      jobAttempts: config.launch.attempts,
      intervalMs: tuning.queuedSweepIntervalMs,
      minAgeMs: tuning.queuedSweepMinAgeMs,
      logger,
    });
  }

  #createIntake(): LaunchIntake {
    const { connection, redis, keys, pending, config, tuning, metrics, logger } = this.context;
    return new LaunchIntake({
      connection,
      redis,
      keys,
      pending,
      resolver: this.#resolver,
      defaultTimeoutSeconds: config.launch.timeoutSeconds,
      concurrency: tuning.jobConcurrency,
      metrics,
      logger,
    });
  }

  #createOfferCycle(): OfferCycle {
    const { redis, keys, workerId, config, pending, ports, metrics, logger } = this.context;
    return new OfferCycle({
      redis,
      keys,
      holderId: workerId,
      role: config.mesos.role,
      refuseSeconds: config.launch.refuseSeconds,
      offerHoldMs: config.launch.offerHoldSeconds * 1000,
      pending,
      ports,
      calls: this.calls,
      onRejected: (rejections) => this.#onRejected(rejections),
      onDeclined: () => this.#part('suppression').onDeclined(),
      onAcceptFailed: (tasks) => {
        this.#part('reconciler')
          .reconcileTasks(tasks)
          .catch((error: unknown) => {
            logger.warn({ err: error }, 'failed to reconcile the tasks of a failed ACCEPT');
          });
      },
      metrics,
      logger,
    });
  }

  #createStatusUpdates(): StatusUpdates {
    const { redis, keys, config, pending, ports, metrics, logger } = this.context;
    return new StatusUpdates({
      recorder: new StatusRecorder({ redis, keys, maxAttempts: config.launch.attempts }),
      calls: this.calls,
      pending,
      ports,
      metrics,
      logger,
    });
  }

  #createReconciler(): Reconciler {
    const { redis, keys, ports, tuning, logger } = this.context;
    return new Reconciler({
      redis,
      keys,
      calls: this.calls,
      ports,
      onActiveLaunches: (launches) => this.#part('killer').killRequested(launches),
      baseIntervalMs: tuning.reconcileBaseIntervalMs,
      maxIntervalMs: tuning.reconcileMaxIntervalMs,
      launchingGraceMs: tuning.launchingGraceMs,
      batchSize: tuning.reconcileBatchSize,
      logger,
    });
  }

  #onRejected(rejections: RejectedWrite[]): void {
    const notLeader = rejections.filter((rejection) => rejection.result === 'not-leader');
    if (notLeader.length > 0) {
      this.context.logger.warn(
        { launches: notLeader.length },
        'LAUNCHING rejected: this worker no longer holds the lease',
      );
    }

    const others = rejections.filter((rejection) => rejection.result !== 'not-leader');
    this.#resolve(others.map((rejection) => rejection.launchId));
  }

  #resolve(launchIds: string[]): void {
    if (launchIds.length === 0) {
      return;
    }

    this.#resolver.resolve(launchIds).catch((error: unknown) => {
      this.context.logger.error(
        { err: error },
        'failed to read launch records after a rejected write',
      );
    });
  }
}
