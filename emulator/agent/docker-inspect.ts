import type { TaskExecutor } from './task-executor.js';

/**
 * Builds a short `docker inspect` document for TASK_RUNNING's `data`, which the Docker executor fills
 * with the raw inspect output. Only the fields a scheduler might read are present.
 */
export function dockerInspectOutput(
  executor: TaskExecutor,
  networkName: string,
  ip: string | undefined,
): Uint8Array {
  const docker = executor.task.info.container?.docker;
  // Docker ids are 64 hex digits; two copies of the container UUID's digits stand in for one.
  const hex = executor.containerId.replaceAll('-', '');
  const id = hex + hex;
  const document = [
    {
      Id: id,
      Name: `/mesos-${executor.containerId}`,
      State: {
        Status: 'running',
        Running: true,
        Pid: 10_000 + (parseInt(id.slice(0, 4), 16) % 50_000),
      },
      Config: {
        Image: docker?.image ?? '',
        Hostname: executor.task.info.container?.hostname ?? id.slice(0, 12),
      },
      HostConfig: { NetworkMode: networkName },
      NetworkSettings: {
        Ports: portBindings(docker?.port_mappings ?? []),
        Networks: { [networkName]: { IPAddress: ip ?? '' } },
      },
    },
  ];
  return Buffer.from(JSON.stringify(document), 'utf8');
}

function portBindings(
  mappings: ReadonlyArray<{ host_port: number; container_port: number; protocol?: string }>,
): Record<string, Array<{ HostIp: string; HostPort: string }>> {
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const mapping of mappings) {
    const key = `${mapping.container_port}/${(mapping.protocol ?? 'tcp').toLowerCase()}`;
    bindings[key] = [
      ...(bindings[key] ?? []),
      { HostIp: '0.0.0.0', HostPort: String(mapping.host_port) },
    ];
  }
  return bindings;
}
