import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { isLaunchId } from '../shared/launch/ids.js';
import type { RedisKeys } from '../shared/launch/keys.js';
import { parseLaunchRequest } from '../shared/launch/schema.js';
import type { LaunchJobData, LaunchRequest } from '../shared/launch/types.js';
import type { Logger } from '../shared/logger.js';
import { IntakeLanes } from './intake-lanes.js';
import { readLaunch, type LaunchSnapshot } from './launch-records.js';
import { outcomeFromRecord } from './launch-outcomes.js';
import type { LaunchResolver } from './launch-resolver.js';
import type { WorkerMetrics } from './metrics.js';
import type { LaunchOutcome, PendingLaunches } from './pending-launches.js';

/** BullMQ workers the intake runs in parallel; see IntakeLanes. */
const INTAKE_LANES = 8;

/** The return value of a completed launch job. */
export interface LaunchJobResult {
  launch_id: string;
  state: string;
  task_id?: string;
}

export interface LaunchIntakeOptions {
  /** Connection options for BullMQ's own connections. */
  connection: RedisOptions;
  /** The worker's command connection, for reading launch records. */
  redis: Redis;
  keys: RedisKeys;
  pending: PendingLaunches;
  resolver: LaunchResolver;
  defaultTimeoutSeconds: number;
  /** How many launch jobs are held at once; each only waits, so this can be high. */
  concurrency: number;
  metrics: WorkerMetrics;
  logger: Logger;
}

/**
 * Takes launch jobs from the BullMQ queue. The processor validates the payload, checks the launch
 * record, registers the launch as pending and waits until its task runs (the job completes) or
 * the launch gives up (the job fails with the reason). Jobs are taken only between `start()` and
 * `pause()`, which follow the Mesos subscription.
 */
export class LaunchIntake {
  readonly #lanes: IntakeLanes<LaunchJobResult>;
  #running = false;

  constructor(private readonly options: LaunchIntakeOptions) {
    this.#lanes = new IntakeLanes<LaunchJobResult>({
      connection: options.connection,
      prefix: options.keys.queuePrefix,
      lanes: INTAKE_LANES,
      maxHeld: options.concurrency,
      process: (job, token) => this.#process(job, token),
      onError: (error) => {
        options.logger.error({ err: error }, 'launch queue worker error');
      },
      onLockRenewalFailed: (jobIds) => this.#onLockRenewalFailed(jobIds),
    });
  }

  /** Starts taking jobs, or resumes after `pause()`. */
  start(): void {
    if (!this.#running) {
      this.#running = true;
      this.#lanes.run((error) => {
        this.options.logger.error({ err: error }, 'launch queue worker stopped');
      });
      return;
    }

    this.#lanes.resume().catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'failed to resume the launch queue worker');
    });
  }

  /** Stops taking new jobs; jobs already held keep waiting for their launches. */
  async pause(): Promise<void> {
    if (this.#running) {
      await this.#lanes.pause();
    }
  }

  /**
   * Closes the BullMQ workers. Call `pending.releaseAll()` first, so every held job goes back to
   * the queue instead of keeping `close()` waiting.
   */
  async close(): Promise<void> {
    await this.#lanes.close();
  }

  async #process(
    job: Job<LaunchJobData, LaunchJobResult>,
    token?: string,
  ): Promise<LaunchJobResult> {
    const data = validateJobData(job);
    const record = await readLaunch(this.options.redis, this.options.keys, data.launch_id);
    if (!record) {
      throw new UnrecoverableError(`launch ${data.launch_id} has no record in Redis`);
    }

    const outcome = await this.#waitForOutcome(data, record);
    this.options.metrics.launchesEnded.inc({ outcome: outcome.kind });
    return finishJob(job, token, data.launch_id, outcome);
  }

  async #waitForOutcome(data: ValidJobData, record: LaunchSnapshot): Promise<LaunchOutcome> {
    const decided = outcomeFromRecord(record);
    if (decided) {
      return decided;
    }

    const createdAtMs = record.createdAtMs ?? data.createdAtMs;
    if (record.state === 'QUEUED' && record.attempt === 0) {
      this.options.metrics.queueWaitSeconds.observe(Math.max(0, Date.now() - createdAtMs) / 1000);
    }

    const timeoutSeconds = data.request.timeout_seconds ?? this.options.defaultTimeoutSeconds;
    const waiting = this.options.pending.track({
      launchId: data.launch_id,
      request: data.request,
      nextAttempt: record.attempt + 1,
      createdAtMs,
      deadlineMs: createdAtMs + timeoutSeconds * 1000,
      phase: record.state === 'QUEUED' ? 'waiting' : 'launching',
    });

    // A kill request is carried out through the resolver. A launch with a task in flight is
    // read again, so an update recorded between the first read and `track` is not missed.
    if (record.killRequested || record.state !== 'QUEUED') {
      await this.options.resolver.resolve([data.launch_id]);
    }

    return waiting;
  }

  #onLockRenewalFailed(jobIds: string[]): void {
    for (const jobId of jobIds) {
      this.options.logger.warn({ launchId: jobId }, 'lost the lock of a launch job; releasing it');
      this.options.pending.settle(jobId, { kind: 'released', reason: 'job lock lost' });
    }
  }
}

interface ValidJobData {
  launch_id: string;
  request: LaunchRequest;
  createdAtMs: number;
}

/** Checks a job payload; a bad one fails the job at once, since retrying cannot fix it. */
export function validateJobData(job: Job<LaunchJobData>): ValidJobData {
  const data: unknown = job.data;
  if (typeof data !== 'object' || data === null) {
    throw new UnrecoverableError('launch job payload is not an object');
  }

  const { launch_id: launchId, request, created_at: createdAt } = data as Record<string, unknown>;
  if (typeof launchId !== 'string' || !isLaunchId(launchId) || launchId !== job.id) {
    throw new UnrecoverableError(`launch job ${job.id ?? ''} has an invalid launch_id`);
  }

  const parsed = parseLaunchRequest(request);
  if (!parsed.ok) {
    const fields = parsed.invalidFields.map((field) => `${field.field} ${field.message}`);
    throw new UnrecoverableError(
      `launch job ${launchId} has an invalid request: ${fields.join('; ')}`,
    );
  }

  const createdAtMs = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  return {
    launch_id: launchId,
    request: parsed.request,
    createdAtMs: Number.isNaN(createdAtMs) ? Date.now() : createdAtMs,
  };
}

async function finishJob(
  job: Job<LaunchJobData, LaunchJobResult>,
  token: string | undefined,
  launchId: string,
  outcome: LaunchOutcome,
): Promise<LaunchJobResult> {
  switch (outcome.kind) {
    case 'running':
      return { launch_id: launchId, state: outcome.state, task_id: outcome.taskId };
    case 'ended':
    case 'cancelled':
      return { launch_id: launchId, state: outcome.state };
    case 'failed':
      throw new UnrecoverableError(describeFailure(outcome));
    case 'released':
      await job.moveToWait(token);
      throw new WaitingError();
  }
}

function describeFailure(outcome: Extract<LaunchOutcome, { kind: 'failed' }>): string {
  const parts = [outcome.state, outcome.reason, outcome.message].filter(Boolean);
  return parts.join(': ');
}
