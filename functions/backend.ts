import type { LaunchRequest, LaunchState, LaunchStatus } from '../shared/launch/types.js';

/** A validated launch request to store and queue. */
export interface SubmitLaunchInput {
  request: LaunchRequest;
  /**
   * Hex SHA-256 of the canonical request, compared when an Idempotency-Key is reused. Only a
   * request with `idempotencyKey` needs it, so only such requests pay for the hash.
   */
  requestSha256?: string;
  idempotencyKey?: string;
}

/** `created` is false when an Idempotency-Key returned an existing launch. */
export interface SubmitLaunchResult {
  id: string;
  state: LaunchState;
  created: boolean;
}

export interface ListLaunchesInput {
  states?: string[];
  limit: number;
  cursor?: string;
}

export interface LaunchListPage {
  launches: LaunchStatus[];
  next_cursor: string | null;
}

export interface KillLaunchOutcome {
  id: string;
  outcome: 'cancelled' | 'kill_requested';
  state: LaunchState;
}

/** Prometheus text exposition of the service's metrics. */
export interface MetricsText {
  contentType: string;
  body: string;
}

/**
 * Operations the HTTP app calls on the launch side. The Node entry implements them with Redis
 * and BullMQ, and the edge entry forwards each call to the Node entry's internal endpoint. Failures are
 * thrown as MesosLaunchError with a code from PROBLEM_CODES (LAUNCH_NOT_FOUND, LAUNCH_TERMINAL,
 * IDEMPOTENCY_KEY_REUSED, STORE_UNAVAILABLE, ...) or as ProblemError.
 */
export interface LaunchBackend {
  submitLaunch(input: SubmitLaunchInput): Promise<SubmitLaunchResult>;
  /** Returns undefined when no launch has the id. */
  getLaunch(id: string): Promise<LaunchStatus | undefined>;
  listLaunches(input: ListLaunchesInput): Promise<LaunchListPage>;
  killLaunch(id: string): Promise<KillLaunchOutcome>;
  /** Resolves when Redis responds, and throws otherwise. */
  checkReady(): Promise<void>;
  /** The Prometheus metrics of the launch side. */
  renderMetrics(): Promise<MetricsText>;
}
