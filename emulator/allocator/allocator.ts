import type { AllocationTrigger, MasterContext } from '../master/context.js';
import type { Agent, Framework } from '../master/model.js';
import { createOffer } from '../master/offers.js';
import type { Offer } from '../mesos-types.js';
import { ResourceBag } from '../resources/resource-bag.js';
import type { TimerHandle } from '../master/timers.js';
import { isFiltered } from './refuse-filters.js';

/** Mesos's default `--min_allocatable_resources` is `cpus:0.01|mem:32`, in thousandths here. */
const MIN_ALLOCATABLE_CPUS_MILLI = 10;
const MIN_ALLOCATABLE_MEM_MILLI = 32_000;

interface Candidate {
  framework: Framework;
  role: string;
}

/**
 * The allocation cycle. Every interval, and soon after a subscription, REVIVE or new agent,
 * each agent's unoffered resources go whole to one (framework, role) that has not suppressed
 * the role and has no refuse filter covering them. Each framework then gets one OFFERS event
 * holding all its new offers. Frameworks take turns first pick across cycles.
 */
export class Allocator implements AllocationTrigger {
  private interval: TimerHandle | undefined;
  private pending: TimerHandle | undefined;
  private rotation = 0;

  constructor(private readonly ctx: MasterContext) {}

  start(): void {
    this.interval = this.ctx.timers.setInterval(
      () => this.allocate(),
      this.ctx.options.allocationIntervalMs,
    );
  }

  stop(): void {
    this.interval?.cancel();
    this.pending?.cancel();
  }

  /** Runs a cycle on the next turn of the event loop; several requests share one cycle. */
  requestAllocation(): void {
    if (this.pending !== undefined) {
      return;
    }
    this.pending = this.ctx.timers.setTimeout(() => {
      this.pending = undefined;
      this.allocate();
    }, 0);
  }

  allocate(): void {
    const candidates = this.candidates();
    if (candidates.length === 0) {
      return;
    }

    const batches = new Map<Framework, Offer[]>();
    const now = Date.now();
    for (const agent of this.ctx.agents.values()) {
      this.allocateAgent(agent, candidates, batches, now);
    }
    this.rotation = (this.rotation + 1) % candidates.length;

    for (const [framework, offers] of batches) {
      framework.stream?.send({ type: 'OFFERS', offers: { offers } });
      this.ctx.logger.debug({ frameworkId: framework.id, offers: offers.length }, 'sent offers');
    }
  }

  private candidates(): Candidate[] {
    const candidates: Candidate[] = [];
    for (const framework of this.ctx.frameworks.values()) {
      if (!framework.connected || !framework.active) {
        continue;
      }
      for (const role of framework.roles) {
        if (!framework.suppressedRoles.has(role)) {
          candidates.push({ framework, role });
        }
      }
    }
    return candidates;
  }

  private allocateAgent(
    agent: Agent,
    candidates: Candidate[],
    batches: Map<Framework, Offer[]>,
    now: number,
  ): void {
    if (!isAllocatable(agent.available)) {
      return;
    }

    for (let i = 0; i < candidates.length; i++) {
      const { framework, role } = candidates[(this.rotation + i) % candidates.length]!;
      if (isFiltered(framework, role, agent.id, agent.available, now)) {
        continue;
      }

      const offered = agent.available;
      agent.available = new ResourceBag();
      const offer = createOffer(this.ctx, framework, agent, role, offered);
      const batch = batches.get(framework) ?? [];
      batch.push(offer);
      batches.set(framework, batch);
      return;
    }
  }
}

function isAllocatable(resources: ResourceBag): boolean {
  return (
    resources.scalarMilli('cpus') >= MIN_ALLOCATABLE_CPUS_MILLI ||
    resources.scalarMilli('mem') >= MIN_ALLOCATABLE_MEM_MILLI
  );
}
