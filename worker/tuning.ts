/** Timings and sizes of the worker that the configuration does not set. */
export interface WorkerTuning {
  /** Lifetime of the worker lease; a standby takes over at most this long after a crash. */
  leaseTtlMs: number;
  /** How often the holder renews the lease. */
  leaseRenewIntervalMs: number;
  /** How often a standby tries to take the lease; a released lease is taken within this time. */
  leasePollIntervalMs: number;
  /** Launch jobs held at once; each only waits for its task, so this can be high. */
  jobConcurrency: number;
  /** First delay between periodic reconciliations; it doubles up to the maximum. */
  reconcileBaseIntervalMs: number;
  reconcileMaxIntervalMs: number;
  /** Age a LAUNCHING write must reach before a periodic reconciliation queries its task. */
  launchingGraceMs: number;
  /** Tasks per RECONCILE call. */
  reconcileBatchSize: number;
  /** How long no launch must wait before offers are suppressed. */
  suppressDelayMs: number;
  /** The shortest time between two REVIVE calls that only clear decline filters. */
  minReviveIntervalMs: number;
  /** How often waiting launches are checked against their `timeout_seconds`. */
  expiryIntervalMs: number;
  /** How often QUEUED launches are checked for a job that no worker will take. */
  queuedSweepIntervalMs: number;
  /** How long a launch must have been QUEUED before that check looks at it. */
  queuedSweepMinAgeMs: number;
  /** Resubscribe backoff of the Mesos client. */
  subscribeBackoff: { initialMs: number; maxMs: number };
  /** Heartbeat intervals of silence after which the master counts as lost. */
  heartbeatMissFactor: number;
  /** Timeout of each call to the master. */
  requestTimeoutMs: number;
}

export const DEFAULT_TUNING: WorkerTuning = {
  leaseTtlMs: 15_000,
  leaseRenewIntervalMs: 5_000,
  leasePollIntervalMs: 1_000,
  jobConcurrency: 10_000,
  reconcileBaseIntervalMs: 15_000,
  reconcileMaxIntervalMs: 600_000,
  launchingGraceMs: 30_000,
  reconcileBatchSize: 1_000,
  suppressDelayMs: 1_000,
  minReviveIntervalMs: 250,
  expiryIntervalMs: 1_000,
  queuedSweepIntervalMs: 30_000,
  queuedSweepMinAgeMs: 30_000,
  subscribeBackoff: { initialMs: 500, maxMs: 30_000 },
  heartbeatMissFactor: 5,
  requestTimeoutMs: 75_000,
};
