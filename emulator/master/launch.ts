import type { HealthCheck, Resource, TaskInfo } from '../mesos-types.js';
import { ResourceBag } from '../resources/resource-bag.js';
import type { LaunchScope } from '../validation/launch-scope.js';
import { validateTask } from '../validation/task-validation.js';
import type { MasterContext } from './context.js';
import { taskKey, type Framework, type Task } from './model.js';
import { forwardUpdate, masterStatus } from './updates.js';

/**
 * Applies the master's normalisation before validation: the offer's allocation role goes into
 * resources that lack one, `ExecutorInfo.framework_id` is filled in, and a health check
 * without `type` gets COMMAND or HTTP from the one field it sets.
 */
export function normalizeTask(task: TaskInfo, framework: Framework, role: string): TaskInfo {
  const normalized: TaskInfo = { ...task };
  if (task.resources !== undefined) {
    normalized.resources = injectRole(task.resources, role);
  }
  if (task.executor !== undefined) {
    normalized.executor = {
      ...task.executor,
      framework_id: task.executor.framework_id ?? { value: framework.id },
      ...(task.executor.resources !== undefined
        ? { resources: injectRole(task.executor.resources, role) }
        : {}),
    };
  }
  if (task.health_check !== undefined) {
    normalized.health_check = backfillHealthCheckType(task.health_check);
  }
  return normalized;
}

function injectRole(resources: readonly Resource[], role: string): Resource[] {
  return resources.map((resource) =>
    resource.allocation_info === undefined ? { ...resource, allocation_info: { role } } : resource,
  );
}

function backfillHealthCheckType(check: HealthCheck): HealthCheck {
  if (check.type !== undefined) {
    return check;
  }
  if (check.command !== undefined && check.http === undefined) {
    return { ...check, type: 'COMMAND' };
  }
  if (check.http !== undefined && check.command === undefined) {
    return { ...check, type: 'HTTP' };
  }
  return check;
}

/**
 * Validates and launches the tasks of one LAUNCH in order. Each valid task takes its resources
 * from `scope.available`, so a later task that reuses a port, CPU share or task id fails.
 * Invalid tasks get TASK_ERROR with REASON_TASK_INVALID; valid ones go to the agent as
 * TASK_STAGING, which is never sent to the scheduler as an update.
 */
export function launchTasks(
  ctx: MasterContext,
  scope: Omit<LaunchScope, 'isNewExecutor' | 'existingExecutor'>,
  tasks: readonly TaskInfo[],
): void {
  const { framework, agent } = scope;
  const fullScope: LaunchScope = {
    ...scope,
    isNewExecutor: (executorId) => !agent.executors.has(taskKey(framework.id, executorId)),
    existingExecutor: (executorId) => agent.executors.get(taskKey(framework.id, executorId))?.info,
  };

  for (const info of tasks) {
    const error = validateTask(info, fullScope);
    if (error !== undefined) {
      const status = masterStatus({
        taskId: info.task_id.value,
        agentId: info.agent_id.value,
        state: 'TASK_ERROR',
        reason: 'REASON_TASK_INVALID',
        message: error,
      });
      forwardUpdate(ctx, framework, status);
      continue;
    }
    addTask(ctx, fullScope, info);
  }
}

function addTask(ctx: MasterContext, scope: LaunchScope, info: TaskInfo): void {
  const { framework, agent } = scope;
  const executor = info.executor;
  const newExecutor = executor !== undefined && scope.isNewExecutor(executor.executor_id.value);

  const consumed = ResourceBag.from(info.resources);
  // NOTE: a new executor's resources are charged to the task that starts it and come back
  // with that task, while Mesos frees them only when the executor exits.
  if (newExecutor) {
    consumed.add(ResourceBag.from(executor.resources));
    agent.executors.set(taskKey(framework.id, executor.executor_id.value), {
      info: executor,
      taskCount: 0,
    });
  }
  if (executor !== undefined) {
    agent.executors.get(taskKey(framework.id, executor.executor_id.value))!.taskCount += 1;
  }
  scope.available.subtract(consumed);

  const task: Task = {
    key: taskKey(framework.id, info.task_id.value),
    frameworkId: framework.id,
    taskId: info.task_id.value,
    agentId: agent.id,
    info,
    resources: consumed,
    role: scope.role,
    ...(executor !== undefined ? { executorId: executor.executor_id.value } : {}),
    state: 'TASK_STAGING',
    resourcesRecovered: false,
  };
  framework.tasks.set(task.taskId, task);
  agent.tasks.set(task.key, task);

  ctx.logger.debug(
    { frameworkId: framework.id, taskId: task.taskId, agentId: agent.id },
    'launching task',
  );
  ctx.runtimes.get(agent.id)?.runTask(task, framework);
}
