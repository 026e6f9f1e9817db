import type { Call } from '../mesos-types.js';
import type { MasterContext } from './context.js';
import { formatUuid } from './ids.js';
import { isTerminalState, taskKey, type Framework } from './model.js';
import { reconcile } from './reconcile.js';
import { removeTask } from './task-state.js';
import { uuidBytesEqual } from './ids.js';

type KillPayload = NonNullable<Call['kill']>;
type AcknowledgePayload = NonNullable<Call['acknowledge']>;

/**
 * Handles KILL as `Master::kill` does: an unknown task triggers explicit reconciliation of it,
 * a wrong `agent_id` is ignored, otherwise the agent's executor kills the task.
 */
export function kill(ctx: MasterContext, framework: Framework, payload: KillPayload): void {
  const task = framework.tasks.get(payload.task_id.value);
  if (task === undefined) {
    ctx.logger.debug(
      { frameworkId: framework.id, taskId: payload.task_id.value },
      'kill of an unknown task; reconciling',
    );
    reconcile(ctx, framework, [
      payload.agent_id === undefined
        ? { task_id: payload.task_id }
        : { task_id: payload.task_id, agent_id: payload.agent_id },
    ]);
    return;
  }

  if (payload.agent_id !== undefined && payload.agent_id.value !== task.agentId) {
    ctx.logger.warn(
      { frameworkId: framework.id, taskId: task.taskId, agentId: payload.agent_id.value },
      'ignoring kill of a task on a different agent',
    );
    return;
  }

  ctx.runtimes.get(task.agentId)?.killTask(task, framework);
}

/**
 * Handles ACKNOWLEDGE (the uuid was validated with the call). An unknown agent drops it. The
 * ACK of a task's terminal update removes the task from the master, which frees its id. The
 * agent then sends the task's next update; a uuid matching no pending update changes nothing.
 */
export function acknowledge(
  ctx: MasterContext,
  framework: Framework,
  payload: AcknowledgePayload,
): void {
  const agentId = payload.agent_id.value;
  const agent = ctx.agents.get(agentId);
  if (agent === undefined) {
    ctx.logger.debug(
      { frameworkId: framework.id, agentId },
      'dropping acknowledgement for an unknown agent',
    );
    return;
  }

  const task = agent.tasks.get(taskKey(framework.id, payload.task_id.value));
  if (task !== undefined) {
    if (task.statusUpdateState === undefined) {
      ctx.logger.debug(
        { taskId: task.taskId },
        'dropping acknowledgement of an update this master did not send',
      );
      return;
    }
    if (
      isTerminalState(task.statusUpdateState) &&
      uuidBytesEqual(task.statusUpdateUuid, payload.uuid)
    ) {
      removeTask(ctx, task);
    }
  }

  ctx.logger.debug(
    { frameworkId: framework.id, taskId: payload.task_id.value, uuid: formatUuid(payload.uuid) },
    'acknowledged status update',
  );
  ctx.runtimes.get(agentId)?.acknowledge(framework.id, payload.task_id.value, payload.uuid);
}
