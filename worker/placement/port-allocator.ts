import type { PortRequest } from '../../shared/launch/types.js';
import { containsPort, countPorts, type PortRange } from './ranges.js';

const NO_PORTS: ReadonlySet<number> = new Set();

/**
 * Chooses one host port per request from the free ports of an offer, given as the free ranges of
 * each offered `ports` resource. Returns the host ports in request order, or undefined when the
 * request cannot be met.
 *
 * A request with `host_port` > 0 gets exactly that port, and only when it is free. Two requests
 * may share a fixed port only with different protocols (`53/tcp` and `53/udp`). Every other
 * request gets a distinct port. The walk starts at a random position among all free ports and
 * goes forward through the pools and their ranges, wrapping around at the end. So a port that
 * was just freed is not the first one handed out again. The cost is O(ranges + requests).
 */
export function pickHostPorts(
  freePools: readonly (readonly PortRange[])[],
  requests: readonly PortRequest[],
  random: () => number,
): number[] | undefined {
  const fixedPorts = requests.some((request) => (request.host_port ?? 0) > 0)
    ? pickFixedPorts(freePools, requests)
    : NO_PORTS;
  if (!fixedPorts) {
    return undefined;
  }

  let anyCount = 0;
  for (const request of requests) {
    anyCount += (request.host_port ?? 0) > 0 ? 0 : 1;
  }

  const walked = walkFreePorts(freePools, anyCount, fixedPorts, random);
  if (!walked) {
    return undefined;
  }

  let next = 0;
  return requests.map((request) => {
    const fixed = request.host_port ?? 0;
    return fixed > 0 ? fixed : (walked[next++] as number);
  });
}

/**
 * Checks the requests that name a host port and returns the set of those ports, or undefined
 * when one is not free or is named twice with the same protocol.
 */
function pickFixedPorts(
  freePools: readonly (readonly PortRange[])[],
  requests: readonly PortRequest[],
): Set<number> | undefined {
  const fixedPorts = new Set<number>();
  const seen = new Set<string>();
  for (const request of requests) {
    const port = request.host_port ?? 0;
    if (port <= 0) {
      continue;
    }

    const key = `${port}/${request.protocol}`;
    if (seen.has(key) || !freePools.some((ranges) => containsPort(ranges, port))) {
      return undefined;
    }

    seen.add(key);
    fixedPorts.add(port);
  }

  return fixedPorts;
}

/** A position in the free ports: pool, range within it, and port. */
interface WalkPosition {
  pool: number;
  range: number;
  port: number;
}

/** Takes `count` distinct free ports, skipping `skip`, starting at a random position. */
function walkFreePorts(
  freePools: readonly (readonly PortRange[])[],
  count: number,
  skip: ReadonlySet<number>,
  random: () => number,
): number[] | undefined {
  if (count === 0) {
    return [];
  }

  let total = 0;
  for (const ranges of freePools) {
    total += countPorts(ranges);
  }

  if (total - skip.size < count) {
    return undefined;
  }

  const position = locate(freePools, Math.min(Math.floor(random() * total), total - 1));
  const picked: number[] = [];
  for (let step = 0; step < total && picked.length < count; step += 1) {
    if (!skip.has(position.port)) {
      picked.push(position.port);
    }

    advance(freePools, position);
  }

  return picked.length === count ? picked : undefined;
}

/** Finds the `index`-th free port (0-based); the pools must hold more than `index` ports. */
function locate(freePools: readonly (readonly PortRange[])[], index: number): WalkPosition {
  let remaining = index;
  for (let pool = 0; pool < freePools.length; pool += 1) {
    const ranges = freePools[pool] as readonly PortRange[];
    for (let range = 0; range < ranges.length; range += 1) {
      const { begin, end } = ranges[range] as PortRange;
      if (remaining <= end - begin) {
        return { pool, range, port: begin + remaining };
      }

      remaining -= end - begin + 1;
    }
  }

  throw new RangeError(`port index ${index} is past the free ports`);
}

/** Moves to the next free port, from the last port of the last pool back to the first one. */
function advance(freePools: readonly (readonly PortRange[])[], position: WalkPosition): void {
  const current = freePools[position.pool]?.[position.range] as PortRange;
  if (position.port < current.end) {
    position.port += 1;
    return;
  }

  do {
    position.range += 1;
    if (position.range >= (freePools[position.pool]?.length ?? 0)) {
      position.range = 0;
      position.pool = (position.pool + 1) % freePools.length;
    }
  } while ((freePools[position.pool]?.length ?? 0) === 0);

  position.port = (freePools[position.pool]?.[position.range] as PortRange).begin;
}
