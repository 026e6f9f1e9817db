import { taskIdFor } from '../../shared/launch/ids.js';
import type { AssignedPort, LaunchRequest, NetworkMode } from '../../shared/launch/types.js';
import type {
  CommandInfo,
  ContainerInfo,
  DockerInfo,
  Environment_Variable,
  Labels,
  Resource,
  TaskInfo,
} from '../../shared/mesos/types.js';
import type { PendingLaunch } from './types.js';

const DOCKER_NETWORKS = {
  host: 'HOST',
  bridge: 'BRIDGE',
  none: 'NONE',
  user: 'USER',
} as const satisfies Record<NetworkMode, string>;

/**
 * Builds the TaskInfo of one launch attempt: a command task in a Docker container. The Docker
 * network mode is always set, since Mesos would otherwise default to HOST. Port mappings are
 * set only for BRIDGE and USER, and no `hostname` is set, because the Mesos Docker
 * containerizer rejects both with HOST networking (`src/docker/docker.cpp`).
 */
export function buildTaskInfo(
  launch: PendingLaunch,
  agentId: string,
  resources: Resource[],
  ports: AssignedPort[],
): TaskInfo {
  const { request } = launch;
  const taskInfo: TaskInfo = {
    name: request.name ?? defaultTaskName(request.image, launch.frameworkName),
    task_id: { value: taskIdFor(launch.launchId, launch.attempt) },
    agent_id: { value: agentId },
    resources,
    command: buildCommand(request, ports),
    container: buildContainer(request, ports),
  };

  const labels = buildLabels(request.labels);
  if (labels) {
    taskInfo.labels = labels;
  }

  return taskInfo;
}

/**
 * Derives a task name from the image's repository name without registry, path, tag or digest,
 * e.g. `registry.example.com/library/centos:6.6` gives `centos`, prefixed with the framework
 * name when one is given (`mesos-launch-centos`).
 */
export function defaultTaskName(image: string, frameworkName?: string): string {
  const digestAt = image.indexOf('@');
  const reference = digestAt >= 0 ? image.slice(0, digestAt) : image;
  const lastSegment = reference.slice(reference.lastIndexOf('/') + 1);
  const tagAt = lastSegment.indexOf(':');
  const repository = (tagAt >= 0 ? lastSegment.slice(0, tagAt) : lastSegment) || 'task';
  return frameworkName ? `${frameworkName}-${repository}` : repository;
}

/**
 * Builds the CommandInfo. A command runs with `/bin/sh -c` (`shell: true`). Without one,
 * `shell: false` keeps the image's entrypoint, and `arguments` (when given) replace its CMD.
 */
function buildCommand(request: LaunchRequest, ports: readonly AssignedPort[]): CommandInfo {
  let command: CommandInfo;
  if (request.command !== undefined) {
    command = { shell: true, value: request.command };
  } else if (request.args && request.args.length > 0) {
    command = { shell: false, arguments: [...request.args] };
  } else {
    command = { shell: false };
  }

  const variables = buildVariables(request, ports);
  if (variables.length > 0) {
    command.environment = { variables };
  }

  return command;
}

/**
 * Lists the request's environment plus `PORT0..n` (the host ports in request order) and, for
 * BRIDGE and USER, `PORT_<container_port>` (its host port). These port variables replace any
 * request variable of the same name, so they always carry the host ports the task was given.
 */
export function buildVariables(
  request: LaunchRequest,
  ports: readonly AssignedPort[],
): Environment_Variable[] {
  const portVariables = buildPortVariables(request.network, ports);
  const variables: Environment_Variable[] = [];
  for (const name of Object.keys(request.env)) {
    if (!hasVariable(portVariables, name)) {
      variables.push({ name, type: 'VALUE', value: request.env[name] as string });
    }
  }

  for (const variable of portVariables) {
    variables.push(variable);
  }

  return variables;
}

function buildPortVariables(
  network: NetworkMode,
  ports: readonly AssignedPort[],
): Environment_Variable[] {
  const variables: Environment_Variable[] = ports.map((port, index) => ({
    name: `PORT${index}`,
    type: 'VALUE',
    value: String(port.host_port),
  }));

  if (!hasPortMappings(network)) {
    return variables;
  }

  for (const port of ports) {
    const name = `PORT_${port.container_port ?? port.host_port}`;
    if (!hasVariable(variables, name)) {
      variables.push({ name, type: 'VALUE', value: String(port.host_port) });
    }
  }

  return variables;
}

function hasVariable(variables: readonly Environment_Variable[], name: string): boolean {
  return variables.some((variable) => variable.name === name);
}

function buildContainer(request: LaunchRequest, ports: readonly AssignedPort[]): ContainerInfo {
  const docker: DockerInfo = { image: request.image, network: DOCKER_NETWORKS[request.network] };
  if (hasPortMappings(request.network) && ports.length > 0) {
    docker.port_mappings = ports.map((port) => ({
      host_port: port.host_port,
      container_port: port.container_port ?? port.host_port,
      protocol: port.protocol,
    }));
  }

  docker.force_pull_image = request.force_pull_image;
  const container: ContainerInfo = { type: 'DOCKER', docker };
  if (request.network === 'user') {
    const name = request.network_name;
    container.network_infos = [name !== undefined ? { name } : {}];
  }

  return container;
}

function hasPortMappings(network: NetworkMode): boolean {
  return network === 'bridge' || network === 'user';
}

function buildLabels(labels: Record<string, string>): Labels | undefined {
  const keys = Object.keys(labels);
  if (keys.length === 0) {
    return undefined;
  }

  return { labels: keys.map((key) => ({ key, value: labels[key] as string })) };
}
