import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { LAUNCH_QUEUE_NAME } from '../../shared/launch/keys.js';
import type { LaunchJobQueue } from '../../shared/launch/store.js';
import type { LaunchJobData } from '../../shared/launch/types.js';
import type { Logger } from '../../shared/logger.js';

/** Job states counted for the queue depth metric. */
export const COUNTED_JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;

/**
 * The BullMQ producer of launch jobs, on the function's own Redis client. BullMQ checks the Redis
 * version once when a Queue starts and, if that check fails (Redis went away at that moment),
 * the Queue rejects every later call. This wrapper then replaces the Queue, so the producer
 * recovers when Redis is back instead of failing until a restart.
 */
export class LaunchQueue implements LaunchJobQueue {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #logger: Logger | undefined;
  #queue: Queue<LaunchJobData>;
  #closed = false;

  constructor(redis: Redis, prefix: string, logger?: Logger) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#logger = logger;
    this.#queue = this.#createQueue();
  }

  async add(name: string, data: LaunchJobData, options: JobsOptions): Promise<unknown> {
    const queue = await this.#readyQueue();
    return queue.add(name, data, options);
  }

  async remove(jobId: string): Promise<number> {
    const queue = await this.#readyQueue();
    return queue.remove(jobId);
  }

  async getJob(jobId: string): Promise<unknown> {
    const queue = await this.#readyQueue();
    return queue.getJob(jobId);
  }

  async getJobCounts(): Promise<Record<string, number>> {
    const queue = await this.#readyQueue();
    return queue.getJobCounts(...COUNTED_JOB_STATES);
  }

  /** Closes the Queue; the Redis client belongs to the caller and stays open. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue.close();
  }

  #createQueue(): Queue<LaunchJobData> {
    const queue = new Queue<LaunchJobData>(LAUNCH_QUEUE_NAME, {
      connection: this.#redis,
      prefix: this.#prefix,
    });

    // Connection errors are logged by the Redis client's owner; without a listener Node would
    // treat the emitted error as unhandled.
    queue.on('error', (err) => this.#logger?.debug({ err }, 'launch queue reported an error'));
    return queue;
  }

  async #readyQueue(): Promise<Queue<LaunchJobData>> {
    const queue = this.#queue;

    try {
      await queue.waitUntilReady();
      return queue;
    } catch (error) {
      if (!this.#closed && this.#queue === queue) {
        this.#logger?.warn({ err: error }, 'launch queue failed to start; replacing it');
        this.#queue = this.#createQueue();
        void queue.close().catch(() => undefined);
      }
      throw error;
    }
  }
}
