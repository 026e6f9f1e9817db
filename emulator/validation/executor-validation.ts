import type { ExecutorInfo } from '../mesos-types.js';
import { validateCommandInfo, validateContainerInfo, validateId } from './common-validation.js';
import type { LaunchScope } from './launch-scope.js';
import { validateResourceSet } from './resource-set-validation.js';

/**
 * Validates a task's own ExecutorInfo as the master does for LAUNCH (`validateExecutor` in
 * `src/master/validation.cpp`). The master has already filled in `framework_id` when unset.
 */
export function validateExecutor(executor: ExecutorInfo, scope: LaunchScope): string | undefined {
  const checks: Array<() => string | undefined> = [
    () => validateExecutorType(executor),
    () => validateId(executor.executor_id.value),
    () => validateGracePeriod(executor),
    () =>
      prefixed(
        "Executor's `CommandInfo` is invalid: ",
        executor.command && validateCommandInfo(executor.command),
      ),
    () =>
      prefixed(
        "Executor's `ContainerInfo` is invalid: ",
        executor.container && validateContainerInfo(executor.container),
      ),
    () => validateFrameworkId(executor, scope),
    () =>
      validateResourceSet(executor.resources ?? [], {
        invalid: 'Executor uses invalid resources: ',
        roles: 'Invalid executor resources: ',
        mixes: 'Executor mixes revocable and non-revocable resources: ',
      }),
    () => validateCompatibleExecutor(executor, scope),
    () =>
      executor.type !== undefined && executor.type !== 'CUSTOM'
        ? "'ExecutorInfo.type' must be 'CUSTOM'"
        : undefined,
    () => (executor.command === undefined ? "'ExecutorInfo.command' must be set" : undefined),
    () => validateExecutorResourceKinds(executor),
  ];

  for (const check of checks) {
    const error = check();
    if (error !== undefined) {
      return error;
    }
  }
  return undefined;
}

function prefixed(prefix: string, error: string | undefined): string | undefined {
  return error === undefined ? undefined : prefix + error;
}

function validateExecutorType(executor: ExecutorInfo): string | undefined {
  if (executor.type === 'DEFAULT') {
    if (executor.command !== undefined) {
      return "'ExecutorInfo.command' must not be set for 'DEFAULT' executor";
    }
    if (executor.container !== undefined && executor.container.type !== 'MESOS') {
      return "'ExecutorInfo.container.type' must be 'MESOS' for 'DEFAULT' executor";
    }
    if (executor.container?.mesos?.image !== undefined) {
      return "'ExecutorInfo.container.mesos.image' must not be set for 'DEFAULT' executor";
    }
  }
  if (executor.type === 'CUSTOM' && executor.command === undefined) {
    return "'ExecutorInfo.command' must be set for 'CUSTOM' executor";
  }
  return undefined;
}

function validateGracePeriod(executor: ExecutorInfo): string | undefined {
  const period = executor.shutdown_grace_period;
  if (period !== undefined && BigInt(period.nanoseconds) < 0n) {
    return "ExecutorInfo's 'shutdown_grace_period' must be non-negative";
  }
  return undefined;
}

function validateFrameworkId(executor: ExecutorInfo, scope: LaunchScope): string | undefined {
  if (executor.framework_id === undefined) {
    return "'ExecutorInfo.framework_id' must be set";
  }
  if (executor.framework_id.value !== scope.framework.id) {
    return `ExecutorInfo has an invalid FrameworkID (Actual: ${executor.framework_id.value} vs Expected: ${scope.framework.id})`;
  }
  return undefined;
}

/** Checks that a task joining a running executor brings an identical ExecutorInfo. */
function validateCompatibleExecutor(
  executor: ExecutorInfo,
  scope: LaunchScope,
): string | undefined {
  const existing = scope.existingExecutor(executor.executor_id.value);
  if (existing === undefined || JSON.stringify(existing) === JSON.stringify(executor)) {
    return undefined;
  }
  const rule = '------------------------------------------------------------';
  return [
    'ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID.',
    rule,
    'Existing ExecutorInfo:',
    JSON.stringify(existing),
    rule,
    'ExecutorInfo:',
    JSON.stringify(executor),
    rule,
    '',
  ].join('\n');
}

function validateExecutorResourceKinds(executor: ExecutorInfo): string | undefined {
  if ((executor.resources ?? []).some((resource) => resource.shared !== undefined)) {
    return 'Executor resources should not contain any shared resources';
  }
  if (executor.container?.linux_info?.share_cgroups === true) {
    return "The 'share_cgroups' field cannot be set to 'true' on executor containers";
  }
  return undefined;
}
