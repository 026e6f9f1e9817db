import type { Agent, Framework } from '../master/model.js';
import type { ExecutorInfo } from '../mesos-types.js';
import type { ResourceBag } from '../resources/resource-bag.js';

/** The context a task is checked against: the offers' agent and role and what is left of them. */
export interface LaunchScope {
  framework: Framework;
  agent: Agent;
  role: string;
  available: ResourceBag;
  /** Whether the task's executor is new on the agent, so its resources count too. */
  isNewExecutor(executorId: string): boolean;
  /** The ExecutorInfo of an executor of this framework already on the agent. */
  existingExecutor(executorId: string): ExecutorInfo | undefined;
}
