export { newLaunchId, isLaunchId, taskIdFor, parseTaskId } from './ids.js';
export { redisKeys, LAUNCH_QUEUE_NAME, LAUNCH_JOB_NAME, type RedisKeys } from './keys.js';
export { launchJobOptions } from './job-options.js';
export {
  NETWORK_MODES,
  PORT_PROTOCOLS,
  LAUNCH_STATES,
  TERMINAL_TASK_STATES,
  TERMINAL_LAUNCH_STATES,
  isTerminalLaunchState,
  type NetworkMode,
  type PortProtocol,
  type PortRequest,
  type LaunchRequest,
  type LaunchOnlyState,
  type LaunchState,
  type AssignedPort,
  type HistoryEntry,
  type LaunchStatus,
  type LaunchJobData,
} from './types.js';
export {
  launchRequestSchema,
  portRequestSchema,
  parseLaunchRequest,
  LAUNCH_LIMITS,
  LAUNCH_REQUEST_FIELDS,
  RESERVED_ENV_PREFIX,
  type InvalidField,
  type ParseLaunchRequestResult,
} from './schema.js';
export {
  parseImageReference,
  MAX_IMAGE_NAME_LENGTH,
  type ImageReference,
  type ImageReferenceResult,
} from './image-reference.js';
export {
  recordToStatus,
  statusFieldsToHash,
  nullRecordFields,
  recordInternals,
  historyEntryToJson,
  parseHistoryEntry,
  type LaunchRecordFields,
  type LaunchRecordInternals,
} from './record.js';
export {
  LaunchStore,
  type LaunchJobQueue,
  type LaunchStoreOptions,
  type CreateLaunchInput,
  type CreateLaunchResult,
  type KillLaunchResult,
  type LaunchPage,
  type ListLaunchesQuery,
} from './store.js';
export { encodeCursor, decodeCursor } from './store-list.js';
export {
  LaunchNotFoundError,
  LaunchTerminalError,
  IdempotencyConflictError,
  StoreUnavailableError,
  LaunchCreationPendingError,
  InvalidCursorError,
} from './store-errors.js';
export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_CODES,
  ProblemError,
  createProblem,
  problemResponse,
  problemFromError,
  type ProblemDetails,
  type ProblemErrorOptions,
} from './problem.js';
