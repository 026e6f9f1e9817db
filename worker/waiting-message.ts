import type { LaunchRequest } from '../shared/launch/types.js';

/**
 * Describes the offer a launch waits for, e.g. `waiting for an offer with 64 CPUs, 50 MB and 1
 * port (host port 80)`, so a client polling a QUEUED launch learns why it has not started.
 */
export function waitingMessage(request: LaunchRequest): string {
  const portCount = request.ports.length;
  const parts = [`${request.cpus} CPUs`, `${request.mem} MB`];
  if (request.disk > 0) {
    parts.push(`${request.disk} MB of disk`);
  }

  const ports = `${portCount} ${portCount === 1 ? 'port' : 'ports'}`;
  const fixed = request.ports
    .map((port) => port.host_port)
    .filter((hostPort): hostPort is number => hostPort !== undefined && hostPort > 0);
  const fixedText =
    fixed.length > 0 ? ` (host ${fixed.length === 1 ? 'port' : 'ports'} ${fixed.join(', ')})` : '';

  return `waiting for an offer with ${parts.join(', ')} and ${ports}${fixedText}`;
}
