import type { AddressPool, MasterContext } from '../master/context.js';
import type { Agent } from '../master/model.js';
import type { NetworkInfo, TaskInfo } from '../mesos-types.js';
import type { DockerRunOptions } from './docker-run-options.js';

/** Host numbers 0 and 1 of a /16 are the network and Docker's gateway. */
const FIRST_HOST = 2;
const LAST_HOST = 65_534;

/** `docker run` exits 125 when the daemon rejects the run, e.g. for an unknown network. */
export const DOCKER_RUN_ERROR_EXIT_CODE = 125;

export type ContainerAddress =
  { ok: true; ip: string | undefined; networkName: string } | { ok: false; exitCode: number };

/**
 * Picks the container's address as `docker inspect` would show it: none for `host` and
 * `none`, 172.17.x.y on the agent's own `bridge`, and an address of the named network
 * otherwise. A network the agent lacks makes `docker run` fail.
 */
export function assignContainerAddress(
  ctx: MasterContext,
  agent: Agent,
  options: DockerRunOptions,
): ContainerAddress {
  const name = options.network;
  if (name === 'host' || name === 'none') {
    return { ok: true, ip: undefined, networkName: name };
  }
  if (!agent.spec.dockerNetworks.includes(name)) {
    return { ok: false, exitCode: DOCKER_RUN_ERROR_EXIT_CODE };
  }

  if (name === 'bridge') {
    const host = agent.nextBridgeHost;
    agent.nextBridgeHost = host >= LAST_HOST ? FIRST_HOST : host + 1;
    return { ok: true, ip: formatAddress('172.17', host), networkName: name };
  }

  const pool = userNetworkPool(ctx, name);
  const host = pool.nextHost;
  pool.nextHost = host >= LAST_HOST ? FIRST_HOST : host + 1;
  return { ok: true, ip: formatAddress(pool.prefix, host), networkName: name };
}

/**
 * User-defined networks get 172.18.0.0/16, 172.19.0.0/16, ... in the order they are first
 * used (Docker's own order for new networks), then 10.x.0.0/16.
 */
function userNetworkPool(ctx: MasterContext, name: string): AddressPool {
  let pool = ctx.userNetworks.get(name);
  if (pool === undefined) {
    const index = ctx.userNetworks.size;
    const prefix = index <= 13 ? `172.${18 + index}` : `10.${index - 14}`;
    pool = { prefix, nextHost: FIRST_HOST };
    ctx.userNetworks.set(name, pool);
  }
  return pool;
}

function formatAddress(prefix: string, host: number): string {
  return `${prefix}.${Math.floor(host / 256)}.${host % 256}`;
}

/**
 * Returns the `container_status.network_infos` of TASK_RUNNING when the container has its own address:
 * a copy of the task's first NetworkInfo (if any) with that address, as the Docker executor
 * reports it.
 */
export function containerNetworkInfos(task: TaskInfo, ip: string): NetworkInfo[] {
  const copy: NetworkInfo = { ...task.container?.network_infos?.[0] };
  copy.ip_addresses = [{ ip_address: ip }];
  return [copy];
}

/** Returns the network info the agent adds to an update that carries none: its own IP. */
export function agentNetworkInfos(agent: Agent): NetworkInfo[] {
  return [{ ip_addresses: [{ ip_address: agent.spec.ip }] }];
}
