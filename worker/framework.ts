import type { Redis } from 'ioredis';
import type { Config } from '../shared/config.js';
import type { FrameworkInfo } from '../shared/mesos/types.js';

/**
 * Builds the FrameworkInfo this worker subscribes with. Checkpointing lets tasks survive an agent
 * restart. TASK_KILLING_STATE makes the agent report TASK_KILLING during the grace period, and
 * PARTITION_AWARE makes the master report TASK_UNREACHABLE, TASK_GONE, TASK_UNKNOWN and
 * TASK_DROPPED where it would otherwise report TASK_LOST.
 */
export function buildFrameworkInfo(config: Config, frameworkId: string | undefined): FrameworkInfo {
  const info: FrameworkInfo = {
    user: config.framework.user,
    name: config.framework.name,
    failover_timeout: config.framework.failoverTimeoutSeconds,
    checkpoint: true,
    role: config.mesos.role,
    capabilities: [{ type: 'TASK_KILLING_STATE' }, { type: 'PARTITION_AWARE' }],
  };

  if (config.mesos.credentials) {
    info.principal = config.mesos.credentials.principal;
  }

  if (frameworkId) {
    info.id = { value: frameworkId };
  }

  return info;
}

/** The framework id that Mesos gave this deployment, kept in Redis so every worker reuses it. */
export class FrameworkIdStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async load(): Promise<string | undefined> {
    return (await this.redis.get(this.key)) ?? undefined;
  }

  async save(frameworkId: string): Promise<void> {
    await this.redis.set(this.key, frameworkId);
  }

  async clear(): Promise<void> {
    await this.redis.del(this.key);
  }
}
