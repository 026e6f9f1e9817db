export { runCli, type CliContext } from './run.js';
export { parseArguments, type ParsedArguments, type RawFlags } from './parse-arguments.js';
export {
  FLAG_SPECS,
  findFlagSpec,
  type FlagSpec,
  type FlagKind,
  type FlagGroup,
} from './flag-specs.js';
export {
  toCliOptions,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_FAILOVER_TIMEOUT_SECONDS,
  type CliOptions,
  type LaunchOptions,
  type DirectTarget,
  type ApiTarget,
  type ExposedPort,
} from './options.js';
export { buildRequestBody, type LaunchRequestBody, type PortRequestBody } from './request.js';
export { validateRequestBody } from './validate-request.js';
export { helpText } from './help.js';
export { runDirectMode, type DirectModeContext } from './direct-mode.js';
export {
  DirectLaunch,
  describeTerminalStatus,
  type DirectLaunchCalls,
  type DirectLaunchOptions,
} from './direct-launch.js';
export { runApiMode, type ApiModeContext } from './api-mode.js';
export { ApiClient, type LaunchStatusBody, type SubmittedLaunch } from './api-client.js';
export { buildFrameworkInfo, CLI_FRAMEWORK_NAME } from './framework-info.js';
export {
  createOutputLogger,
  createDiagnosticLogger,
  formatDiagnosticLine,
  taskStatusFields,
  logTaskStatus,
  type TaskStatusFields,
} from './output.js';
export {
  EXIT_CODES,
  CliError,
  UsageError,
  LaunchFailedError,
  LaunchTimeoutError,
  UnreachableError,
  InterruptedError,
} from './errors.js';
