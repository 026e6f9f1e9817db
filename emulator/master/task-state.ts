import type { TaskState, TaskStatus } from '../mesos-types.js';
import type { MasterContext } from './context.js';
import { isTerminalState, taskKey, type Task } from './model.js';
import { forwardUpdate } from './updates.js';

function isTerminalOrUnreachable(state: TaskState): boolean {
  return isTerminalState(state) || state === 'TASK_UNREACHABLE';
}

/**
 * Handles an update the agent forwards (first send or resend). A connected framework gets it;
 * the master's copy of the task moves to the agent's latest state either way.
 */
export function receiveAgentUpdate(
  ctx: MasterContext,
  agentId: string,
  frameworkId: string,
  status: TaskStatus,
  latestState: TaskState | undefined,
): void {
  const agent = ctx.agents.get(agentId);
  if (agent === undefined) {
    ctx.logger.debug(
      { agentId, taskId: status.task_id.value },
      'ignoring update from a removed agent',
    );
    return;
  }

  const framework = ctx.frameworks.get(frameworkId);
  if (framework?.connected === true) {
    forwardUpdate(ctx, framework, status);
  } else {
    ctx.logger.debug(
      { frameworkId, taskId: status.task_id.value, state: status.state },
      'not forwarding update to a disconnected framework',
    );
  }

  const task = agent.tasks.get(taskKey(frameworkId, status.task_id.value));
  if (task !== undefined) {
    updateTaskState(ctx, task, status, latestState);
  }
}

/**
 * Moves the master's task to `latestState` (or the status's state) unless it is already
 * terminal, keeps the newest container status and health, and frees the task's resources
 * when it becomes terminal or unreachable, before any ACK (`Master::updateTask`).
 */
export function updateTaskState(
  ctx: MasterContext,
  task: Task,
  status: TaskStatus,
  latestState?: TaskState,
): void {
  const newState = latestState ?? status.state;
  const wasDone = isTerminalOrUnreachable(task.state);

  if (!isTerminalState(task.state)) {
    task.state = newState;
  }
  if (status.container_status !== undefined) {
    task.containerStatus = status.container_status;
  }
  if (status.healthy !== undefined) {
    task.healthy = status.healthy;
  }

  if (!wasDone && isTerminalOrUnreachable(newState)) {
    recoverTaskResources(ctx, task);
  }
}

/** Returns a finished task's resources to its agent; no filter, no immediate allocation. */
export function recoverTaskResources(ctx: MasterContext, task: Task): void {
  if (task.resourcesRecovered) {
    return;
  }
  task.resourcesRecovered = true;
  ctx.agents.get(task.agentId)?.available.add(task.resources);
}

/**
 * Forgets a task: after the ACK of its terminal update, on framework removal, or on agent
 * loss (`unreachable`, which keeps its id blocked for reuse).
 */
export function removeTask(ctx: MasterContext, task: Task, unreachable = false): void {
  recoverTaskResources(ctx, task);

  const framework = ctx.frameworks.get(task.frameworkId);
  framework?.tasks.delete(task.taskId);
  if (unreachable) {
    framework?.unreachableTasks.set(task.taskId, task);
  } else {
    framework?.completedTasks.set(task.taskId, task);
  }

  const agent = ctx.agents.get(task.agentId);
  agent?.tasks.delete(task.key);
  if (agent !== undefined && task.executorId !== undefined) {
    releaseExecutor(agent.executors, task.frameworkId, task.executorId);
  }
}

/** Forgets a custom executor once no live task of the agent uses it. */
function releaseExecutor(
  executors: Map<string, { taskCount: number }>,
  frameworkId: string,
  executorId: string,
): void {
  const key = taskKey(frameworkId, executorId);
  const executor = executors.get(key);
  if (executor === undefined) {
    return;
  }
  executor.taskCount -= 1;
  if (executor.taskCount <= 0) {
    executors.delete(key);
  }
}
