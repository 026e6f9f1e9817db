import type { DockerPortMapping, TaskInfo } from '../mesos-types.js';
import { ResourceBag } from '../resources/resource-bag.js';
import { containsValue } from '../resources/ranges.js';

/** The parts of `docker run` the simulation needs. */
export interface DockerRunOptions {
  /** The `--net` value: `host`, `bridge`, `none` or a user-defined network name. */
  network: string;
  hostname?: string;
  portMappings: DockerPortMapping[];
}

export type DockerRunResult =
  { ok: true; options: DockerRunOptions } | { ok: false; error: string };

const NETWORK_FLAGS: Record<string, string> = { HOST: 'host', BRIDGE: 'bridge', NONE: 'none' };

/**
 * Builds the run options as the Docker executor does (`Docker::RunOptions::create` in
 * `src/docker/docker.cpp`), returning its error text on failure. The executor reports such an
 * error as TASK_FAILED "Failed to create docker run options: <error>" after TASK_STARTING.
 */
export function createDockerRunOptions(task: TaskInfo): DockerRunResult {
  const docker = task.container?.docker;
  if (docker === undefined) {
    return { ok: false, error: 'No docker info found in container info' };
  }

  const volumeError = checkVolumes(task);
  if (volumeError !== undefined) {
    return { ok: false, error: volumeError };
  }

  const network = resolveNetwork(task);
  if (!network.ok) {
    return network;
  }

  const hostname = task.container?.hostname;
  if (hostname !== undefined && network.name === 'host') {
    return { ok: false, error: 'Unable to set hostname with host network mode' };
  }

  const portError = checkPortMappings(task, network.name);
  if (portError !== undefined) {
    return { ok: false, error: portError };
  }

  const commandError = checkCommand(task);
  if (commandError !== undefined) {
    return { ok: false, error: commandError };
  }

  return {
    ok: true,
    options: {
      network: overriddenNetwork(task) ?? network.name,
      ...(hostname !== undefined ? { hostname } : {}),
      portMappings: docker.port_mappings ?? [],
    },
  };
}

type NetworkResult = { ok: true; name: string } | { ok: false; error: string };

/** DockerInfo.network defaults to HOST on Linux; USER takes the one named network. */
function resolveNetwork(task: TaskInfo): NetworkResult {
  const mode = task.container?.docker?.network ?? 'HOST';
  const flag = NETWORK_FLAGS[mode];
  if (flag !== undefined) {
    return { ok: true, name: flag };
  }
  if (mode !== 'USER') {
    return { ok: false, error: `Unsupported Network mode: ${mode}` };
  }

  const networkInfos = task.container?.network_infos ?? [];
  if (networkInfos.length === 0) {
    return { ok: false, error: 'No network info found in container info' };
  }
  if (networkInfos.length > 1) {
    return { ok: false, error: 'Only a single network can be defined in Docker run' };
  }
  const name = networkInfos[0]!.name;
  if (name === undefined) {
    return { ok: false, error: 'No network name found in network info' };
  }
  return { ok: true, name };
}

/** Port mappings need bridge or a user network, and each host port in the task's `ports`. */
function checkPortMappings(task: TaskInfo, network: string): string | undefined {
  const mappings = task.container?.docker?.port_mappings ?? [];
  if (mappings.length === 0) {
    return undefined;
  }
  if (network === 'host' || network === 'none') {
    return 'Port mappings are only supported for bridge and user-defined networks';
  }

  const resources = [...(task.resources ?? []), ...(task.executor?.resources ?? [])];
  if (resources.length === 0) {
    return 'Port mappings require resources';
  }
  const ports = ResourceBag.from(resources).ranges('ports');
  if (ports === undefined) {
    return 'Port mappings require port resources';
  }

  for (const mapping of mappings) {
    if (!containsValue(ports, BigInt(mapping.host_port))) {
      return `Port [${mapping.host_port}] not included in resources`;
    }
  }
  return undefined;
}

/** Returns the first `net` or `network` parameter, which replaces `--net` after the port check. */
function overriddenNetwork(task: TaskInfo): string | undefined {
  const parameter = (task.container?.docker?.parameters ?? []).find(
    (candidate) => candidate.key === 'net' || candidate.key === 'network',
  );
  return parameter?.value;
}

function checkVolumes(task: TaskInfo): string | undefined {
  let driver: string | undefined;
  for (const volume of task.container?.volumes ?? []) {
    if (volume.host_path !== undefined) {
      if (!volume.host_path.startsWith('/') && !volume.container_path.startsWith('/')) {
        return `Both host_path '${volume.host_path}' and container_path '${volume.container_path}' of a volume are relative`;
      }
      continue;
    }
    if (volume.source === undefined) {
      return 'Host path or volume source is required';
    }
    const volumeDriver = volume.source.docker_volume?.driver;
    if (volume.source.type === 'DOCKER_VOLUME' && volumeDriver !== undefined) {
      if (driver !== undefined && driver !== volumeDriver) {
        return 'Only one volume driver is supported';
      }
      driver = volumeDriver;
    }
  }

  const legacyDriver = task.container?.docker?.volume_driver;
  if (legacyDriver !== undefined && driver !== undefined && driver !== legacyDriver) {
    return 'Only one volume driver per task is supported';
  }
  return undefined;
}

/** With `shell` true (the default) Docker runs `/bin/sh -c <value>`, so a value is required. */
function checkCommand(task: TaskInfo): string | undefined {
  const command = task.command;
  if (command !== undefined && command.shell !== false && command.value === undefined) {
    return 'Shell specified but no command value provided';
  }
  return undefined;
}
