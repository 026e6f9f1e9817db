import type { Agent, Framework, OfferRecord, Task } from '../master/model.js';
import type { Resource, TaskState } from '../mesos-types.js';

export interface FrameworkSummary {
  id: string;
  name: string;
  user: string;
  principal?: string;
  roles: string[];
  suppressedRoles: string[];
  capabilities: string[];
  failoverTimeoutSeconds: number;
  connected: boolean;
  active: boolean;
  streamId?: string;
  taskCount: number;
  offerCount: number;
}

export interface TaskSummary {
  frameworkId: string;
  taskId: string;
  agentId: string;
  name: string;
  /** The latest state the master has recorded. */
  state: TaskState;
  /** The state of the latest update sent to the scheduler, if any. */
  statusUpdateState?: TaskState;
  role: string;
  resources: Resource[];
  /** Addresses from the latest `container_status.network_infos`. */
  ipAddresses: string[];
}

export interface AgentSummary {
  id: string;
  hostname: string;
  ip: string;
  dockerNetworks: string[];
  total: Resource[];
  /** Resources neither offered nor used by tasks. */
  available: Resource[];
  offerCount: number;
  taskCount: number;
}

export interface OfferSummary {
  id: string;
  frameworkId: string;
  agentId: string;
  role: string;
  resources: Resource[];
}

export function summarizeFramework(framework: Framework): FrameworkSummary {
  const info = framework.info;
  return {
    id: framework.id,
    name: info.name,
    user: info.user,
    ...(info.principal !== undefined ? { principal: info.principal } : {}),
    roles: [...framework.roles],
    suppressedRoles: [...framework.suppressedRoles],
    capabilities: (info.capabilities ?? []).map((capability) => String(capability.type)),
    failoverTimeoutSeconds: info.failover_timeout ?? 0,
    connected: framework.connected,
    active: framework.active,
    ...(framework.stream !== undefined ? { streamId: framework.stream.streamId } : {}),
    taskCount: framework.tasks.size,
    offerCount: framework.offers.size,
  };
}

export function summarizeTask(task: Task): TaskSummary {
  const ipAddresses = (task.containerStatus?.network_infos ?? []).flatMap((info) =>
    (info.ip_addresses ?? []).flatMap((address) =>
      address.ip_address === undefined ? [] : [address.ip_address],
    ),
  );
  return {
    frameworkId: task.frameworkId,
    taskId: task.taskId,
    agentId: task.agentId,
    name: task.info.name,
    state: task.state,
    ...(task.statusUpdateState !== undefined ? { statusUpdateState: task.statusUpdateState } : {}),
    role: task.role,
    resources: task.resources.toResources(),
    ipAddresses,
  };
}

export function summarizeAgent(agent: Agent): AgentSummary {
  return {
    id: agent.id,
    hostname: agent.spec.hostname,
    ip: agent.spec.ip,
    dockerNetworks: [...agent.spec.dockerNetworks],
    total: agent.total.toResources(),
    available: agent.available.toResources(),
    offerCount: agent.offers.size,
    taskCount: agent.tasks.size,
  };
}

export function summarizeOffer(offer: OfferRecord): OfferSummary {
  return {
    id: offer.id,
    frameworkId: offer.frameworkId,
    agentId: offer.agentId,
    role: offer.role,
    resources: offer.resources.toResources(),
  };
}
