import type { LaunchRequest } from '../../shared/launch/types.js';
import { constraintKey } from './constraints.js';
import { toMillis } from './scalar.js';

/** The resources a launch needs from an offer, in thousandths and port counts. */
export interface LaunchShape {
  cpusMillis: number;
  memMillis: number;
  diskMillis: number;
  /** Distinct host ports reserved: one per port without a fixed `host_port`, each fixed one once. */
  portCount: number;
  /**
   * Equal for launches that fit exactly the same offers, so a shape that fitted no offer is not
   * tried again in the same matching round, when offers only shrink.
   */
  key: string;
}

/** Shapes of requests seen before; a pending launch is matched again in every offer cycle. */
const shapeCache = new WeakMap<LaunchRequest, LaunchShape>();

/** Returns what a request needs from an offer. The request must not change once pending. */
export function shapeOf(request: LaunchRequest): LaunchShape {
  let shape = shapeCache.get(request);
  if (!shape) {
    shape = computeShape(request);
    shapeCache.set(request, shape);
  }

  return shape;
}

function computeShape(request: LaunchRequest): LaunchShape {
  const cpusMillis = toMillis(request.cpus);
  const memMillis = toMillis(request.mem);
  const diskMillis = toMillis(request.disk);
  const fixed: string[] = [];
  const fixedPorts = new Set<number>();
  let anyCount = 0;
  for (const port of request.ports) {
    const hostPort = port.host_port ?? 0;
    if (hostPort > 0) {
      fixed.push(`${hostPort}/${port.protocol}`);
      fixedPorts.add(hostPort);
    } else {
      anyCount += 1;
    }
  }

  const fixedKey = fixed.sort().join(',');
  const key = `${cpusMillis}|${memMillis}|${diskMillis}|${anyCount}|${fixedKey}|${constraintKey(request)}`;
  return { cpusMillis, memMillis, diskMillis, portCount: anyCount + fixedPorts.size, key };
}
