import type { Offer, Resource } from '../../shared/mesos/types.js';
import { fromMillis, toMillis } from './scalar.js';
import {
  countPorts,
  parseRanges,
  rangesFromPorts,
  removePort,
  subtractPorts,
  toWireRanges,
  type PortRange,
} from './ranges.js';

/** The scalar resources a launch can request. */
export type ScalarName = 'cpus' | 'mem' | 'disk';
export const SCALAR_NAMES: readonly ScalarName[] = ['cpus', 'mem', 'disk'];

const MIN_PORT = 1;
const MAX_PORT = 65535;

/** One offered scalar Resource and the amount of it still free, in thousandths. */
export interface ScalarPool {
  resource: Resource;
  freeMillis: number;
}

/** One offered `ports` Resource and its ports still free, an array changed in place. */
export interface PortPool {
  resource: Resource;
  readonly free: PortRange[];
}

/**
 * The free part of one offer. Each offered Resource is its own pool because resources that
 * differ in role, reservation or allocation metadata cannot be merged, and a task must name the
 * same metadata as the part it takes. Pools reserved for the role come before unreserved ones.
 */
export interface OfferResources {
  scalars: Record<ScalarName, ScalarPool[]>;
  ports: PortPool[];
}

/**
 * Collects the resources of an offer that a task of `role` can use, minus the `portsInUse` of
 * the agent. Revocable and shared resources are skipped, because the framework does not request
 * them and a task may not mix revocable and non-revocable resources. Disks other than plain and
 * PATH disks are skipped too (persistent volumes, MOUNT, BLOCK and RAW disks), because a task
 * can use those only whole or through a volume.
 */
export function readOfferResources(
  offer: Offer,
  role: string,
  portsInUse: ReadonlySet<number> | undefined,
): OfferResources {
  const result: OfferResources = { scalars: { cpus: [], mem: [], disk: [] }, ports: [] };
  for (const resource of offer.resources ?? []) {
    if (!isUsable(resource, role)) {
      continue;
    }

    addPool(result, resource, portsInUse);
  }

  for (const name of SCALAR_NAMES) {
    result.scalars[name].sort((a, b) => reservedFirst(a.resource, b.resource));
  }

  result.ports.sort((a, b) => reservedFirst(a.resource, b.resource));
  return result;
}

function addPool(
  result: OfferResources,
  resource: Resource,
  portsInUse: ReadonlySet<number> | undefined,
): void {
  if (resource.type === 'SCALAR' && isScalarName(resource.name)) {
    const freeMillis = toMillis(resource.scalar?.value ?? 0);
    if (freeMillis > 0) {
      result.scalars[resource.name].push({ resource, freeMillis });
    }

    return;
  }

  if (resource.type === 'RANGES' && resource.name === 'ports') {
    const offered = parseRanges(resource.ranges, MIN_PORT, MAX_PORT);
    const free = portsInUse && portsInUse.size > 0 ? subtractPorts(offered, portsInUse) : offered;
    if (free.length > 0) {
      result.ports.push({ resource, free });
    }
  }
}

function isScalarName(name: string): name is ScalarName {
  return name === 'cpus' || name === 'mem' || name === 'disk';
}

function isUsable(resource: Resource, role: string): boolean {
  if (resource.revocable !== undefined || resource.shared !== undefined) {
    return false;
  }

  if (resource.disk?.persistence !== undefined || resource.disk?.volume !== undefined) {
    return false;
  }

  if (resource.disk?.source !== undefined && resource.disk.source.type !== 'PATH') {
    return false;
  }

  const allocationRole = resource.allocation_info?.role;
  if (allocationRole !== undefined && allocationRole !== role) {
    return false;
  }

  const reserved = reservationRole(resource);
  return reserved === undefined || reserved === role || role.startsWith(`${reserved}/`);
}

/**
 * Returns the role a resource is reserved for, or undefined when it is unreserved. Offers use
 * `reservations` (the last entry is the innermost role) when the framework has
 * RESERVATION_REFINEMENT, and `role` otherwise.
 */
export function reservationRole(resource: Resource): string | undefined {
  const reservations = resource.reservations ?? [];
  const innermost = reservations[reservations.length - 1];
  if (innermost) {
    return innermost.role;
  }

  return resource.role !== undefined && resource.role !== '*' ? resource.role : undefined;
}

function reservedFirst(a: Resource, b: Resource): number {
  const aReserved = reservationRole(a) === undefined ? 1 : 0;
  const bReserved = reservationRole(b) === undefined ? 1 : 0;
  return aReserved - bReserved;
}

/** Sums the free thousandths of some scalar pools. */
export function freeMillisOf(pools: readonly ScalarPool[]): number {
  let total = 0;
  for (const pool of pools) {
    total += pool.freeMillis;
  }

  return total;
}

/** Sums the free ports of some port pools. */
export function freePortCountOf(pools: readonly PortPool[]): number {
  let total = 0;
  for (const pool of pools) {
    total += countPorts(pool.free);
  }

  return total;
}

/**
 * Takes `millis` thousandths from the pools in order and appends to `into` one narrowed copy of
 * each pool Resource it took from. The caller checks first that the pools hold enough.
 */
export function takeScalar(pools: readonly ScalarPool[], millis: number, into: Resource[]): void {
  let remaining = millis;
  for (const pool of pools) {
    if (remaining <= 0) {
      return;
    }

    const amount = Math.min(pool.freeMillis, remaining);
    if (amount > 0) {
      pool.freeMillis -= amount;
      remaining -= amount;
      into.push(narrowScalar(pool.resource, amount));
    }
  }
}

/**
 * Removes distinct `ports` from the pools that contain them and appends to `into`, per pool, a
 * narrowed copy of its Resource whose ranges are exactly the ports taken from it.
 */
export function takePorts(
  pools: readonly PortPool[],
  ports: readonly number[],
  into: Resource[],
): void {
  if (ports.length === 0) {
    return;
  }

  const takenByPool: number[][] = pools.map(() => []);
  for (const port of ports) {
    for (let index = 0; index < pools.length; index += 1) {
      if (removePort((pools[index] as PortPool).free, port)) {
        (takenByPool[index] as number[]).push(port);
        break;
      }
    }
  }

  for (let index = 0; index < pools.length; index += 1) {
    const poolPorts = takenByPool[index] as number[];
    if (poolPorts.length > 0) {
      into.push(narrowRanges((pools[index] as PortPool).resource, rangesFromPorts(poolPorts)));
    }
  }
}

/** Removes ports from pools without taking them (ports used through another offer). */
export function removePorts(pools: readonly PortPool[], ports: readonly number[]): void {
  for (const port of ports) {
    for (const pool of pools) {
      removePort(pool.free, port);
    }
  }
}

/**
 * Copies an offered scalar Resource with a new amount. Every other field (name, type, role,
 * reservation, reservations, allocation_info, disk, provider_id, revocable, shared) is kept as
 * offered, because the master checks that a task's resources are contained in the offer with
 * exactly matching metadata. Nested metadata objects are shared with the offer, not cloned.
 */
export function narrowScalar(resource: Resource, millis: number): Resource {
  return { ...resource, scalar: { value: fromMillis(millis) } };
}

/** Copies an offered RANGES Resource with new ranges, keeping every other field as offered. */
export function narrowRanges(resource: Resource, ranges: readonly PortRange[]): Resource {
  return { ...resource, ranges: toWireRanges(ranges) };
}
