import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../shared/config.js';
import { ConfigError } from '../shared/errors.js';
import { redisKeys, type RedisKeys } from '../shared/launch/keys.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { redisOptionsFromUrl } from '../shared/redis-connection.js';
import { startHealthServer, type HealthServer, type WorkerHealth } from './health-server.js';
import { FrameworkUnusableError, LeaderSession } from './leader-session.js';
import { WorkerLease } from './lease.js';
import { WorkerMetrics } from './metrics.js';
import { PendingLaunches } from './pending-launches.js';
import { PortLedger } from './port-ledger.js';
import { DEFAULT_TUNING, type WorkerTuning } from './tuning.js';

export interface StartWorkerOptions {
  logger?: Logger;
  /** Redis connection options; by default they come from `config.redis.url`. */
  redis?: RedisOptions;
  /** The id this worker writes into the lease; by default hostname, pid and a random suffix. */
  workerId?: string;
  /** Mesos masters; by default `config.mesos.masters`. */
  masters?: string[];
  /** Port of `/healthz` and `/metrics`; by default `config.http.workerPort` (0 picks one). */
  healthPort?: number;
  tuning?: Partial<WorkerTuning>;
  /** Called once when the worker stopped on a permanent failure. */
  onFatal?: (error: Error) => void;
}

export interface WorkerHandle {
  /** Stops taking jobs, releases the lease and closes the subscription without TEARDOWN. */
  stop(): Promise<void>;
  /** Base URL of the health server, e.g. `http://127.0.0.1:8081`. */
  healthUrl: string;
  state(): WorkerHealth;
}

/**
 * Starts a scheduler worker. It waits on standby until it takes the Redis lease, then subscribes to
 * Mesos and processes launch jobs until it loses the lease, stops or fails permanently.
 */
export async function startWorker(
  config: Config,
  options: StartWorkerOptions = {},
): Promise<WorkerHandle> {
  const worker = new Worker(config, options);
  try {
    await worker.start(options.healthPort ?? config.http.workerPort);
  } catch (error) {
    await worker.stop();
    throw error;
  }

  return {
    stop: () => worker.stop(),
    get healthUrl() {
      return worker.healthUrl;
    },
    state: () => worker.state(),
  };
}

class Worker {
  readonly #config: Config;
  readonly #options: StartWorkerOptions;
  readonly #logger: Logger;
  readonly #workerId: string;
  readonly #connection: RedisOptions;
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #tuning: WorkerTuning;
  readonly #masters: string[];
  readonly #pending: PendingLaunches;
  readonly #ports = new PortLedger();
  readonly #metrics: WorkerMetrics;
  readonly #lease: WorkerLease;
  #health: HealthServer | undefined;
  #session: LeaderSession | undefined;
  #role: WorkerHealth['role'] = 'starting';
  #error: string | null = null;
  #transitions: Promise<void> = Promise.resolve();

  constructor(config: Config, options: StartWorkerOptions) {
    this.#config = config;
    this.#options = options;
    this.#logger = options.logger ?? createLogger('worker');
    this.#workerId = options.workerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.#connection = options.redis ?? connectionFromConfig(config);
    this.#masters = mastersFrom(options.masters ?? config.mesos.masters);
    this.#tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.#redis = new Redis({ ...this.#connection, enableAutoPipelining: true });
    this.#keys = redisKeys(config.redis.prefix);
    this.#pending = new PendingLaunches(config.framework.name);
    this.#metrics = this.#createMetrics();
    this.#lease = new WorkerLease({
      redis: this.#redis,
      key: this.#keys.workerLease,
      holderId: this.#workerId,
      ttlMs: this.#tuning.leaseTtlMs,
      renewIntervalMs: this.#tuning.leaseRenewIntervalMs,
      pollIntervalMs: this.#tuning.leasePollIntervalMs,
      logger: this.#logger,
    });
  }

  get healthUrl(): string {
    return this.#health?.url ?? '';
  }

  async start(healthPort: number): Promise<void> {
    this.#redis.on('error', (error) => {
      this.#logger.warn({ err: error }, 'Redis connection error');
    });
    this.#health = await startHealthServer(
      this.#config.http.host,
      healthPort,
      () => this.#healthWithHolder(),
      this.#metrics.registry,
    );

    this.#lease.on('acquired', () => this.#enqueue(() => this.#lead()));
    this.#lease.on('lost', (reason) => this.#enqueue(() => this.#standDown(reason)));
    this.#role = 'standby';
    this.#lease.start();
    this.#logger.info(
      { workerId: this.#workerId, healthUrl: this.#health.url },
      'worker started; waiting for the lease',
    );
  }

  async stop(): Promise<void> {
    if (this.#role === 'stopping' || this.#role === 'stopped') {
      return;
    }

    this.#role = 'stopping';
    this.#lease.removeAllListeners();
    await this.#transitions;
    await this.#endSession('worker stopping', { releaseLease: true });
    await this.#lease.stop();
    await this.#health?.close();
    this.#redis.disconnect();
    this.#role = 'stopped';
    this.#logger.info({ workerId: this.#workerId }, 'worker stopped');
  }

  state(): WorkerHealth {
    const session = this.#session;
    const heartbeatAt = session?.lastHeartbeatAt;
    return {
      role: this.#role,
      workerId: this.#workerId,
      leaseHolder: this.#lease.held ? this.#workerId : null,
      subscribed: session?.subscribed ?? false,
      frameworkId: session?.frameworkId ?? null,
      streamId: session?.streamId ?? null,
      secondsSinceHeartbeat:
        heartbeatAt === undefined ? null : Math.max(0, (Date.now() - heartbeatAt) / 1000),
      pendingLaunches: this.#pending.size,
      waitingLaunches: this.#pending.waitingCount,
      error: this.#error,
    };
  }

  async #healthWithHolder(): Promise<WorkerHealth> {
    const state = this.state();
    const holder = await this.#lease.currentHolder().catch(() => null);
    return { ...state, leaseHolder: holder };
  }

  #enqueue(step: () => Promise<void>): void {
    this.#transitions = this.#transitions.then(step).catch((error: unknown) => {
      this.#logger.error({ err: error }, 'worker state change failed');
    });
  }

  async #lead(): Promise<void> {
    if (this.#role !== 'standby' || !this.#lease.held) {
      return;
    }

    this.#logger.info({ workerId: this.#workerId }, 'took the worker lease; subscribing to Mesos');
    this.#role = 'active';
    this.#session = this.#createSession();
    try {
      await this.#session.start();
    } catch (error) {
      await this.#onStartFailed(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Fails the worker when the framework id cannot be used. After any other error, such as Redis
   * being unreachable, it gives the lease up and tries again when it takes the lease next.
   */
  async #onStartFailed(error: Error): Promise<void> {
    if (error instanceof FrameworkUnusableError) {
      await this.#fail(error);
      return;
    }

    this.#logger.error({ err: error, workerId: this.#workerId }, 'failed to start leading');
    await this.#endSession(error.message, { releaseLease: false });
    await this.#lease.release();
    this.#role = 'standby';
  }

  async #standDown(reason: string): Promise<void> {
    if (this.#role !== 'active') {
      return;
    }

    this.#logger.warn({ workerId: this.#workerId, reason }, 'lost the worker lease; standing by');
    await this.#endSession(reason, { releaseLease: false });
    this.#role = 'standby';
  }

  /** Quiesces the session, releases the lease if asked, then closes the subscription. */
  async #endSession(reason: string, options: { releaseLease: boolean }): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (!session) {
      return;
    }

    await session.quiesce(reason);
    if (options.releaseLease) {
      await this.#lease.stop();
    }

    await session.close();
  }

  #createSession(): LeaderSession {
    return new LeaderSession({
      config: this.#config,
      masters: this.#masters,
      redis: this.#redis,
      connection: this.#connection,
      keys: this.#keys,
      workerId: this.#workerId,
      pending: this.#pending,
      ports: this.#ports,
      metrics: this.#metrics,
      tuning: this.#tuning,
      logger: this.#logger,
      onFatal: (error) => this.#enqueue(async () => this.#fail(error)),
      onFailedOver: () => this.#enqueue(() => this.#checkLease()),
      onFrameworkReset: () => this.#enqueue(() => this.#restartSession()),
    });
  }

  /** After "Framework failed over": steps down at once when another worker has the lease. */
  async #checkLease(): Promise<void> {
    const holder = await this.#lease.currentHolder();
    if (holder !== this.#workerId && this.#role === 'active') {
      await this.#endSession('another scheduler subscribed with this framework id', {
        releaseLease: false,
      });
      this.#role = 'standby';
    }
  }

  async #restartSession(): Promise<void> {
    if (this.#role !== 'active') {
      return;
    }

    await this.#endSession('subscribing with a new framework id', { releaseLease: false });
    this.#role = 'standby';
    await this.#lead();
  }

  async #fail(error: Error): Promise<void> {
    if (this.#role === 'failed' || this.#role === 'stopped') {
      return;
    }

    this.#logger.fatal(
      { err: error, workerId: this.#workerId },
      'worker stopped on a permanent failure',
    );
    this.#error = error.message;
    await this.#endSession(error.message, { releaseLease: true });
    await this.#lease.stop();
    this.#role = 'failed';
    this.#options.onFatal?.(error);
  }

  #createMetrics(): WorkerMetrics {
    return new WorkerMetrics({
      leaseHeld: () => this.#lease.held,
      subscribed: () => this.#session?.subscribed ?? false,
      secondsSinceHeartbeat: () => this.state().secondsSinceHeartbeat ?? undefined,
      pendingLaunches: () => this.#pending.size,
      waitingLaunches: () => this.#pending.waitingCount,
      heldOffers: () => this.#session?.heldOffers ?? 0,
    });
  }
}

function connectionFromConfig(config: Config): RedisOptions {
  if (!config.redis.url) {
    throw new ConfigError('REDIS_URL: the worker needs the Redis that the launch function uses');
  }

  return redisOptionsFromUrl(config.redis.url);
}

function mastersFrom(masters: string[] | undefined): string[] {
  if (!masters || masters.length === 0) {
    throw new ConfigError('MESOS_MASTER: the worker needs at least one Mesos master');
  }

  return masters;
}
