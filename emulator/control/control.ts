import { MesosLaunchError } from '../../shared/errors.js';
import type { Allocator } from '../allocator/allocator.js';
import type { CallLog, CallLogEntry } from '../http/call-log.js';
import type { SubscriptionStream } from '../http/subscription-stream.js';
import { addAgent, removeAgent, type AgentRemoval } from '../master/agents.js';
import type { MasterContext } from '../master/context.js';
import type { Task } from '../master/model.js';
import type { TaskState } from '../mesos-types.js';
import { agentIp, validateAgentSpec, type AgentSpec } from '../options.js';
import {
  summarizeAgent,
  summarizeFramework,
  summarizeOffer,
  summarizeTask,
  type AgentSummary,
  type FrameworkSummary,
  type OfferSummary,
  type TaskSummary,
} from './summaries.js';

/** A control request that names something unknown, is ambiguous or is malformed. */
export class EmulatorControlError extends MesosLaunchError {
  constructor(
    code: 'EMULATOR_NOT_FOUND' | 'EMULATOR_AMBIGUOUS' | 'EMULATOR_INVALID_REQUEST',
    message: string,
  ) {
    super(code, message);
    this.name = 'EmulatorControlError';
  }
}

/** Picks a task by id; `frameworkId` is needed only when two frameworks use the same id. */
export interface TaskSelector {
  frameworkId?: string;
}

/** The in-process handle tests use to inspect the emulator and inject faults. */
export interface EmulatorControl {
  frameworks(): FrameworkSummary[];
  tasks(filter?: { frameworkId?: string; state?: TaskState }): TaskSummary[];
  agents(): AgentSummary[];
  offers(): OfferSummary[];
  /** Ends a running task with exit status 0: TASK_FINISHED. */
  finishTask(taskId: string, selector?: TaskSelector): TaskSummary;
  /** Ends a task with a non-zero exit status (1 by default): TASK_FAILED. */
  failTask(
    taskId: string,
    options?: TaskSelector & { exitCode?: number; message?: string },
  ): TaskSummary;
  /** Adds an agent; unset fields come from the default agent shape. */
  addAgent(spec?: Partial<AgentSpec>): AgentSummary;
  /** Removes an agent as lost (`unreachable`, the default) or marked gone by an operator. */
  removeAgent(agentId: string, removal?: AgentRemoval): void;
  /** Breaks subscription connections (of one framework, or all) without a clean end. */
  dropStreams(frameworkId?: string): number;
  stopHeartbeats(): void;
  resumeHeartbeats(): void;
  /** Makes every scheduler request get 307 to `redirectTo` (`host:port`), or 503 when null. */
  becomeNonLeader(redirectTo: string | null): void;
  becomeLeader(): void;
  /** Makes every scheduler request get 503 while enabled. */
  setUnavailable(enabled: boolean): void;
  /** Holds each agent update for `delayMs` before the master receives it. */
  delayUpdates(delayMs: number): void;
  /** Delivers each agent update twice, with the same uuid. */
  duplicateUpdates(enabled: boolean): void;
  calls(): CallLogEntry[];
  clearCalls(): void;
  /** Runs an allocation cycle now. */
  allocate(): void;
}

export interface ControlDependencies {
  ctx: MasterContext;
  allocator: Allocator;
  callLog: CallLog;
  streams: Set<SubscriptionStream>;
}

export function createControl(deps: ControlDependencies): EmulatorControl {
  const { ctx } = deps;

  return {
    frameworks: () => [...ctx.frameworks.values()].map(summarizeFramework),
    tasks: (filter = {}) => listTasks(ctx, filter),
    agents: () => [...ctx.agents.values()].map(summarizeAgent),
    offers: () => [...ctx.offers.values()].map(summarizeOffer),
    finishTask: (taskId, selector = {}) => endTask(ctx, taskId, selector, 0),
    failTask: (taskId, options = {}) =>
      endTask(ctx, taskId, options, options.exitCode ?? 1, options.message),
    addAgent: (spec = {}) => {
      const complete = completeAgentSpec(spec, ctx.ids.agentsIssued);
      try {
        validateAgentSpec(complete);
      } catch (error) {
        throw new EmulatorControlError('EMULATOR_INVALID_REQUEST', (error as Error).message);
      }
      return summarizeAgent(addAgent(ctx, complete));
    },
    removeAgent: (agentId, removal = 'unreachable') => {
      const agent = ctx.agents.get(agentId);
      if (agent === undefined) {
        throw new EmulatorControlError('EMULATOR_NOT_FOUND', `Agent ${agentId} is not registered`);
      }
      removeAgent(ctx, agent, removal);
    },
    dropStreams: (frameworkId) => dropStreams(deps, frameworkId),
    stopHeartbeats: () => {
      ctx.faults.heartbeatsPaused = true;
    },
    resumeHeartbeats: () => {
      ctx.faults.heartbeatsPaused = false;
    },
    becomeNonLeader: (redirectTo) => {
      ctx.faults.redirectTo = redirectTo;
      // A Mesos master that loses leadership exits, so its subscribers see their streams end.
      dropStreams(deps, undefined);
    },
    becomeLeader: () => {
      ctx.faults.redirectTo = undefined;
    },
    setUnavailable: (enabled) => {
      ctx.faults.unavailable = enabled;
    },
    delayUpdates: (delayMs) => {
      ctx.faults.updateDelayMs = Math.max(0, delayMs);
    },
    duplicateUpdates: (enabled) => {
      ctx.faults.duplicateUpdates = enabled;
    },
    calls: () => deps.callLog.list(),
    clearCalls: () => deps.callLog.clear(),
    allocate: () => deps.allocator.allocate(),
  };
}

function listTasks(
  ctx: MasterContext,
  filter: { frameworkId?: string; state?: TaskState },
): TaskSummary[] {
  const tasks: TaskSummary[] = [];
  for (const framework of ctx.frameworks.values()) {
    if (filter.frameworkId !== undefined && framework.id !== filter.frameworkId) {
      continue;
    }
    for (const task of framework.tasks.values()) {
      if (filter.state === undefined || task.state === filter.state) {
        tasks.push(summarizeTask(task));
      }
    }
  }
  return tasks;
}

function findTask(ctx: MasterContext, taskId: string, selector: TaskSelector): Task {
  const matches = [...ctx.frameworks.values()]
    .filter(
      (framework) => selector.frameworkId === undefined || framework.id === selector.frameworkId,
    )
    .flatMap((framework) => {
      const task = framework.tasks.get(taskId);
      return task === undefined ? [] : [task];
    });

  if (matches.length === 0) {
    throw new EmulatorControlError(
      'EMULATOR_NOT_FOUND',
      `Task ${taskId} is not known to the master`,
    );
  }
  if (matches.length > 1) {
    throw new EmulatorControlError(
      'EMULATOR_AMBIGUOUS',
      `Task id ${taskId} is used by several frameworks; pass frameworkId`,
    );
  }
  return matches[0]!;
}

function endTask(
  ctx: MasterContext,
  taskId: string,
  selector: TaskSelector,
  exitCode: number,
  message?: string,
): TaskSummary {
  const task = findTask(ctx, taskId, selector);
  const exited = ctx.runtimes.get(task.agentId)?.exitTask(task, exitCode, message) ?? false;
  if (!exited) {
    throw new EmulatorControlError(
      'EMULATOR_INVALID_REQUEST',
      `Task ${taskId} has not started or has already ended on its agent`,
    );
  }
  return summarizeTask(task);
}

function dropStreams(deps: ControlDependencies, frameworkId: string | undefined): number {
  const targets = [...deps.streams].filter((stream) => {
    if (frameworkId === undefined) {
      return true;
    }
    return deps.ctx.frameworks.get(frameworkId)?.stream === stream;
  });
  targets.forEach((stream) => stream.drop());
  return targets.length;
}

/** Fills an agent spec from the default shape of the agent numbered `index` (from 0). */
export function completeAgentSpec(spec: Partial<AgentSpec>, index: number): AgentSpec {
  return {
    hostname: spec.hostname ?? `agent-${index + 1}`,
    ip: spec.ip ?? agentIp(index),
    port: spec.port ?? 5051,
    cpus: spec.cpus ?? 4,
    memMb: spec.memMb ?? 8192,
    diskMb: spec.diskMb ?? 10000,
    ...(spec.gpus !== undefined ? { gpus: spec.gpus } : {}),
    ports: spec.ports ?? [{ begin: 31000, end: 32000 }],
    ...(spec.attributes !== undefined ? { attributes: spec.attributes } : {}),
    dockerNetworks: spec.dockerNetworks ?? ['bridge', 'app-net'],
  };
}
