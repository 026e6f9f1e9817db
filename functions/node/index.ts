export {
  main,
  startFunctionServer,
  type FunctionServer,
  type FunctionServerOptions,
} from './server.js';
export { createInternalApp, INTERNAL_PATH_PREFIX, type InternalAppOptions } from './internal.js';
export { LaunchQueue } from './launch-queue.js';
export { createFunctionMetrics, type FunctionMetrics } from './metrics.js';
export { createRedisBackend } from './redis-backend.js';
export { digestCanonicalJsonSync } from './request-digest-sync.js';
