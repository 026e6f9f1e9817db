import type { Offer, Resource } from '../../shared/mesos/types.js';
import type { LaunchShape } from './launch-shape.js';
import type { PortRange } from './ranges.js';
import {
  freeMillisOf,
  freePortCountOf,
  readOfferResources,
  removePorts,
  takePorts,
  takeScalar,
  type OfferResources,
} from './offer-resources.js';

/** One offer during a matching round: its free resources and running totals of them. */
export interface OfferState {
  offer: Offer;
  agentId: string;
  resources: OfferResources;
  /** The `free` ranges of each ports pool; the pools change them in place. */
  freePortRanges: PortRange[][];
  cpusMillis: number;
  memMillis: number;
  diskMillis: number;
  portCount: number;
}

export function createOfferState(
  offer: Offer,
  role: string,
  portsInUse: ReadonlySet<number> | undefined,
): OfferState {
  const resources = readOfferResources(offer, role, portsInUse);
  return {
    offer,
    agentId: offer.agent_id.value,
    resources,
    freePortRanges: resources.ports.map((pool) => pool.free),
    cpusMillis: freeMillisOf(resources.scalars.cpus),
    memMillis: freeMillisOf(resources.scalars.mem),
    diskMillis: freeMillisOf(resources.scalars.disk),
    portCount: freePortCountOf(resources.ports),
  };
}

/** Compares totals only: a cheap test that rules out most offers before any port work. */
export function hasRoomFor(state: OfferState, shape: LaunchShape): boolean {
  return (
    state.cpusMillis >= shape.cpusMillis &&
    state.memMillis >= shape.memMillis &&
    state.diskMillis >= shape.diskMillis &&
    state.portCount >= shape.portCount
  );
}

/**
 * Takes a launch's resources from the offer and returns the task's Resources: cpus, mem, disk
 * (when requested) and one `ports` Resource per offered pool the host ports came from. The
 * caller checks `hasRoomFor` and picks free ports first.
 */
export function takeResources(
  state: OfferState,
  shape: LaunchShape,
  hostPorts: readonly number[],
): Resource[] {
  const distinctPorts = shape.portCount === hostPorts.length ? hostPorts : [...new Set(hostPorts)];
  const resources: Resource[] = [];
  takeScalar(state.resources.scalars.cpus, shape.cpusMillis, resources);
  takeScalar(state.resources.scalars.mem, shape.memMillis, resources);
  takeScalar(state.resources.scalars.disk, shape.diskMillis, resources);
  takePorts(state.resources.ports, distinctPorts, resources);

  state.cpusMillis -= shape.cpusMillis;
  state.memMillis -= shape.memMillis;
  state.diskMillis -= shape.diskMillis;
  state.portCount -= distinctPorts.length;
  return resources;
}

/** Removes host ports given to a task through another offer of the same agent. */
export function excludePorts(state: OfferState, hostPorts: readonly number[]): void {
  removePorts(state.resources.ports, hostPorts);
  state.portCount = freePortCountOf(state.resources.ports);
}
