/**
 * The Mesos message shapes the emulator reads and writes, in the project's in-memory form
 * (snake_case fields, enum names as strings, 64-bit integers as decimal strings).
 */
export type {
  AgentID,
  Attribute,
  Call,
  CheckInfo,
  CommandInfo,
  ContainerInfo,
  ContainerStatus,
  DockerInfo,
  DockerPortMapping,
  DurationInfo,
  Environment_Variable as EnvironmentVariable,
  Event,
  ExecutorInfo,
  Filters,
  FrameworkID,
  FrameworkInfo,
  HealthCheck,
  IPAddress,
  Label,
  Labels,
  MasterInfo,
  NetworkInfo,
  Offer,
  Offer_Operation as OfferOperation,
  OfferID,
  Resource,
  TaskID,
  TaskInfo,
  TaskState,
  TaskStatus,
  TaskStatus_Reason as TaskReason,
  TaskStatus_Source as TaskSource,
  TimeInfo,
  Volume,
} from '../shared/mesos/types.js';

/** Any Mesos id message (`FrameworkID`, `AgentID`, `TaskID`, ...): a single `value`. */
export interface Id {
  value: string;
}
