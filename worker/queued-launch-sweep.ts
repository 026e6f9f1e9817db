import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { launchJobOptions } from '../shared/launch/job-options.js';
import { LAUNCH_JOB_NAME, LAUNCH_QUEUE_NAME, type RedisKeys } from '../shared/launch/keys.js';
import { parseLaunchRequest } from '../shared/launch/schema.js';
import type { LaunchJobData } from '../shared/launch/types.js';
import type { Logger } from '../shared/logger.js';
import { readActiveLaunches, type LaunchSnapshot } from './launch-records.js';
import type { PendingLaunches } from './pending-launches.js';

/** Job states from which no worker takes the job again. */
const DEAD_JOB_STATES = new Set(['unknown', 'failed', 'completed']);

export interface QueuedLaunchSweepOptions {
  /** Connection options for the BullMQ producer the sweep adds jobs with. */
  connection: RedisOptions;
  redis: Redis;
  keys: RedisKeys;
  pending: PendingLaunches;
  /** Attempts of a job added again, as the launch function sets them. */
  jobAttempts: number;
  intervalMs: number;
  /** How long a launch must have been QUEUED, unchanged, before its job is checked. */
  minAgeMs: number;
  logger: Logger;
}

/**
 * Adds the job again for every QUEUED launch that has none a worker will take. That happens when
 * the launch function stopped between writing the record and adding the job, or when the job was
 * removed or failed while the record stayed QUEUED. The record was accepted, so it must not stay
 * QUEUED forever. The job gets the launch id as its id again, so BullMQ ignores a late add of the
 * original. The LAUNCHING write checks the record's state and attempt, so a task id is still
 * handed out once.
 */
export class QueuedLaunchSweep {
  readonly #queue: Queue<LaunchJobData>;
  #timer: NodeJS.Timeout | undefined;
  /** Whether a sweep runs, so that a slow one is not overlapped by the next. */
  #sweeping = false;

  constructor(private readonly options: QueuedLaunchSweepOptions) {
    this.#queue = new Queue<LaunchJobData>(LAUNCH_QUEUE_NAME, {
      connection: options.connection as ConnectionOptions,
      prefix: options.keys.queuePrefix,
    });
    this.#queue.on('error', (error) => {
      options.logger.debug({ err: error }, 'launch queue producer reported an error');
    });
  }

  start(): void {
    this.stop();
    this.#timer = setInterval(() => void this.#sweepOnce(), this.options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Stops the sweep and drops the producer's connection without waiting for Redis, which may be
   * unreachable. A sweep still running then fails on its next job call and adds nothing more.
   */
  async close(): Promise<void> {
    this.stop();
    await this.#queue.disconnect();
  }

  /** Checks every QUEUED launch older than `minAgeMs`; returns the ids whose job it added. */
  async sweep(nowMs = Date.now()): Promise<string[]> {
    const launches = await readActiveLaunches(this.options.redis, this.options.keys);
    const candidates = launches.filter((launch) => this.#isCandidate(launch, nowMs));
    const requeued: string[] = [];

    for (const launch of candidates) {
      if (await this.#requeueIfJobDead(launch.id)) {
        requeued.push(launch.id);
      }
    }

    return requeued;
  }

  async #sweepOnce(): Promise<void> {
    if (this.#sweeping) {
      return;
    }

    this.#sweeping = true;
    try {
      await this.sweep();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'failed to check QUEUED launches for their jobs');
    } finally {
      this.#sweeping = false;
    }
  }

  #isCandidate(launch: LaunchSnapshot, nowMs: number): boolean {
    const changedAtMs = launch.updatedAtMs ?? launch.createdAtMs ?? nowMs;
    return (
      launch.state === 'QUEUED' &&
      !launch.killRequested &&
      this.options.pending.get(launch.id) === undefined &&
      nowMs - changedAtMs >= this.options.minAgeMs
    );
  }

  async #requeueIfJobDead(launchId: string): Promise<boolean> {
    const jobState = await this.#queue.getJobState(launchId);
    if (!DEAD_JOB_STATES.has(jobState)) {
      return false;
    }

    const data = await this.#jobData(launchId);
    if (!data) {
      return false;
    }

    if (jobState !== 'unknown') {
      await this.#queue.remove(launchId);
    }

    await this.#queue.add(LAUNCH_JOB_NAME, data, {
      ...launchJobOptions(this.options.jobAttempts),
      jobId: launchId,
    });
    this.options.logger.warn(
      { launchId, jobState },
      'QUEUED launch had no job a worker would take; added its job again',
    );
    return true;
  }

  /** Rebuilds the job payload from the record, which contains the request as stored. */
  async #jobData(launchId: string): Promise<LaunchJobData | undefined> {
    const [state, requestJson, createdAt] = await this.options.redis.hmget(
      this.options.keys.launch(launchId),
      'state',
      'request',
      'created_at',
    );
    if (state !== 'QUEUED' || !requestJson || !createdAt) {
      return undefined;
    }

    const parsed = parseLaunchRequest(parseJson(requestJson));
    if (!parsed.ok) {
      this.options.logger.error(
        { launchId, invalidFields: parsed.invalidFields },
        'QUEUED launch has an invalid request in Redis; its job is not added again',
      );
      return undefined;
    }

    return { launch_id: launchId, request: parsed.request, created_at: createdAt };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
