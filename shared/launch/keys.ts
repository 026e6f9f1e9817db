/**
 * Redis key names. Every key starts with the configured prefix (`REDIS_PREFIX`, default `ml`).
 *
 * - `launch(id)`: HASH with the scalar fields of a launch; JSON-encoded fields are `request`,
 *   `ports` and `ip_addresses`; booleans are `'1'`/`'0'`; absent means null. Internal fields:
 *   `kill_requested`, `ever_running`, and `job_id`, which is written once the job is queued
 *   and only for a launch created with an Idempotency-Key.
 * - `history(id)`: LIST of JSON `HistoryEntry`, oldest first (RPUSH).
 * - `seenUpdates(id)`: SET of keys of status updates already recorded, so that a repeated
 *   delivery is recorded once.
 * - `launchesByCreation`: ZSET of launch ids scored by creation time in ms, for listing.
 * - `activeLaunches`: SET of ids of launches that are not terminal, for reconciliation.
 * - `idempotency(key)`: STRING JSON `{ id, body_sha256 }`, expiring after a day.
 * - `frameworkId`: STRING, the framework id Mesos gave this framework.
 * - `workerLease`: STRING holding the active worker's id, with an expiry.
 * - `statusChannel`: pub/sub channel with one JSON `{ id, state, task_id, updated_at }` per change.
 * - `killChannel`: pub/sub channel with the id of each launch whose kill was requested.
 * - `queuePrefix`: the BullMQ `prefix` option; the queue itself is `LAUNCH_QUEUE_NAME`.
 * - `forwardSignature(signature)`: STRING set when the Node side accepts a signed request that the
 *   edge forwarded, expiring after 10 minutes, so the same signed request is accepted once.
 */
export interface RedisKeys {
  launch(id: string): string;
  history(id: string): string;
  seenUpdates(id: string): string;
  idempotency(key: string): string;
  launchesByCreation: string;
  activeLaunches: string;
  frameworkId: string;
  workerLease: string;
  statusChannel: string;
  killChannel: string;
  queuePrefix: string;
  forwardSignature(signature: string): string;
}

export const LAUNCH_QUEUE_NAME = 'launches';

/** The BullMQ job name of a launch job; the job id is the launch id. */
export const LAUNCH_JOB_NAME = 'launch';

export function redisKeys(prefix = 'ml'): RedisKeys {
  return {
    launch: (id) => `${prefix}:launch:${id}`,
    history: (id) => `${prefix}:launch:${id}:history`,
    seenUpdates: (id) => `${prefix}:launch:${id}:seen`,
    idempotency: (key) => `${prefix}:idempotency:${key}`,
    launchesByCreation: `${prefix}:launches`,
    activeLaunches: `${prefix}:launches:active`,
    frameworkId: `${prefix}:framework-id`,
    workerLease: `${prefix}:worker-lease`,
    statusChannel: `${prefix}:status`,
    killChannel: `${prefix}:kill-requests`,
    queuePrefix: `${prefix}:bull`,
    forwardSignature: (signature) => `${prefix}:forward-signature:${signature}`,
  };
}
