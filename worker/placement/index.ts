export { placeLaunches } from './matcher.js';
export { buildTaskInfo, buildVariables, defaultTaskName } from './task-info.js';
export { pickHostPorts } from './port-allocator.js';
export { planAccepts, unusedOfferIds } from './accept-plan.js';
export { toMillis, fromMillis } from './scalar.js';
export {
  parseRanges,
  normalizeRanges,
  rangesFromPorts,
  toWireRanges,
  countPorts,
  containsPort,
  containsRanges,
  subtractPorts,
  portAt,
  type PortRange,
  type WireRanges,
} from './ranges.js';
export {
  readOfferResources,
  reservationRole,
  narrowScalar,
  narrowRanges,
  type OfferResources,
  type ScalarPool,
  type PortPool,
} from './offer-resources.js';
export type {
  PendingLaunch,
  PlacementOptions,
  Placement,
  PlacementResult,
  AgentAccept,
} from './types.js';
