import { randomUUID } from 'node:crypto';

const TASK_ID_PATTERN = /^ml-([0-9a-f-]{36})-a(\d{1,4})$/;

/** Creates a launch id: a random UUID, which BullMQ accepts as a job id (no `:`, not an integer). */
export function newLaunchId(): string {
  return randomUUID();
}

/** Returns true when `value` has the shape of a launch id. */
export function isLaunchId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}

/**
 * Derives the Mesos task id of one launch attempt, for example `ml-<uuid>-a1`. It is stable for
 * the attempt, unique across attempts, 43 characters at most and uses only `[0-9a-z-]`, well inside
 * Mesos's rule of 1 to 255 characters without `/`, `\` or control characters.
 */
export function taskIdFor(launchId: string, attempt: number): string {
  return `ml-${launchId}-a${attempt}`;
}

/** Splits a task id made by `taskIdFor`; returns undefined for task ids of other frameworks. */
export function parseTaskId(taskId: string): { launchId: string; attempt: number } | undefined {
  const match = TASK_ID_PATTERN.exec(taskId);
  if (!match?.[1] || !match[2]) {
    return undefined;
  }

  return { launchId: match[1], attempt: Number(match[2]) };
}
