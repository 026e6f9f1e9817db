import type { AssignedPort, LaunchRequest } from '../../shared/launch/types.js';
import type { Offer, OfferID, Offer_Operation, TaskInfo } from '../../shared/mesos/types.js';

/** A launch waiting for an offer: one attempt of one queued launch request. */
export interface PendingLaunch {
  launchId: string;
  attempt: number;
  /** Read as immutable: matching caches what it needs per request object. */
  request: LaunchRequest;
  /** Prefix of the default task name when the request has no `name`. */
  frameworkName?: string;
}

export interface PlacementOptions {
  /** The framework's role; `*` when it has none. */
  role: string;
  /** Host ports already used by this framework's live tasks on an agent. */
  portsInUse?: (agentId: string) => ReadonlySet<number> | undefined;
  /** Source of the random start among free ports; Math.random by default. */
  random?: () => number;
}

/** One launch placed on one offer. */
export interface Placement {
  launch: PendingLaunch;
  /** The offer whose resources the task uses. */
  offer: Offer;
  taskInfo: TaskInfo;
  /** Host ports chosen, in the order of the request's ports; container ports for BRIDGE and USER. */
  ports: AssignedPort[];
}

/** The body of one ACCEPT call: offers of one agent and one LAUNCH operation. */
export interface AgentAccept {
  agentId: string;
  offerIds: OfferID[];
  operations: Offer_Operation[];
}

export interface PlacementResult {
  placements: Placement[];
  /** One entry per agent that received tasks, with every offer of that agent that received one. */
  accepts: AgentAccept[];
  /** Offers that received no task, to decline with a filter. */
  unusedOffers: OfferID[];
  /** Launches that fit no offer now; they stay pending. */
  unplaced: PendingLaunch[];
}
