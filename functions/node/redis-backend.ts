import type { LaunchStore } from '../../shared/launch/store.js';
import type { LaunchBackend } from '../backend.js';
import type { FunctionMetrics } from './metrics.js';

/** Creates the Node entry's backend from the launch store (Redis and BullMQ) and the local metrics. */
export function createRedisBackend(store: LaunchStore, metrics: FunctionMetrics): LaunchBackend {
  return {
    submitLaunch: async (input) => {
      const result = await store.createLaunch(input);
      metrics.countSubmission(result.created);
      return result;
    },
    getLaunch: (id) => store.readLaunch(id),
    listLaunches: (input) => store.listLaunches(input),
    killLaunch: (id) => store.killLaunch(id),
    checkReady: () => store.ping(),
    renderMetrics: () => metrics.render(),
  };
}
