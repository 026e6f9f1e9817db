import type { PortProtocol } from '../shared/launch/index.js';
import type { ExposedPort, LaunchOptions } from './options.js';

/** One entry of `ports` in a launch request body, as the HTTP API spells it. */
export interface PortRequestBody {
  container_port?: number;
  host_port?: number;
  protocol?: PortProtocol;
}

/** A launch request body for `POST /v1/launches`, before validation and defaults. */
export interface LaunchRequestBody {
  image: string;
  command?: string;
  network: string;
  network_name?: string;
  ports?: PortRequestBody[];
  cpus: number;
  mem: number;
  disk?: number;
  env?: Record<string, string>;
  name?: string;
  timeout_seconds: number;
}

/**
 * Builds the HTTP API request body the flags describe. `-expose P` becomes
 * `{ container_port: P }` with bridge and user networking, and `{ host_port: P }` with host
 * networking, where it reserves that host port. With none it becomes a container port as well,
 * which the request schema then rejects with a message naming `-expose`.
 */
export function buildRequestBody(launch: LaunchOptions): LaunchRequestBody {
  const body: LaunchRequestBody = {
    image: launch.image,
    network: launch.network,
    cpus: launch.cpus,
    mem: launch.memMb,
    timeout_seconds: launch.timeoutSeconds,
  };

  if (launch.command !== undefined) {
    body.command = launch.command;
  }
  if (launch.networkName !== undefined) {
    body.network_name = launch.networkName;
  }
  if (launch.expose.length > 0) {
    body.ports = launch.expose.map((exposed) => toPortRequest(exposed, launch.network));
  }
  if (launch.diskMb > 0) {
    body.disk = launch.diskMb;
  }
  if (Object.keys(launch.env).length > 0) {
    body.env = launch.env;
  }
  if (launch.name !== undefined) {
    body.name = launch.name;
  }

  return body;
}

function toPortRequest(exposed: ExposedPort, network: string): PortRequestBody {
  const port: PortRequestBody =
    network === 'host' ? { host_port: exposed.port } : { container_port: exposed.port };

  if (exposed.protocol !== undefined) {
    port.protocol = exposed.protocol;
  }

  return port;
}
