import type { AssignedPort, LaunchRequest } from '../../shared/launch/types.js';
import type { Offer } from '../../shared/mesos/types.js';
import { planAccepts, unusedOfferIds } from './accept-plan.js';
import { matchesConstraints } from './constraints.js';
import { shapeOf, type LaunchShape } from './launch-shape.js';
import {
  createOfferState,
  excludePorts,
  hasRoomFor,
  takeResources,
  type OfferState,
} from './offer-state.js';
import { pickHostPorts } from './port-allocator.js';
import { buildTaskInfo } from './task-info.js';
import type { PendingLaunch, Placement, PlacementOptions, PlacementResult } from './types.js';

/** The state of one matching round. */
interface Round {
  states: OfferState[];
  statesByAgent: Map<string, OfferState[]>;
  random: () => number;
  /** Keys of launch shapes that fitted no offer; offers only shrink during a round. */
  failedShapes: Set<string>;
  /** Index of the offer that took the last launch, where the next search starts. */
  cursor: number;
  /** Launch ids placed so far, so one launch never gets two tasks in one round. */
  placedLaunchIds: Set<string>;
}

/**
 * Places pending launches on offers, in the order given (pass the oldest first). Each launch
 * goes to the first offer with room, searching from the offer that took the previous launch
 * (next fit), so launches pack into few offers and a search rarely rescans full ones. A launch
 * that fits nowhere is left pending and never holds up the launches after it. A second entry
 * for a launch id placed earlier in the round is left pending too.
 *
 * Cost: O(offers + resources) to read the offers, then per launch O(1) when its shape already
 * failed, otherwise a scan comparing four totals per offer until one has room, then the port
 * and task work for that offer only. A shape that fits no offer is remembered (`failedShapes`),
 * so it scans the offers once per round.
 */
export function placeLaunches(
  pending: readonly PendingLaunch[],
  offers: readonly Offer[],
  options: PlacementOptions,
): PlacementResult {
  const round = startRound(offers, options);
  const placements: Placement[] = [];
  const unplaced: PendingLaunch[] = [];
  for (const launch of pending) {
    const placement = placeOne(round, launch);
    if (placement) {
      placements.push(placement);
    } else {
      unplaced.push(launch);
    }
  }

  return {
    placements,
    accepts: planAccepts(placements),
    unusedOffers: unusedOfferIds(offers, placements),
    unplaced,
  };
}

function startRound(offers: readonly Offer[], options: PlacementOptions): Round {
  const states = offers.map((offer) =>
    createOfferState(offer, options.role, options.portsInUse?.(offer.agent_id.value)),
  );

  const statesByAgent = new Map<string, OfferState[]>();
  for (const state of states) {
    const siblings = statesByAgent.get(state.agentId) ?? [];
    siblings.push(state);
    statesByAgent.set(state.agentId, siblings);
  }

  return {
    states,
    statesByAgent,
    random: options.random ?? Math.random,
    failedShapes: new Set(),
    cursor: 0,
    placedLaunchIds: new Set(),
  };
}

function placeOne(round: Round, launch: PendingLaunch): Placement | undefined {
  const shape = shapeOf(launch.request);
  if (round.failedShapes.has(shape.key)) {
    return undefined;
  }

  if (round.placedLaunchIds.has(launch.launchId)) {
    return undefined;
  }

  const count = round.states.length;
  for (let step = 0; step < count; step += 1) {
    const index = (round.cursor + step) % count;
    const placement = tryOffer(round, round.states[index] as OfferState, launch, shape);
    if (placement) {
      round.cursor = index;
      round.placedLaunchIds.add(launch.launchId);
      return placement;
    }
  }

  round.failedShapes.add(shape.key);
  return undefined;
}

function tryOffer(
  round: Round,
  state: OfferState,
  launch: PendingLaunch,
  shape: LaunchShape,
): Placement | undefined {
  if (!hasRoomFor(state, shape) || !matchesConstraints(launch.request, state.offer)) {
    return undefined;
  }

  const hostPorts = pickHostPorts(state.freePortRanges, launch.request.ports, round.random);
  if (!hostPorts) {
    return undefined;
  }

  const resources = takeResources(state, shape, hostPorts);
  if (hostPorts.length > 0) {
    excludeFromSiblings(round, state, hostPorts);
  }

  const ports = assignPorts(launch.request, hostPorts);
  const taskInfo = buildTaskInfo(launch, state.agentId, resources, ports);
  return { launch, offer: state.offer, taskInfo, ports };
}

/**
 * Removes the chosen host ports from the agent's other offers. Mesos never offers one port
 * twice, so this only guards the rule that a port is used once per agent.
 */
function excludeFromSiblings(round: Round, state: OfferState, hostPorts: readonly number[]): void {
  for (const sibling of round.statesByAgent.get(state.agentId) ?? []) {
    if (sibling !== state) {
      excludePorts(sibling, hostPorts);
    }
  }
}

/** Pairs each requested port with its host port; `container_port` only for BRIDGE and USER. */
function assignPorts(request: LaunchRequest, hostPorts: readonly number[]): AssignedPort[] {
  const mapped = request.network === 'bridge' || request.network === 'user';
  return request.ports.map((port, index) => {
    const hostPort = hostPorts[index] as number;
    if (!mapped) {
      return { host_port: hostPort, protocol: port.protocol };
    }

    return {
      container_port: port.container_port ?? hostPort,
      host_port: hostPort,
      protocol: port.protocol,
    };
  });
}
