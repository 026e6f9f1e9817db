import type { MasterContext } from '../master/context.js';
import type { Framework, OfferRecord } from '../master/model.js';
import type { Id } from '../mesos-types.js';

/**
 * Validates the offer ids of an ACCEPT in the master's order (`validation::offer::validate`):
 * no duplicates, all still valid, all this framework's, one allocation role, one agent.
 * Returns the error message or undefined.
 */
export function validateOffers(
  ctx: MasterContext,
  offerIds: readonly Id[],
  framework: Framework,
): string | undefined {
  const seen = new Set<string>();
  for (const offerId of offerIds) {
    if (seen.has(offerId.value)) {
      return `Duplicate offer ${offerId.value} in offer list`;
    }
    seen.add(offerId.value);
  }

  const offers: OfferRecord[] = [];
  for (const offerId of offerIds) {
    const offer = ctx.offers.get(offerId.value);
    if (offer === undefined) {
      return `Offer ${offerId.value} is no longer valid`;
    }
    offers.push(offer);
  }

  for (const offer of offers) {
    if (offer.frameworkId !== framework.id) {
      return `Offer ${offer.id} has invalid framework ${offer.frameworkId} while framework ${framework.id} is expected`;
    }
  }

  return validateSameRoleAndAgent(offers);
}

function validateSameRoleAndAgent(offers: readonly OfferRecord[]): string | undefined {
  const first = offers[0];
  if (first === undefined) {
    return undefined;
  }

  for (const offer of offers) {
    if (offer.role !== first.role) {
      // The missing closing quotes are in Mesos's own message.
      return `Aggregated offers must be allocated to the same role. Offer ${offer.id} uses role '${offer.role} but another is using role '${first.role}`;
    }
  }
  for (const offer of offers) {
    if (offer.agentId !== first.agentId) {
      return `Aggregated offers must belong to one single agent. Offer ${offer.id} uses agent ${offer.agentId} and agent ${first.agentId}`;
    }
  }
  return undefined;
}
