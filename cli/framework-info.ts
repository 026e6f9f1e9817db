import type { FrameworkInfo } from '../shared/mesos/types.js';
import type { DirectTarget } from './options.js';

/** FrameworkInfo.name of the frameworks that direct mode registers. */
export const CLI_FRAMEWORK_NAME = 'mesos-launch-cli';

/**
 * Builds the FrameworkInfo for one direct-mode run. Every run registers a new framework. Its
 * `failover_timeout` is what keeps the task alive after the command exits: Mesos treats the
 * closed subscription as a scheduler failover and removes the framework, killing its tasks, only
 * when that many seconds pass without a re-subscription. The capabilities are the worker's:
 * TASK_KILLING_STATE and PARTITION_AWARE, so both report task states the same way.
 */
export function buildFrameworkInfo(target: DirectTarget): FrameworkInfo {
  const frameworkInfo: FrameworkInfo = {
    user: target.user,
    name: CLI_FRAMEWORK_NAME,
    failover_timeout: target.failoverTimeoutSeconds,
    checkpoint: true,
    role: target.role,
    capabilities: [{ type: 'TASK_KILLING_STATE' }, { type: 'PARTITION_AWARE' }],
  };

  if (target.credentials) {
    frameworkInfo.principal = target.credentials.principal;
  }

  return frameworkInfo;
}
