import type { Resource, TaskInfo } from '../mesos-types.js';
import { ResourceBag } from '../resources/resource-bag.js';
import { toMilli } from '../resources/scalar.js';
import {
  validateCheckInfo,
  validateCommandInfo,
  validateContainerInfo,
  validateHealthCheck,
  validateId,
} from './common-validation.js';
import { validateExecutor } from './executor-validation.js';
import type { LaunchScope } from './launch-scope.js';
import { validateMasterResources } from './resource-validation.js';
import { validateResourceSet, validateRevocableMix } from './resource-set-validation.js';

type Validator = (task: TaskInfo, scope: LaunchScope) => string | undefined;

/**
 * Validates one task of a LAUNCH in the order of `validation::task::validate`, after the
 * offer's allocation role has been injected into its resources. Returns the message the
 * master puts into TASK_ERROR, or undefined.
 */
export function validateTask(task: TaskInfo, scope: LaunchScope): string | undefined {
  const validators: Validator[] = [
    (t) => validateId(t.task_id.value),
    validateUniqueTaskId,
    validateAgentId,
    (t) =>
      validateNonNegativeDuration(
        t.kill_policy?.grace_period,
        "Task's 'kill_policy.grace_period' must be non-negative",
      ),
    (t) =>
      validateNonNegativeDuration(
        t.max_completion_time,
        "Task's `max_completion_time` must be non-negative",
      ),
    (t) => prefixed('Task uses invalid check: ', t.check && validateCheckInfo(t.check)),
    (t) =>
      prefixed(
        'Task uses invalid health check: ',
        t.health_check && validateHealthCheck(t.health_check),
      ),
    (t) => validateTaskResources(t.resources ?? []),
    (t) =>
      prefixed("Task's `CommandInfo` is invalid: ", t.command && validateCommandInfo(t.command)),
    (t) =>
      prefixed(
        "Task's `ContainerInfo` is invalid: ",
        t.container && validateContainerInfo(t.container),
      ),
    validateResourceLimits,
    validateExecutorAndTotal,
    validateShareCgroups,
  ];

  for (const validator of validators) {
    const error = validator(task, scope);
    if (error !== undefined) {
      return error;
    }
  }
  return undefined;
}

function prefixed(prefix: string, error: string | undefined): string | undefined {
  return error === undefined ? undefined : prefix + error;
}

function validateUniqueTaskId(task: TaskInfo, scope: LaunchScope): string | undefined {
  const taskId = task.task_id.value;
  if (scope.framework.tasks.has(taskId)) {
    return `Task has duplicate ID: ${taskId}`;
  }
  if (scope.framework.unreachableTasks.has(taskId)) {
    return `Task reuses the ID of an unreachable task: ${taskId}`;
  }
  return undefined;
}

function validateAgentId(task: TaskInfo, scope: LaunchScope): string | undefined {
  if (task.agent_id.value !== scope.agent.id) {
    return `Task uses invalid agent ${task.agent_id.value} while agent ${scope.agent.id} is expected`;
  }
  return undefined;
}

function validateNonNegativeDuration(
  duration: { nanoseconds: string } | undefined,
  message: string,
): string | undefined {
  return duration !== undefined && BigInt(duration.nanoseconds) < 0n ? message : undefined;
}

function validateTaskResources(resources: readonly Resource[]): string | undefined {
  if (resources.length === 0) {
    return 'Task uses no resources';
  }
  return validateResourceSet(resources, {
    invalid: 'Task uses invalid resources: ',
    roles: 'Invalid task resources: ',
    mixes: 'Task mixes revocable and non-revocable resources: ',
  });
}

/** Limits need the agent's TASK_RESOURCE_LIMITS capability, which every simulated agent has. */
function validateResourceLimits(task: TaskInfo): string | undefined {
  const limits = task.limits ?? {};
  const names = Object.keys(limits);
  if (names.length === 0) {
    return undefined;
  }
  if (names.some((name) => name !== 'cpus' && name !== 'mem')) {
    return "Only cpus and mem may be included in a task's resource limits";
  }

  const requests = ResourceBag.from(task.resources);
  const cpuLimit = limits.cpus?.value;
  if (cpuLimit !== undefined) {
    if (!requests.names().has('cpus')) {
      return 'When a CPU limit is specified, a CPU request must also be specified';
    }
    if (toMilli(cpuLimit) < requests.scalarMilli('cpus')) {
      return 'The cpu limit must be greater than or equal to the cpu request';
    }
  }

  const memLimit = limits.mem?.value;
  if (memLimit !== undefined) {
    if (!requests.names().has('mem')) {
      return 'When a memory limit is specified, a memory request must also be specified';
    }
    if (Number.isFinite(memLimit) && toMilli(memLimit) < requests.scalarMilli('mem')) {
      return 'The memory limit must be greater than or equal to the memory request';
    }
  }
  return undefined;
}

function validateExecutorAndTotal(task: TaskInfo, scope: LaunchScope): string | undefined {
  if ((task.executor !== undefined) === (task.command !== undefined)) {
    return 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present';
  }

  const taskResources = task.resources ?? [];
  let total = taskResources;
  if (task.executor !== undefined) {
    const error = validateExecutor(task.executor, scope);
    if (error !== undefined) {
      return error;
    }
    if (scope.isNewExecutor(task.executor.executor_id.value)) {
      total = [...taskResources, ...(task.executor.resources ?? [])];
    }
  }

  const combinedError = validateCombinedResources(task);
  if (combinedError !== undefined) {
    return combinedError;
  }
  return validateContainment(total, scope);
}

function validateCombinedResources(task: TaskInfo): string | undefined {
  const executorResources = task.executor?.resources ?? [];
  const combined = [...(task.resources ?? []), ...executorResources];

  const error = validateMasterResources(combined);
  if (error !== undefined) {
    return `Task and its executor use invalid resources: ${error}`;
  }

  if (
    task.executor !== undefined &&
    overlapsSetsOrRanges(task.resources ?? [], executorResources)
  ) {
    const taskBag = ResourceBag.from(task.resources);
    const executorBag = ResourceBag.from(executorResources);
    return `There are overlapping resources in the task resources ${taskBag.format()} and executor resources ${executorBag.format()}`;
  }

  const mixError = validateRevocableMix(combined);
  return mixError === undefined
    ? undefined
    : `Task and its executor mix revocable and non-revocable resources: ${mixError}`;
}

/** Ranges or set items claimed by both the task and its executor. */
function overlapsSetsOrRanges(first: readonly Resource[], second: readonly Resource[]): boolean {
  const separate = ResourceBag.from(first);
  const other = ResourceBag.from(second);
  for (const name of other.names()) {
    const ranges = separate.ranges(name);
    const otherRanges = other.ranges(name);
    if (ranges !== undefined && otherRanges !== undefined) {
      const overlap = otherRanges.some((b) =>
        ranges.some((a) => a.begin <= b.end && b.begin <= a.end),
      );
      if (overlap) {
        return true;
      }
    }
  }
  return false;
}

function validateContainment(total: readonly Resource[], scope: LaunchScope): string | undefined {
  const required = ResourceBag.from(total);
  const roles = new Set(total.map((resource) => resource.allocation_info?.role));
  const sameRole = roles.size <= 1 && (roles.size === 0 || roles.has(scope.role));

  if (sameRole && scope.available.contains(required)) {
    return undefined;
  }
  const requiredRole = [...roles][0] ?? scope.role;
  return `Total resources ${required.format(requiredRole)} required by task and its executor is more than available ${scope.available.format(scope.role)}`;
}

function validateShareCgroups(task: TaskInfo): string | undefined {
  if (task.container?.linux_info?.share_cgroups === false) {
    return "Only tasks in a task group may have 'share_cgroups' set to 'false'";
  }
  return undefined;
}
