import type { Call, TaskState, TaskStatus } from '../mesos-types.js';
import type { MasterContext } from './context.js';
import type { Framework, Task } from './model.js';
import { forwardUpdate, masterStatus } from './updates.js';

type ReconcileTask = NonNullable<NonNullable<Call['reconcile']>['tasks']>[number];

/**
 * Handles RECONCILE as `Master::reconcile` does. Every reply is a master update with
 * REASON_RECONCILIATION and no uuid. An empty list (implicit) returns each known task's
 * latest forwarded state. An explicit list gets one reply per task from the master's records
 * of it and its agent, with TASK_LOST in place of the partition-aware states for other
 * frameworks.
 */
export function reconcile(
  ctx: MasterContext,
  framework: Framework,
  tasks: readonly ReconcileTask[],
): void {
  if (tasks.length === 0) {
    for (const task of framework.tasks.values()) {
      forwardUpdate(ctx, framework, knownTaskStatus(task));
    }
    return;
  }

  for (const entry of tasks) {
    const known = framework.tasks.get(entry.task_id.value);
    const status =
      known !== undefined ? knownTaskStatus(known) : unknownTaskStatus(ctx, framework, entry);
    forwardUpdate(ctx, framework, status);
  }
}

function knownTaskStatus(task: Task): TaskStatus {
  return masterStatus({
    taskId: task.taskId,
    agentId: task.agentId,
    state: task.statusUpdateState ?? task.state,
    reason: 'REASON_RECONCILIATION',
    message: 'Reconciliation: Latest task state',
    ...(task.executorId !== undefined ? { executorId: task.executorId } : {}),
    ...(task.healthy !== undefined ? { healthy: task.healthy } : {}),
    ...(task.containerStatus !== undefined ? { containerStatus: task.containerStatus } : {}),
  });
}

function unknownTaskStatus(
  ctx: MasterContext,
  framework: Framework,
  entry: ReconcileTask,
): TaskStatus {
  const agentId = entry.agent_id?.value;
  const partitionAware = framework.capabilities.partitionAware;
  const pick = (state: TaskState): TaskState => (partitionAware ? state : 'TASK_LOST');
  const base = {
    taskId: entry.task_id.value,
    reason: 'REASON_RECONCILIATION' as const,
    ...(agentId !== undefined ? { agentId } : {}),
  };

  if (agentId !== undefined && ctx.agents.has(agentId)) {
    return masterStatus({
      ...base,
      state: pick('TASK_GONE'),
      message: 'Reconciliation: Task is unknown to the agent',
    });
  }

  const unreachableTime = agentId === undefined ? undefined : ctx.unreachableAgents.get(agentId);
  if (unreachableTime !== undefined) {
    return masterStatus({
      ...base,
      state: pick('TASK_UNREACHABLE'),
      message: 'Reconciliation: Task is unreachable',
      unreachableTime,
    });
  }

  if (agentId !== undefined && ctx.goneAgents.has(agentId)) {
    return masterStatus({
      ...base,
      state: pick('TASK_GONE_BY_OPERATOR'),
      message: 'Reconciliation: Task is gone',
    });
  }
  return masterStatus({
    ...base,
    state: pick('TASK_UNKNOWN'),
    message: 'Reconciliation: Task is unknown',
  });
}
