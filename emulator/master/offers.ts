import { addRefuseFilter, refuseDurationMs } from '../allocator/refuse-filters.js';
import type { Filters, Offer } from '../mesos-types.js';
import type { ResourceBag } from '../resources/resource-bag.js';
import type { MasterContext } from './context.js';
import type { Agent, Framework, OfferRecord } from './model.js';
import { sendEvent } from './updates.js';

/** Records a new offer of `resources` and returns its wire form; the caller sends it. */
export function createOffer(
  ctx: MasterContext,
  framework: Framework,
  agent: Agent,
  role: string,
  resources: ResourceBag,
): Offer {
  const offer: OfferRecord = {
    id: ctx.ids.offerId(),
    frameworkId: framework.id,
    agentId: agent.id,
    role,
    resources,
  };

  ctx.offers.set(offer.id, offer);
  framework.offers.add(offer.id);
  agent.offers.add(offer.id);
  return offerToWire(offer, framework, agent);
}

/**
 * Writes an offer as the master sends it. Non-MULTI_ROLE frameworks get no `allocation_info`
 * on the offer or its resources; without RESERVATION_REFINEMENT every resource carries `role`.
 */
export function offerToWire(offer: OfferRecord, framework: Framework, agent: Agent): Offer {
  const multiRole = framework.capabilities.multiRole;
  const wire: Offer = {
    id: { value: offer.id },
    framework_id: { value: offer.frameworkId },
    agent_id: { value: offer.agentId },
    hostname: agent.spec.hostname,
    url: {
      scheme: 'http',
      address: { hostname: agent.spec.hostname, ip: agent.spec.ip, port: agent.spec.port ?? 5051 },
      path: '/slave(1)',
    },
    resources: offer.resources.toResources({
      ...(multiRole ? { allocationRole: offer.role } : {}),
      reservationRefinement: framework.capabilities.reservationRefinement,
    }),
  };

  if (agent.attributes.length > 0) {
    wire.attributes = agent.attributes;
  }
  if (multiRole) {
    wire.allocation_info = { role: offer.role };
  }
  return wire;
}

/** Forgets an offer without touching its resources. */
export function removeOffer(ctx: MasterContext, offer: OfferRecord): void {
  ctx.offers.delete(offer.id);
  ctx.frameworks.get(offer.frameworkId)?.offers.delete(offer.id);
  ctx.agents.get(offer.agentId)?.offers.delete(offer.id);
}

/**
 * Returns an offer's resources to its agent, with a refuse filter when `filters` is given
 * (DECLINE, or the unused part of an ACCEPT). Failover and invalid ACCEPTs pass none.
 */
export function discardOffer(ctx: MasterContext, offer: OfferRecord, filters?: Filters): void {
  removeOffer(ctx, offer);
  recoverResources(ctx, offer.frameworkId, offer.agentId, offer.role, offer.resources, filters);
}

/** Withdraws an offer with a RESCIND event; rescinded resources get no filter. */
export function rescindOffer(ctx: MasterContext, offer: OfferRecord): void {
  const framework = ctx.frameworks.get(offer.frameworkId);
  discardOffer(ctx, offer);
  if (framework !== undefined) {
    sendEvent(framework, { type: 'RESCIND', rescind: { offer_id: { value: offer.id } } });
  }
}

export function recoverResources(
  ctx: MasterContext,
  frameworkId: string,
  agentId: string,
  role: string,
  resources: ResourceBag,
  filters?: Filters,
): void {
  const agent = ctx.agents.get(agentId);
  if (agent === undefined || resources.isEmpty()) {
    return;
  }
  agent.available.add(resources);

  const framework = ctx.frameworks.get(frameworkId);
  if (filters === undefined || framework === undefined) {
    return;
  }
  const durationMs = refuseDurationMs(filters, ctx.options.allocationIntervalMs);
  if (durationMs > 0) {
    addRefuseFilter(framework, role, agentId, resources, durationMs);
  }
}

/**
 * Handles DECLINE: each still-valid offer returns with the call's filter (5 s when unset).
 * Like Mesos, the master does not check that the offer belongs to the declining framework.
 */
export function declineOffers(
  ctx: MasterContext,
  framework: Framework,
  offerIds: ReadonlyArray<{ value: string }>,
  filters: Filters | undefined,
): void {
  for (const offerId of offerIds) {
    const offer = ctx.offers.get(offerId.value);
    if (offer === undefined) {
      ctx.logger.debug(
        { frameworkId: framework.id, offerId: offerId.value },
        'ignoring decline of an offer that is no longer valid',
      );
      continue;
    }
    discardOffer(ctx, offer, filters ?? {});
  }
}
