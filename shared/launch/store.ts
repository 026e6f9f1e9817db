import type { JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { MesosLaunchError } from '../errors.js';
import type { Logger } from '../logger.js';
import { newLaunchId } from './ids.js';
import { LAUNCH_JOB_NAME, type RedisKeys } from './keys.js';
import { historyEntryToJson, recordToStatus, statusFieldsToHash } from './record.js';
import {
  IdempotencyConflictError,
  LaunchCreationPendingError,
  LaunchNotFoundError,
  LaunchTerminalError,
  StoreUnavailableError,
} from './store-errors.js';
import { listLaunches, type LaunchPage, type ListLaunchesQuery } from './store-list.js';
import { defineLaunchStoreScripts, type LaunchStoreScripts } from './store-scripts.js';
import type { LaunchJobData, LaunchRequest, LaunchState, LaunchStatus } from './types.js';

export type { LaunchPage, ListLaunchesQuery };

/** The part of a BullMQ `Queue<LaunchJobData>` the store uses. */
export interface LaunchJobQueue {
  add(name: string, data: LaunchJobData, options: JobsOptions): Promise<unknown>;
  remove(jobId: string): Promise<number>;
  getJob(jobId: string): Promise<unknown>;
}

export interface LaunchStoreOptions {
  redis: Redis;
  keys: RedisKeys;
  queue: LaunchJobQueue;
  /** Options of every launch job; `jobId` is always the launch id. */
  jobOptions?: Omit<JobsOptions, 'jobId'>;
  /** How long an Idempotency-Key keeps naming its launch. @defaultValue 86400 */
  idempotencyTtlSeconds?: number;
  /** How long a repeated request waits for a concurrent one to queue the job. @defaultValue 2000 */
  pendingWaitMs?: number;
  /**
   * Age after which a QUEUED record without a job counts as abandoned by a crashed request, so a
   * repeated request queues the job itself. @defaultValue 10000
   */
  staleCreationMs?: number;
  /** Upper bound of every store operation, whatever Redis does. @defaultValue 5000 */
  operationTimeoutMs?: number;
  logger?: Logger;
}

export interface CreateLaunchInput {
  request: LaunchRequest;
  /** Hex SHA-256 of the canonical request, compared when an Idempotency-Key is reused. */
  requestSha256?: string;
  idempotencyKey?: string;
}

/** `created` is false when an Idempotency-Key returned an existing launch. */
export interface CreateLaunchResult {
  id: string;
  state: LaunchState;
  created: boolean;
}

/** `cancelled`: a QUEUED launch became CANCELLED. `kill_requested`: the worker kills the task. */
export interface KillLaunchResult {
  id: string;
  outcome: 'cancelled' | 'kill_requested';
  state: LaunchState;
}

const CANCEL_MESSAGE = 'cancelled by a kill request before it was launched';
const POLL_INTERVAL_MS = 25;

/**
 * The launch function's side of the Redis status store: it creates launch records together with
 * their BullMQ jobs, reads and lists them, and cancels or requests kills. The record layout is
 * the one documented in keys.ts. Every method fails with StoreUnavailableError (temporary) when
 * Redis is not connected or does not respond within `operationTimeoutMs`.
 */
export class LaunchStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #queue: LaunchJobQueue;
  readonly #scripts: LaunchStoreScripts;
  readonly #options: Required<Omit<LaunchStoreOptions, 'logger' | 'redis' | 'keys' | 'queue'>>;
  readonly #logger: Logger | undefined;

  constructor(options: LaunchStoreOptions) {
    this.#redis = options.redis;
    this.#keys = options.keys;
    this.#queue = options.queue;
    this.#scripts = defineLaunchStoreScripts(options.redis);
    this.#logger = options.logger;
    this.#options = {
      jobOptions: options.jobOptions ?? {},
      idempotencyTtlSeconds: options.idempotencyTtlSeconds ?? 86_400,
      pendingWaitMs: options.pendingWaitMs ?? 2_000,
      staleCreationMs: options.staleCreationMs ?? 10_000,
      operationTimeoutMs: options.operationTimeoutMs ?? 5_000,
    };
  }

  /**
   * Stores a QUEUED launch and adds its job. The record is written first, so the worker always
   * finds it. If the job cannot be added, the record is deleted again and the call fails, so a
   * caller never learns an id that is not in Redis. With an Idempotency-Key, the key is taken
   * with SET NX in the same Lua script as the record, so concurrent requests create one launch.
   */
  createLaunch(input: CreateLaunchInput): Promise<CreateLaunchResult> {
    return this.#guard('create a launch', async () => {
      // A second pass is needed only when a concurrent request with the same key rolled back.
      for (let pass = 0; pass < 3; pass += 1) {
        const result = await this.#tryCreate(input);
        if (result) {
          return result;
        }
      }

      throw new StoreUnavailableError('the launch could not be created; retry the request');
    });
  }

  /** Reads one launch; undefined when no launch has that id. */
  readLaunch(id: string): Promise<LaunchStatus | undefined> {
    return this.#guard('read a launch', () => this.#read(id));
  }

  /** Lists launches newest first; see `listLaunches` in store-list.ts. */
  listLaunches(query: ListLaunchesQuery): Promise<LaunchPage> {
    return this.#guard('list launches', () => listLaunches(this.#redis, this.#keys, query));
  }

  /**
   * Cancels a QUEUED launch (CANCELLED, out of the active SET, job removed) or, for a launch
   * that has a task, sets `kill_requested` and publishes its id on the kill channel for the
   * worker. Throws LaunchNotFoundError or LaunchTerminalError.
   */
  killLaunch(id: string): Promise<KillLaunchResult> {
    return this.#guard('kill a launch', () => this.#kill(id));
  }

  /** Fails unless Redis replies to PING. */
  ping(): Promise<void> {
    return this.#guard('reach Redis', async () => {
      await this.#redis.ping();
    });
  }

  /** Counts the launches in the active SET by state, for metrics. */
  countActiveByState(): Promise<Record<string, number>> {
    return this.#guard('count active launches', async () => {
      const ids = await this.#redis.smembers(this.#keys.activeLaunches);
      const pipeline = this.#redis.pipeline();
      ids.forEach((id) => pipeline.hget(this.#keys.launch(id), 'state'));
      const replies = ids.length > 0 ? ((await pipeline.exec()) ?? []) : [];

      const counts: Record<string, number> = {};
      for (const [, state] of replies) {
        if (typeof state === 'string') {
          counts[state] = (counts[state] ?? 0) + 1;
        }
      }

      return counts;
    });
  }

  /**
   * Runs another Redis operation under the same rules as the store's own: it fails at once while
   * Redis is disconnected, and the caller waits no longer than `operationTimeoutMs`.
   */
  runGuarded<T>(action: string, operation: () => Promise<T>): Promise<T> {
    return this.#guard(action, operation);
  }

  /** Counts every launch in the creation ZSET. */
  countLaunches(): Promise<number> {
    return this.#guard('count launches', () => this.#redis.zcard(this.#keys.launchesByCreation));
  }

  async #tryCreate(input: CreateLaunchInput): Promise<CreateLaunchResult | undefined> {
    const id = newLaunchId();
    const now = new Date();
    const reply = await this.#scripts.mesosLaunchCreate(
      ...this.#createScriptArguments(id, now, input),
    );

    if (reply[0] === 'created') {
      await this.#enqueueNew(id, input, now);
      return { id, state: 'QUEUED', created: true };
    }

    const existing = parseIdempotencyValue(reply[1]);
    if (!existing) {
      return undefined;
    }

    if (existing.body_sha256 !== input.requestSha256) {
      throw new IdempotencyConflictError(existing.id);
    }

    return this.#waitUntilQueued(existing.id);
  }

  #createScriptArguments(id: string, now: Date, input: CreateLaunchInput): [number, ...string[]] {
    const timestamp = now.toISOString();
    const keys = this.#recordKeys(id, input.idempotencyKey);
    const fields = statusFieldsToHash({
      id,
      state: 'QUEUED',
      network: input.request.network,
      network_name: input.request.network_name ?? null,
      ip_addresses: [],
      ports: [],
      attempt: 0,
      request: input.request,
      created_at: timestamp,
      updated_at: timestamp,
      kill_requested: false,
      ever_running: false,
    });
    const history = historyEntryToJson({
      state: 'QUEUED',
      timestamp,
      source: null,
      reason: null,
      message: null,
      task_id: null,
    });

    const args: [number, ...string[]] = [
      keys.length,
      ...keys,
      id,
      String(now.getTime()),
      history,
      this.#keys.statusChannel,
      statusMessage(id, 'QUEUED', timestamp),
      JSON.stringify({ id, body_sha256: input.requestSha256 ?? '' }),
      String(this.#options.idempotencyTtlSeconds),
    ];
    // Built with a loop, because V8's Array.prototype.flat() takes microseconds for a few dozen items.
    for (const [name, value] of Object.entries(fields)) {
      args.push(name, value);
    }

    return args;
  }

  #recordKeys(id: string, idempotencyKey: string | undefined): string[] {
    const keys = [
      this.#keys.launch(id),
      this.#keys.history(id),
      this.#keys.launchesByCreation,
      this.#keys.activeLaunches,
    ];

    return idempotencyKey === undefined ? keys : [...keys, this.#keys.idempotency(idempotencyKey)];
  }

  async #enqueueNew(id: string, input: CreateLaunchInput, now: Date): Promise<void> {
    try {
      await this.#enqueue(id, input.request, now.toISOString());
    } catch (error) {
      const keys = this.#recordKeys(id, input.idempotencyKey);
      await this.#scripts.mesosLaunchDeleteUnqueued(keys.length, ...keys, id).catch((err) => {
        this.#logger?.error({ err, launchId: id }, 'failed to delete a launch whose job failed');
      });
      throw error;
    }

    // Only a repeated request with the same Idempotency-Key reads this marker, in
    // #waitUntilQueued, so a launch created without a key does without the extra write. The job
    // is queued, so the launch is accepted even if the marker cannot be written.
    if (input.idempotencyKey === undefined) {
      return;
    }

    await this.#redis.hset(this.#keys.launch(id), 'job_id', id).catch((err: unknown) => {
      this.#logger?.warn({ err, launchId: id }, 'failed to record the job id of a queued launch');
    });
  }

  async #enqueue(id: string, request: LaunchRequest, createdAt: string): Promise<void> {
    const data: LaunchJobData = { launch_id: id, request, created_at: createdAt };
    await this.#queue.add(LAUNCH_JOB_NAME, data, { ...this.#options.jobOptions, jobId: id });
  }

  /**
   * Waits until the request that created a launch has queued its job. Returns undefined when the
   * record disappears, because that request failed and rolled back.
   */
  async #waitUntilQueued(id: string): Promise<CreateLaunchResult | undefined> {
    const deadline = Date.now() + this.#options.pendingWaitMs;

    for (;;) {
      const [state, jobId, createdAt] = await this.#redis.hmget(
        this.#keys.launch(id),
        'state',
        'job_id',
        'created_at',
      );

      if (!state) {
        return undefined;
      }

      if (jobId || state !== 'QUEUED') {
        return { id, state: state as LaunchState, created: false };
      }

      if (Date.now() >= deadline) {
        return this.#recoverUnqueued(id, createdAt ?? null);
      }

      await sleep(POLL_INTERVAL_MS);
    }
  }

  /**
   * Queues the job of a QUEUED record that has none, when the request that created it is long
   * gone (it crashed between the two writes). BullMQ ignores an add whose job id exists, so a
   * late original add cannot run the launch twice.
   */
  async #recoverUnqueued(id: string, createdAt: string | null): Promise<CreateLaunchResult> {
    const ageMs = Date.now() - Date.parse(createdAt ?? '');
    if (!(ageMs > this.#options.staleCreationMs)) {
      throw new LaunchCreationPendingError(id);
    }

    const status = await this.#read(id);
    if (!status) {
      throw new LaunchCreationPendingError(id);
    }

    await this.#enqueue(id, status.request, status.created_at);
    await this.#redis.hset(this.#keys.launch(id), 'job_id', id);
    this.#logger?.warn({ launchId: id }, 'queued the job of a launch whose creator stopped');

    return { id, state: status.state, created: false };
  }

  async #read(id: string): Promise<LaunchStatus | undefined> {
    const replies = await this.#redis
      .pipeline()
      .hgetall(this.#keys.launch(id))
      .lrange(this.#keys.history(id), 0, -1)
      .exec();

    const [hashReply, historyReply] = replies ?? [];
    if (hashReply?.[0] || historyReply?.[0]) {
      throw hashReply?.[0] ?? historyReply?.[0];
    }

    return recordToStatus(
      (hashReply?.[1] ?? {}) as Record<string, string>,
      (historyReply?.[1] ?? []) as string[],
    );
  }

  async #kill(id: string): Promise<KillLaunchResult> {
    const timestamp = new Date().toISOString();
    const history = historyEntryToJson({
      state: 'CANCELLED',
      timestamp,
      source: null,
      reason: null,
      message: CANCEL_MESSAGE,
      task_id: null,
    });
    const reply = await this.#scripts.mesosLaunchKill(
      3,
      this.#keys.launch(id),
      this.#keys.history(id),
      this.#keys.activeLaunches,
      id,
      timestamp,
      history,
      this.#keys.statusChannel,
      statusMessage(id, 'CANCELLED', timestamp),
      this.#keys.killChannel,
      CANCEL_MESSAGE,
    );

    return this.#interpretKillReply(id, reply);
  }

  async #interpretKillReply(id: string, reply: Array<string | null>): Promise<KillLaunchResult> {
    const [outcome, state] = reply;

    if (outcome === 'not_found') {
      throw new LaunchNotFoundError(id);
    }

    if (outcome === 'terminal') {
      throw new LaunchTerminalError(id, state ?? 'unknown');
    }

    if (outcome === 'cancelled') {
      await this.#removeJob(id);
      return { id, outcome: 'cancelled', state: 'CANCELLED' };
    }

    return { id, outcome: 'kill_requested', state: (state ?? 'LAUNCHING') as LaunchState };
  }

  /**
   * Removes the job of a cancelled launch. A job the worker holds is locked and stays, but the
   * worker reads the record before it launches and finds it CANCELLED.
   */
  async #removeJob(id: string): Promise<void> {
    try {
      const removed = await this.#queue.remove(id);
      if (removed !== 1) {
        this.#logger?.info({ launchId: id }, 'job of a cancelled launch is locked by the worker');
      }
    } catch (err) {
      this.#logger?.warn({ err, launchId: id }, 'failed to remove the job of a cancelled launch');
    }
  }

  /**
   * Runs one store operation. It fails at once when Redis is not connected, turns connection
   * errors and timeouts into StoreUnavailableError, and stops waiting after `operationTimeoutMs`.
   * NOTE: a timed-out operation is not cancelled. A create whose job add completes after the
   * timeout leaves a queued launch behind a 503, which a retry with the same Idempotency-Key
   * finds; a retry without a key creates a second launch.
   */
  async #guard<T>(action: string, operation: () => Promise<T>): Promise<T> {
    if (this.#redis.status !== 'ready') {
      throw new StoreUnavailableError(
        `cannot ${action}: Redis is not connected (connection status "${this.#redis.status}")`,
      );
    }

    try {
      return await withTimeout(operation(), this.#options.operationTimeoutMs, action);
    } catch (error) {
      if (error instanceof MesosLaunchError || isReplyError(error)) {
        throw error;
      }

      throw new StoreUnavailableError(
        `cannot ${action}: the Redis command failed (${errorMessage(error)})`,
        error,
      );
    }
  }
}

function statusMessage(id: string, state: LaunchState, timestamp: string): string {
  return JSON.stringify({ id, state, task_id: null, updated_at: timestamp });
}

function parseIdempotencyValue(
  value: string | null | undefined,
): { id: string; body_sha256: string } | undefined {
  if (!value) {
    return undefined;
  }

  try {
    const parsed = JSON.parse(value) as { id?: unknown; body_sha256?: unknown };
    if (typeof parsed.id === 'string' && typeof parsed.body_sha256 === 'string') {
      return { id: parsed.id, body_sha256: parsed.body_sha256 };
    }
  } catch {
    // An unreadable value is treated like an expired key.
  }

  return undefined;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, action: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new StoreUnavailableError(`cannot ${action}: Redis timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });

  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Redis's own error replies (a script bug, a wrong type) are not connection problems. */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
