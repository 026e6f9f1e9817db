import { StoreUnavailableError } from '../../shared/launch/store-errors.js';
import type { LaunchStore } from '../../shared/launch/store.js';
import type { LaunchBackend, SubmitLaunchInput } from '../backend.js';
import type { FunctionMetrics } from './metrics.js';

/** Creates the Node entry's backend from the launch store (Redis and BullMQ) and the local metrics. */
export function createRedisBackend(store: LaunchStore, metrics: FunctionMetrics): LaunchBackend {
  return {
    submitLaunch: async (input) => {
      try {
        const result = await store.createLaunch(input);
        metrics.countSubmission(result.created);
        return result;
      } catch (error) {
        throw error instanceof StoreUnavailableError ? withRetryAdvice(error, input) : error;
      }
    },
    getLaunch: (id) => store.readLaunch(id),
    listLaunches: (input) => store.listLaunches(input),
    killLaunch: (id) => store.killLaunch(id),
    checkReady: () => store.ping(),
    renderMetrics: () => metrics.render(),
  };
}

/**
 * A create that timed out is not undone: Redis may still store the launch and its job after the
 * 503, and the worker then runs it. The problem detail states this, and how to retry without
 * creating a second launch.
 */
function withRetryAdvice(
  error: StoreUnavailableError,
  input: SubmitLaunchInput,
): StoreUnavailableError {
  const advice =
    input.idempotencyKey === undefined
      ? 'send an Idempotency-Key header and repeat it on retries, so that such a launch is ' +
        'found instead of created again'
      : 'repeat the request with the same Idempotency-Key to get it instead of a second launch';

  return new StoreUnavailableError(
    `${error.message}; the launch may have been queued all the same: ${advice}`,
    error,
  );
}
