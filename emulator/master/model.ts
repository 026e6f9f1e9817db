import type {
  Attribute,
  ContainerStatus,
  Event,
  ExecutorInfo,
  FrameworkInfo,
  TaskInfo,
  TaskState,
  TimeInfo,
} from '../mesos-types.js';
import type { AgentSpec } from '../options.js';
import type { ResourceBag } from '../resources/resource-bag.js';
import type { TimerHandle } from './timers.js';

/** The target of a framework's events: one open SUBSCRIBE response. */
export interface EventSink {
  readonly streamId: string;
  readonly closed: boolean;
  send(event: Event): void;
  /** Sends a HEARTBEAT now and then one every heartbeat interval until the stream closes. */
  startHeartbeats(): void;
  /** Ends the response; the sink's close listener runs once. */
  close(): void;
}

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

export function isTerminalState(state: TaskState | undefined): boolean {
  return state !== undefined && TERMINAL_STATES.has(state);
}

/** Returns the key of a task in indexes that span frameworks. */
export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}\u0000${taskId}`;
}

/** A task as the master tracks it, from the accepted LAUNCH until its terminal update is acknowledged. */
export interface Task {
  readonly key: string;
  readonly frameworkId: string;
  readonly taskId: string;
  readonly agentId: string;
  readonly info: TaskInfo;
  /** Task resources plus those of a new custom executor, taken from the offer. */
  readonly resources: ResourceBag;
  readonly role: string;
  /** Set only for tasks with their own ExecutorInfo, as in Mesos's `Task.executor_id`. */
  readonly executorId?: string;
  /** The latest state the master has recorded, which can run ahead of what the scheduler has seen. */
  state: TaskState;
  /** State and uuid of the latest agent update forwarded to the scheduler. */
  statusUpdateState?: TaskState;
  statusUpdateUuid?: Uint8Array;
  containerStatus?: ContainerStatus;
  healthy?: boolean;
  resourcesRecovered: boolean;
  unreachableTime?: TimeInfo;
}

export interface OfferRecord {
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  readonly resources: ResourceBag;
}

/** A refuse filter: offers of a subset of `resources` on one agent are hidden until `expiresAt`. */
export interface RefuseFilter {
  readonly resources: ResourceBag;
  readonly expiresAt: number;
}

export interface FrameworkCapabilities {
  partitionAware: boolean;
  taskKillingState: boolean;
  multiRole: boolean;
  reservationRefinement: boolean;
}

/** Keeps the newest `limit` entries of a map, as Mesos bounds its completed-task lists. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    this.delete(key);
    super.set(key, value);
    if (this.size > this.limit) {
      const oldest = this.keys().next();
      if (oldest.done !== true) {
        this.delete(oldest.value);
      }
    }
    return this;
  }
}

/** Mesos keeps 1000 completed and 1000 unreachable tasks per framework (`src/master/constants.hpp`). */
const TASK_HISTORY_LIMIT = 1000;

export class Framework {
  info: FrameworkInfo;
  roles: Set<string>;
  suppressedRoles = new Set<string>();
  capabilities: FrameworkCapabilities;
  stream: EventSink | undefined;
  active = false;
  /** Bumped on each (re)subscription; a failover timer only fires for the generation it saw. */
  generation = 0;
  failoverTimer: TimerHandle | undefined;
  readonly offers = new Set<string>();
  readonly tasks = new Map<string, Task>();
  readonly unreachableTasks = new BoundedMap<string, Task>(TASK_HISTORY_LIMIT);
  readonly completedTasks = new BoundedMap<string, Task>(TASK_HISTORY_LIMIT);
  /** Refuse filters keyed by `role \0 agentId`. */
  readonly filters = new Map<string, RefuseFilter[]>();

  constructor(
    readonly id: string,
    info: FrameworkInfo,
  ) {
    this.info = info;
    this.roles = frameworkRoles(info);
    this.capabilities = frameworkCapabilities(info);
  }

  get connected(): boolean {
    return this.stream !== undefined;
  }

  updateInfo(info: FrameworkInfo): void {
    this.info = info;
    this.roles = frameworkRoles(info);
    this.capabilities = frameworkCapabilities(info);
  }
}

export function frameworkCapabilities(info: FrameworkInfo): FrameworkCapabilities {
  const types = new Set((info.capabilities ?? []).map((capability) => capability.type));
  return {
    partitionAware: types.has('PARTITION_AWARE'),
    taskKillingState: types.has('TASK_KILLING_STATE'),
    multiRole: types.has('MULTI_ROLE'),
    reservationRefinement: types.has('RESERVATION_REFINEMENT'),
  };
}

/** MULTI_ROLE frameworks subscribe to `roles`; others to `role`, which defaults to `*`. */
export function frameworkRoles(info: FrameworkInfo): Set<string> {
  if (frameworkCapabilities(info).multiRole) {
    return new Set(info.roles ?? []);
  }
  return new Set([info.role ?? '*']);
}

/** A simulated agent's bookkeeping on the master side. */
export interface Agent {
  readonly id: string;
  readonly spec: AgentSpec;
  readonly total: ResourceBag;
  readonly attributes: Attribute[];
  /** Resources neither offered nor used by tasks. */
  available: ResourceBag;
  readonly offers: Set<string>;
  /** Tasks by `taskKey`. */
  readonly tasks: Map<string, Task>;
  /** Custom executors by `taskKey(frameworkId, executorId)`, with how many live tasks use each. */
  readonly executors: Map<string, { info: ExecutorInfo; taskCount: number }>;
  /** Next host number of this agent's `bridge` network (its own docker0, 172.17.0.0/16). */
  nextBridgeHost: number;
  readonly registeredAt: number;
}
