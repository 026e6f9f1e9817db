import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { LAUNCH_QUEUE_NAME } from '../shared/launch/keys.js';
import type { LaunchJobData } from '../shared/launch/types.js';

/** How often a launch job may come back from a crashed worker before BullMQ fails it. */
const MAX_STALLED_COUNT = 1_000;

/**
 * Jobs a lane may fetch beyond those whose processor runs. BullMQ 6 fetches jobs one after
 * another while fewer than `concurrency` are fetched or running, and starts their processors only
 * once that loop stops, in practice when the queue is empty. Under a steady stream of launches
 * the queue is rarely empty, so with `concurrency` at the number of jobs a worker may hold
 * (thousands), fetched jobs waited up to a second for their processor in bench/e2e.ts runs. A
 * lane's `concurrency` is therefore kept at the jobs it holds plus this window, so a fetched job
 * starts within a few fetches.
 */
const FETCH_WINDOW = 16;

export type LaunchProcessor<R> = (job: Job<LaunchJobData, R>, token?: string) => Promise<R>;

export interface IntakeLanesOptions<R> {
  /** Connection options for BullMQ's own connections (two per lane). */
  connection: RedisOptions;
  prefix: string;
  /** BullMQ workers to run; each fetches one job per Redis round trip, so lanes fetch in parallel. */
  lanes: number;
  /** Jobs held at once by all lanes together. */
  maxHeld: number;
  process: LaunchProcessor<R>;
  onError: (error: Error) => void;
  onLockRenewalFailed: (jobIds: string[]) => void;
}

interface Lane<R> {
  worker: Worker<LaunchJobData, R>;
  /** Jobs whose processor has started and not yet returned. */
  held: number;
  /** The lane's share of `maxHeld`; the shares add up to it. */
  maxHeld: number;
}

/**
 * Several BullMQ workers on the launch queue in one process. A BullMQ worker fetches jobs in
 * sequence, one Redis round trip each, and a busy event loop makes each round trip long, so one
 * worker alone fell behind a burst of submissions. Every lane is an ordinary BullMQ worker: the
 * locks, stalled-job checks, retries and completions are BullMQ's own.
 */
export class IntakeLanes<R> {
  readonly #lanes: Lane<R>[];

  constructor(private readonly options: IntakeLanesOptions<R>) {
    const count = Math.max(1, Math.min(options.lanes, options.maxHeld));
    const share = Math.floor(options.maxHeld / count);
    const remainder = options.maxHeld % count;
    this.#lanes = Array.from({ length: count }, (_, index) =>
      this.#createLane(Math.max(1, share + (index < remainder ? 1 : 0))),
    );
  }

  /** Starts every lane's fetch loop; `onStopped` gets the error of a lane whose loop failed. */
  run(onStopped: (error: unknown) => void): void {
    for (const { worker } of this.#lanes) {
      worker.run().catch(onStopped);
    }
  }

  async resume(): Promise<void> {
    await Promise.all(this.#lanes.map(({ worker }) => worker.resume()));
  }

  /** Stops fetching; jobs already held keep running. */
  async pause(): Promise<void> {
    const running = this.#lanes.filter(({ worker }) => !worker.isPaused());
    await Promise.all(running.map(({ worker }) => worker.pause(true)));
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map(({ worker }) => worker.close()));
  }

  #createLane(maxHeld: number): Lane<R> {
    const lane = { held: 0, maxHeld } as Lane<R>;
    lane.worker = new Worker<LaunchJobData, R>(
      LAUNCH_QUEUE_NAME,
      (job, token) => this.#process(lane, job, token),
      {
        connection: { ...this.options.connection, maxRetriesPerRequest: null } as ConnectionOptions,
        prefix: this.options.prefix,
        autorun: false,
        concurrency: this.#fetchLimit(lane),
        // A job held by a worker that crashed comes back as stalled. That is a normal handover
        // here, so a job must not fail after one stall as BullMQ's default of 1 would make it.
        maxStalledCount: MAX_STALLED_COUNT,
      },
    );

    lane.worker.on('error', (error) => this.options.onError(error));
    lane.worker.on('lockRenewalFailed', (jobIds) => this.options.onLockRenewalFailed(jobIds));
    return lane;
  }

  /** Returns the `concurrency` of a lane: the jobs it holds plus FETCH_WINDOW, up to its share. */
  #fetchLimit(lane: Lane<R>): number {
    return Math.min(lane.maxHeld, lane.held + FETCH_WINDOW);
  }

  async #process(lane: Lane<R>, job: Job<LaunchJobData, R>, token?: string): Promise<R> {
    lane.held += 1;
    lane.worker.concurrency = this.#fetchLimit(lane);
    try {
      return await this.options.process(job, token);
    } finally {
      lane.held -= 1;
      lane.worker.concurrency = this.#fetchLimit(lane);
    }
  }
}
