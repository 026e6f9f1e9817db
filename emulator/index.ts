export { startEmulator, type Emulator } from './emulator.js';
export {
  EmulatorOptionsError,
  agentIp,
  defaultAgents,
  type AgentSpec,
  type EmulatorOptions,
  type PortRange,
  type SchedulerCredential,
} from './options.js';
export {
  EmulatorControlError,
  type EmulatorControl,
  type TaskSelector,
} from './control/control.js';
export type {
  AgentSummary,
  FrameworkSummary,
  OfferSummary,
  TaskSummary,
} from './control/summaries.js';
export type { CallLogEntry } from './http/call-log.js';
export type { AgentRemoval } from './master/agents.js';
