import type { Logger } from '../../shared/logger.js';
import type { MasterInfo, TimeInfo } from '../mesos-types.js';
import type { ResolvedOptions } from '../options.js';
import type { IdGenerator } from './ids.js';
import type { Agent, Framework, OfferRecord, Task } from './model.js';
import type { TimerRegistry } from './timers.js';

/** Hands out addresses of one /16 network in order, wrapping around when it is exhausted. */
export interface AddressPool {
  /** The first two octets, e.g. `172.18`. */
  prefix: string;
  nextHost: number;
}

/** Faults a test switches on through the control API. */
export interface FaultState {
  heartbeatsPaused: boolean;
  /** undefined while leading; otherwise the `host:port` to redirect to, or null for 503. */
  redirectTo: string | null | undefined;
  unavailable: boolean;
  updateDelayMs: number;
  duplicateUpdates: boolean;
}

/** The operations the master calls on a simulated agent process. */
export interface AgentRuntime {
  runTask(task: Task, framework: Framework): void;
  killTask(task: Task, framework: Framework): void;
  acknowledge(frameworkId: string, taskId: string, uuid: Uint8Array): void;
  /** Ends a started task as if its process exited; false when it has not started or has ended. */
  exitTask(task: Task, exitCode: number, message?: string): boolean;
  shutdownFramework(frameworkId: string): void;
  /** Resends each pending update of the framework at once, as agents do on re-subscription. */
  resumeUpdates(frameworkId: string): void;
  stop(): void;
}

/** Runs the allocation cycle; see allocator.ts. */
export interface AllocationTrigger {
  requestAllocation(): void;
}

/** The whole in-memory state of the emulated master and its agents. */
export interface MasterContext {
  readonly options: ResolvedOptions;
  readonly logger: Logger;
  readonly timers: TimerRegistry;
  readonly ids: IdGenerator;
  masterInfo: MasterInfo;
  readonly frameworks: Map<string, Framework>;
  /** Ids of removed frameworks; a SUBSCRIBE with one gets "Framework has been removed". */
  readonly completedFrameworks: Set<string>;
  readonly agents: Map<string, Agent>;
  readonly runtimes: Map<string, AgentRuntime>;
  /** Removed agents, kept for reconciliation replies. */
  readonly unreachableAgents: Map<string, TimeInfo>;
  readonly goneAgents: Set<string>;
  readonly offers: Map<string, OfferRecord>;
  readonly faults: FaultState;
  allocator: AllocationTrigger;
  /** Address pools of user-defined Docker networks, shared by all agents. */
  readonly userNetworks: Map<string, AddressPool>;
}
