import { SimulatedAgent } from '../agent/simulated-agent.js';
import type { Attribute, Resource, TaskReason, TaskState } from '../mesos-types.js';
import type { AgentSpec } from '../options.js';
import { ResourceBag } from '../resources/resource-bag.js';
import type { MasterContext } from './context.js';
import type { Agent, Framework, Task } from './model.js';
import { rescindOffer } from './offers.js';
import { removeTask, updateTaskState } from './task-state.js';
import { forwardUpdate, masterStatus, sendEvent, timeInfoNow } from './updates.js';

/** Host numbers of an agent's docker0 start after the gateway, 172.17.0.1. */
const FIRST_BRIDGE_HOST = 2;

/** Registers a simulated agent and runs an allocation soon, as Mesos does on agent add. */
export function addAgent(ctx: MasterContext, spec: AgentSpec): Agent {
  const total = ResourceBag.from(agentResources(spec));
  const agent: Agent = {
    id: ctx.ids.agentId(),
    spec,
    total,
    attributes: agentAttributes(spec),
    available: total.clone(),
    offers: new Set(),
    tasks: new Map(),
    executors: new Map(),
    nextBridgeHost: FIRST_BRIDGE_HOST,
    registeredAt: Date.now(),
  };

  ctx.agents.set(agent.id, agent);
  ctx.runtimes.set(agent.id, new SimulatedAgent(ctx, agent));
  ctx.logger.info({ agentId: agent.id, hostname: spec.hostname }, 'agent registered');
  ctx.allocator.requestAllocation();
  return agent;
}

/** Returns the agent's resources, all unreserved (role `*`), as its `--resources` would give them. */
export function agentResources(spec: AgentSpec): Resource[] {
  const resources: Resource[] = [
    { name: 'cpus', type: 'SCALAR', scalar: { value: spec.cpus } },
    { name: 'mem', type: 'SCALAR', scalar: { value: spec.memMb } },
    { name: 'disk', type: 'SCALAR', scalar: { value: spec.diskMb } },
    {
      name: 'ports',
      type: 'RANGES',
      ranges: {
        range: spec.ports.map((range) => ({ begin: String(range.begin), end: String(range.end) })),
      },
    },
  ];
  if (spec.gpus !== undefined && spec.gpus > 0) {
    resources.push({ name: 'gpus', type: 'SCALAR', scalar: { value: spec.gpus } });
  }
  return resources;
}

function agentAttributes(spec: AgentSpec): Attribute[] {
  return Object.entries(spec.attributes ?? {}).map(([name, value]) =>
    typeof value === 'number'
      ? { name, type: 'SCALAR', scalar: { value } }
      : { name, type: 'TEXT', text: { value } },
  );
}

/** The way an agent leaves: lost (health checks time out) or marked gone by an operator. */
export type AgentRemoval = 'unreachable' | 'gone';

/**
 * Removes an agent as `Master::__removeSlave` does. Its tasks become TASK_UNREACHABLE (lost)
 * or TASK_GONE_BY_OPERATOR (gone) for PARTITION_AWARE frameworks and TASK_LOST otherwise.
 * Its offers are rescinded, and every connected framework gets FAILURE with the agent id.
 */
export function removeAgent(ctx: MasterContext, agent: Agent, removal: AgentRemoval): void {
  const unreachableTime = removal === 'unreachable' ? timeInfoNow() : undefined;
  const message =
    removal === 'unreachable' ? 'health check timed out' : 'Agent has been marked gone';

  for (const task of [...agent.tasks.values()]) {
    const framework = ctx.frameworks.get(task.frameworkId);
    if (framework !== undefined) {
      transitionLostTask(ctx, framework, task, { removal, message, unreachableTime });
    }
  }

  for (const offerId of [...agent.offers]) {
    const offer = ctx.offers.get(offerId);
    if (offer !== undefined) {
      rescindOffer(ctx, offer);
    }
  }

  ctx.agents.delete(agent.id);
  ctx.runtimes.get(agent.id)?.stop();
  ctx.runtimes.delete(agent.id);
  if (unreachableTime !== undefined) {
    ctx.unreachableAgents.set(agent.id, unreachableTime);
  } else {
    ctx.goneAgents.add(agent.id);
  }

  for (const framework of ctx.frameworks.values()) {
    sendEvent(framework, { type: 'FAILURE', failure: { agent_id: { value: agent.id } } });
  }
  ctx.logger.info({ agentId: agent.id, removal }, 'agent removed');
}

interface LostTaskContext {
  removal: AgentRemoval;
  message: string;
  unreachableTime: ReturnType<typeof timeInfoNow> | undefined;
}

function transitionLostTask(
  ctx: MasterContext,
  framework: Framework,
  task: Task,
  lost: LostTaskContext,
): void {
  let state: TaskState = 'TASK_UNREACHABLE';
  let reason: TaskReason = 'REASON_AGENT_REMOVED';
  // Mesos keeps the id of a task lost this way blocked, except for a gone agent's tasks
  // reported as TASK_GONE_BY_OPERATOR.
  let unreachable = true;

  if (!framework.capabilities.partitionAware) {
    state = 'TASK_LOST';
  } else if (lost.removal === 'gone') {
    state = 'TASK_GONE_BY_OPERATOR';
    reason = 'REASON_AGENT_REMOVED_BY_OPERATOR';
    unreachable = false;
  }

  const status = masterStatus({
    taskId: task.taskId,
    agentId: task.agentId,
    state,
    reason,
    message: lost.message,
    ...(task.executorId !== undefined ? { executorId: task.executorId } : {}),
    ...(lost.unreachableTime !== undefined ? { unreachableTime: lost.unreachableTime } : {}),
  });

  updateTaskState(ctx, task, status);
  task.unreachableTime = lost.unreachableTime;
  removeTask(ctx, task, unreachable);
  forwardUpdate(ctx, framework, status);
}
