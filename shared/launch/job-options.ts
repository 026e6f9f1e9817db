import type { JobsOptions } from 'bullmq';

/**
 * Options of every launch job, whether the launch function adds it or the worker adds it again
 * for a QUEUED launch whose job went missing. `attempts` retries a job whose processing failed on
 * an error (Redis unreachable for a moment); a launch that gives up fails its job for good.
 */
export function launchJobOptions(attempts: number): Omit<JobsOptions, 'jobId'> {
  return {
    attempts,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 1_000 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  };
}
