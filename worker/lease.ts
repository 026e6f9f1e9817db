import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';
import { RedisScript } from './redis-script.js';

const RENEW_SCRIPT = new RedisScript(
  'renew-lease',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`,
);

const RELEASE_SCRIPT = new RedisScript(
  'release-lease',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
);

export interface WorkerLeaseOptions {
  redis: Redis;
  key: string;
  holderId: string;
  ttlMs: number;
  /** How often the holder renews the lease. @defaultValue a third of `ttlMs` */
  renewIntervalMs?: number;
  /** How often a standby tries to take the lease. @defaultValue `renewIntervalMs` */
  pollIntervalMs?: number;
  logger: Logger;
}

/**
 * A Redis lease that keeps one worker active: `SET key id NX PX ttl` to take it, renewal and
 * release only while the key still holds this worker's id (checked and applied in one Lua script).
 * `start()` polls until the lease is free, emits `acquired`, renews it and emits `lost` when a
 * renewal finds another holder or when renewals fail until the lease may have lapsed.
 */
export class WorkerLease extends EventEmitter<{ acquired: []; lost: [reason: string] }> {
  #held = false;
  #validUntilMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #checking: Promise<void> | undefined;
  readonly #options: WorkerLeaseOptions;

  constructor(options: WorkerLeaseOptions) {
    super();
    this.#options = options;
  }

  get held(): boolean {
    return this.#held;
  }

  get holderId(): string {
    return this.#options.holderId;
  }

  /** Reads the id of the worker that holds the lease now, or null when it is free. */
  async currentHolder(): Promise<string | null> {
    return this.#options.redis.get(this.#options.key);
  }

  start(): void {
    if (this.#running) {
      return;
    }

    this.#running = true;
    this.#schedule(0);
  }

  /** Stops renewing and deletes the lease if this worker still holds it, so a standby takes over. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#checking;
    await this.release();
  }

  /**
   * Deletes the lease if this worker still holds it, without emitting `lost`. A running lease
   * keeps polling, so this worker may take the lease again later.
   */
  async release(): Promise<void> {
    if (!this.#held) {
      return;
    }

    this.#held = false;
    try {
      await RELEASE_SCRIPT.run(this.#options.redis, [this.#options.key], [this.holderId]);
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'failed to release the worker lease');
    }
  }

  #schedule(delayMs: number): void {
    if (!this.#running) {
      return;
    }

    this.#timer = setTimeout(() => {
      this.#checking = this.#check().finally(() => {
        this.#checking = undefined;
        this.#schedule(this.#intervalMs());
      });
    }, delayMs);
  }

  #intervalMs(): number {
    return this.#held
      ? this.#renewIntervalMs()
      : (this.#options.pollIntervalMs ?? this.#renewIntervalMs());
  }

  #renewIntervalMs(): number {
    return this.#options.renewIntervalMs ?? Math.max(50, Math.floor(this.#options.ttlMs / 3));
  }

  async #check(): Promise<void> {
    const startedAtMs = Date.now();

    try {
      if (this.#held) {
        await this.#renew(startedAtMs);
      } else {
        await this.#tryAcquire(startedAtMs);
      }
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'worker lease check failed');
      this.#loseIfLapsed();
    }
  }

  async #tryAcquire(startedAtMs: number): Promise<void> {
    const { redis, key, ttlMs } = this.#options;
    const reply = await redis.set(key, this.holderId, 'PX', ttlMs, 'NX');

    if (reply !== 'OK') {
      return;
    }

    if (!this.#running) {
      await RELEASE_SCRIPT.run(redis, [key], [this.holderId]);
      return;
    }

    this.#held = true;
    this.#validUntilMs = startedAtMs + ttlMs;
    this.emit('acquired');
  }

  async #renew(startedAtMs: number): Promise<void> {
    const { redis, key, ttlMs } = this.#options;
    const renewed = await RENEW_SCRIPT.run(redis, [key], [this.holderId, ttlMs]);

    if (renewed === 1) {
      this.#validUntilMs = startedAtMs + ttlMs;
      return;
    }

    this.#lose('another worker holds the lease');
  }

  /** Gives the lease up locally once it may have expired in Redis, before a standby can act. */
  #loseIfLapsed(): void {
    const safetyMs = this.#renewIntervalMs();
    if (this.#held && Date.now() >= this.#validUntilMs - safetyMs) {
      this.#lose('the lease could not be renewed before it expired');
    }
  }

  #lose(reason: string): void {
    if (!this.#held) {
      return;
    }

    this.#held = false;
    this.emit('lost', reason);
  }
}
