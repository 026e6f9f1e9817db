import type { Offer, OfferID, TaskInfo } from '../../shared/mesos/types.js';
import type { AgentAccept, Placement } from './types.js';

/**
 * Groups placements into one ACCEPT per agent: the ids of every offer of that agent that
 * received a task, and one LAUNCH operation with those tasks in placement order. The master
 * rejects an ACCEPT whose offers span agents, and the framework has one role, so every offer of
 * one agent shares one allocation role.
 */
export function planAccepts(placements: readonly Placement[]): AgentAccept[] {
  const byAgent = new Map<string, { offers: Offer[]; tasks: TaskInfo[] }>();
  for (const placement of placements) {
    const agentId = placement.offer.agent_id.value;
    const group = byAgent.get(agentId) ?? { offers: [], tasks: [] };
    if (!group.offers.includes(placement.offer)) {
      group.offers.push(placement.offer);
    }

    group.tasks.push(placement.taskInfo);
    byAgent.set(agentId, group);
  }

  return [...byAgent].map(([agentId, group]) => ({
    agentId,
    offerIds: group.offers.map((offer) => offer.id),
    operations: [{ type: 'LAUNCH', launch: { task_infos: group.tasks } }],
  }));
}

/** Returns the ids of the offers that received no task, to decline. */
export function unusedOfferIds(
  offers: readonly Offer[],
  placements: readonly Placement[],
): OfferID[] {
  const used = new Set(placements.map((placement) => placement.offer));
  return offers.filter((offer) => !used.has(offer)).map((offer) => offer.id);
}
