import type { Redis } from 'ioredis';
import type { RedisKeys } from '../shared/launch/keys.js';
import type { Logger } from '../shared/logger.js';
import type { Offer, OfferID } from '../shared/mesos/types.js';
import { HeldOffers, type HeldOffer } from './held-offers.js';
import { NOTE_WAITING } from './launch-scripts.js';
import { writeLaunching } from './launching-write.js';
import type { WorkerMetrics } from './metrics.js';
import type { PendingLaunches } from './pending-launches.js';
import {
  placeLaunches,
  planAccepts,
  type PendingLaunch,
  type Placement,
} from './placement/index.js';
import type { PortLedger } from './port-ledger.js';
import type { ReconcileTask, SchedulerCalls } from './scheduler-calls.js';
import { waitingMessage } from './waiting-message.js';

export interface OfferCycleOptions {
  redis: Redis;
  keys: RedisKeys;
  holderId: string;
  role: string;
  refuseSeconds: number;
  /** How long an unused offer is held for launches that arrive later; 0 declines it at once. */
  offerHoldMs: number;
  pending: PendingLaunches;
  ports: PortLedger;
  calls: () => SchedulerCalls | undefined;
  /** Called with launches whose LAUNCHING write was rejected, to settle or requeue them. */
  onRejected: (rejections: RejectedWrite[]) => void;
  /** Called when declined or accepted offers left resources behind a filter. */
  onDeclined: () => void;
  /** Called with the tasks of an ACCEPT that failed, so they get reconciled. */
  onAcceptFailed: (tasks: ReconcileTask[]) => void;
  metrics: WorkerMetrics;
  logger: Logger;
  random?: () => number;
}

/** A launch whose LAUNCHING write was rejected, with the script's result (`not-queued`, ...). */
export interface RejectedWrite {
  launchId: string;
  result: string;
}

/**
 * Runs offer cycles one at a time: one for each OFFERS event, and one when launches start waiting
 * while offers are held. Offers that arrive while a cycle runs join the next one. A cycle places
 * the waiting launches on the new and the held offers, writes LAUNCHING for each placed one (only
 * if it is still QUEUED, in one pipeline) and sends one ACCEPT per agent. Unused offers are held
 * for up to `offerHoldMs` from their arrival and then declined with the refuse filter. The next
 * cycle does not wait for the master's replies to ACCEPT and DECLINE: a failed ACCEPT has its
 * tasks reconciled.
 */
export class OfferCycle {
  #queued: HeldOffer[] = [];
  readonly #held: HeldOffers;
  #cycleRequested = false;
  #lastWaiting = 0;
  #running: Promise<void> | undefined;
  /** ACCEPT and DECLINE calls whose replies have not arrived yet. */
  readonly #callsInFlight = new Set<Promise<void>>();
  /** Counts subscriptions; offers of an earlier one are invalid at the master. */
  #generation = 0;
  /** Ids of offers the master rescinded while a cycle ran; that cycle must not hold them. */
  #rescindedInCycle = new Set<string>();

  constructor(private readonly options: OfferCycleOptions) {
    this.#held = new HeldOffers(options.offerHoldMs, (expired) => this.#declineOffers(expired));
  }

  /** Offers held for launches to come. */
  get heldCount(): number {
    return this.#held.size;
  }

  /** Whether a cycle runs or is about to. */
  get cycling(): boolean {
    return this.#running !== undefined;
  }

  push(offers: readonly Offer[]): void {
    const declineAtMs = this.#held.deadlineFor(performance.now());
    for (const offer of offers) {
      this.#queued.push({ offer, declineAtMs });
    }

    this.#running ??= this.#loop();
  }

  /**
   * Runs a cycle on the held offers when more launches wait than before. The cycle starts after
   * the current event-loop turn, so launches taken in the same turn share it. While a cycle
   * runs, the offers it took are not held, so the request is kept until that cycle returns them.
   */
  onWaitingChanged(waiting: number): void {
    const grew = waiting > this.#lastWaiting;
    this.#lastWaiting = waiting;
    const offersToUse = this.#held.size > 0 || this.#running !== undefined;
    if (!grew || !offersToUse || this.#cycleRequested) {
      return;
    }

    this.#cycleRequested = true;
    setImmediate(() => {
      this.#running ??= this.#loop();
    });
  }

  /**
   * Declines every held offer before this worker stops placing launches. Offers that a running
   * cycle leaves unused, and offers that arrive later, are then declined at once.
   */
  declineHeld(): void {
    this.#declineOffers(this.#held.releaseAll());
  }

  /** Resolves when no cycle is running and every ACCEPT and DECLINE sent has its reply. */
  async drain(): Promise<void> {
    while (this.#running || this.#callsInFlight.size > 0) {
      await this.#running;
      await Promise.all(this.#callsInFlight);
    }
  }

  /**
   * Drops a rescinded offer that is held or still waiting for the next cycle. An offer that the
   * running cycle has is noted, so that the cycle does not hold it. An ACCEPT that the cycle
   * already planned on it still goes out, and the master replies with TASK_DROPPED or TASK_LOST,
   * which retries the launch.
   */
  rescind(offerId: string | undefined): void {
    this.#held.remove(offerId);
    this.#queued = this.#queued.filter((queued) => queued.offer.id.value !== offerId);
    if (offerId !== undefined && this.#running) {
      this.#rescindedInCycle.add(offerId);
    }
  }

  /** Forgets every offer: after a disconnection the master has rescinded them. */
  clear(): void {
    this.#queued = [];
    this.#held.clear();
    this.#generation += 1;
  }

  /**
   * Runs cycles while offers or requests are left. `#running` is cleared with no await after the
   * check. The first await comes before any check, so the caller has stored `#running` by then:
   * a loop with nothing to do would otherwise clear it before the caller set it, and leave a
   * settled promise there for good.
   */
  async #loop(): Promise<void> {
    await Promise.resolve();
    try {
      while (this.#queued.length > 0 || this.#takeCycleRequest()) {
        // Held offers alone cannot fit a launch that an earlier cycle could not place on them.
        const untriedOnly = this.#queued.length === 0;
        const offers = [...this.#held.takeAll(), ...this.#queued];
        this.#queued = [];
        await this.#timedCycle(offers, untriedOnly);
      }
    } finally {
      this.#running = undefined;
    }
  }

  /** Clears a pending request and returns whether it still calls for a cycle. */
  #takeCycleRequest(): boolean {
    const requested = this.#cycleRequested;
    this.#cycleRequested = false;
    return requested && this.#held.size > 0 && this.options.pending.waitingCount > 0;
  }

  async #timedCycle(offers: HeldOffer[], untriedOnly: boolean): Promise<void> {
    const startedAt = performance.now();
    try {
      await this.#cycle(offers, untriedOnly);
    } catch (error) {
      this.options.logger.error({ err: error, offers: offers.length }, 'offer cycle failed');
    } finally {
      this.#rescindedInCycle = new Set();
    }

    this.options.metrics.offerCycleSeconds.observe((performance.now() - startedAt) / 1000);
  }

  async #cycle(timedOffers: HeldOffer[], untriedOnly: boolean): Promise<void> {
    const calls = this.options.calls();
    if (!calls) {
      return;
    }

    const generation = this.#generation;
    const offers = timedOffers.map((timed) => timed.offer);
    let launched: Placement[];
    try {
      launched = await this.#place(offers, untriedOnly);
    } catch (error) {
      // The offers are declined, not held, in case the failure repeats on every cycle.
      this.options.logger.error({ err: error, offers: offers.length }, 'failed to place launches');
      this.#declineOffers(offers);
      return;
    }

    if (generation !== this.#generation) {
      this.#abandon(launched);
      return;
    }

    const usedOffers = new Set(launched.map((placement) => placement.offer));
    const rescinded = this.#rescindedInCycle;
    const unused = timedOffers.filter(
      (timed) => !usedOffers.has(timed.offer) && !rescinded.has(timed.offer.id.value),
    );

    this.#track(this.#accept(calls, launched));
    this.#declineOffers(this.#held.hold(unused));
  }

  #declineOffers(offers: Offer[]): void {
    const calls = this.options.calls();
    if (!calls || offers.length === 0) {
      return;
    }

    this.#track(
      this.#decline(
        calls,
        offers.map((offer) => offer.id),
      ),
    );
  }

  /** Keeps a call's promise until it settles, for `drain()`. */
  #track(call: Promise<void>): void {
    const settled = call
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'failed to send ACCEPT or DECLINE');
      })
      .finally(() => this.#callsInFlight.delete(settled));
    this.#callsInFlight.add(settled);
  }

  /**
   * Places the waiting launches, or with `untriedOnly` those no cycle has failed to place yet,
   * and returns those whose LAUNCHING write succeeded.
   */
  async #place(offers: Offer[], untriedOnly: boolean): Promise<Placement[]> {
    const waiting = this.options.pending.waitingLaunches({ untriedOnly });
    if (waiting.length === 0) {
      return [];
    }

    const result = placeLaunches(waiting, offers, {
      role: this.options.role,
      portsInUse: (agentId) => this.options.ports.portsInUse(agentId),
      random: this.options.random,
    });

    this.#noteWaiting(result.unplaced);
    return this.#markLaunching(result.placements);
  }

  /**
   * Writes, once per launch, what offer each unplaced launch waits for into its record. The
   * writes are not awaited: they only explain a QUEUED state and never block the cycle.
   */
  #noteWaiting(unplaced: readonly PendingLaunch[]): void {
    const { redis, keys, pending, logger } = this.options;

    for (const launch of unplaced) {
      if (!pending.noteUnplaced(launch.launchId)) {
        continue;
      }

      const message = waitingMessage(launch.request);
      NOTE_WAITING.run(redis, [keys.launch(launch.launchId)], [message]).catch((error: unknown) => {
        logger.warn(
          { err: error, launchId: launch.launchId },
          'failed to note what a launch waits for',
        );
      });
    }
  }

  /**
   * Writes LAUNCHING for every placement in one pipeline and returns the placements whose write
   * succeeded. The others go to `onRejected`, and their resources are declined.
   */
  async #markLaunching(placements: Placement[]): Promise<Placement[]> {
    const results = await Promise.all(
      placements.map((placement) => writeLaunching(this.options, placement)),
    );
    const launched: Placement[] = [];
    const rejections: RejectedWrite[] = [];

    placements.forEach((placement, index) => {
      const result = String(results[index]);
      const launchId = placement.launch.launchId;
      if (result !== 'ok') {
        rejections.push({ launchId, result });
        return;
      }

      launched.push(placement);
      this.options.pending.markLaunching(launchId, placement.launch.attempt);
      const hostPorts = placement.ports.map((port) => port.host_port);
      this.options.ports.hold(launchId, placement.offer.agent_id.value, hostPorts);
    });

    if (rejections.length > 0) {
      this.options.onRejected(rejections);
    }

    return launched;
  }

  /**
   * Leaves tasks written as LAUNCHING unsent because the subscription changed meanwhile, and has
   * them reconciled: the master replies TASK_GONE, and the launches are retried.
   */
  #abandon(launched: Placement[]): void {
    if (launched.length === 0) {
      return;
    }

    this.options.logger.warn(
      { tasks: launched.length },
      'subscription changed during an offer cycle; reconciling its tasks instead of accepting',
    );
    this.options.onAcceptFailed(
      launched.map(({ taskInfo }) => ({ task_id: taskInfo.task_id, agent_id: taskInfo.agent_id })),
    );
  }

  /**
   * Sends one ACCEPT per agent, all at once. While launches still wait, or while offers are
   * held, the unused part of the accepted offers gets no filter, so it comes back in the next
   * allocation. A held offer gets the filter when it is declined at the end of its hold time.
   */
  async #accept(calls: SchedulerCalls, launched: Placement[]): Promise<void> {
    const keepOffered = this.options.pending.waitingCount > 0 || this.options.offerHoldMs > 0;
    const filters = { refuse_seconds: keepOffered ? 0 : this.options.refuseSeconds };
    const accepts = planAccepts(launched);
    if (accepts.length > 0 && filters.refuse_seconds > 0) {
      this.options.onDeclined();
    }

    await Promise.all(
      accepts.map(async (accept) => {
        const taskInfos = accept.operations[0]?.launch?.task_infos ?? [];
        try {
          await calls.accept(accept.offerIds, accept.operations, filters);
          this.options.metrics.offers.inc({ result: 'accepted' }, accept.offerIds.length);
          this.options.metrics.tasksLaunched.inc(taskInfos.length);
          this.options.logger.info(
            { agentId: accept.agentId, offers: accept.offerIds.length, tasks: taskInfos.length },
            'ACCEPT sent with a LAUNCH operation',
          );
        } catch (error) {
          this.options.logger.error(
            { err: error, agentId: accept.agentId, tasks: taskInfos.length },
            'ACCEPT failed; reconciling its tasks to find out whether they were launched',
          );
          this.options.onAcceptFailed(
            taskInfos.map((task) => ({ task_id: task.task_id, agent_id: task.agent_id })),
          );
        }
      }),
    );
  }

  async #decline(calls: SchedulerCalls, offerIds: OfferID[]): Promise<void> {
    if (offerIds.length === 0) {
      return;
    }

    try {
      await calls.decline(offerIds, { refuse_seconds: this.options.refuseSeconds });
      this.options.metrics.offers.inc({ result: 'declined' }, offerIds.length);
      if (this.options.refuseSeconds > 0) {
        this.options.onDeclined();
      }
    } catch (error) {
      this.options.logger.warn({ err: error, offers: offerIds.length }, 'DECLINE failed');
    }
  }
}
