import type { Logger } from '../shared/logger.js';
import type { SchedulerCalls } from './scheduler-calls.js';

export interface OfferSuppressionOptions {
  calls: () => SchedulerCalls | undefined;
  /** How long no launch must wait before offers are suppressed. */
  suppressDelayMs: number;
  /** The shortest time between two REVIVE calls sent only to clear decline filters. */
  minReviveIntervalMs: number;
  logger: Logger;
}

/**
 * Stops offers while no launch waits (SUPPRESS) and requests them again when one does (REVIVE).
 * A REVIVE also clears the filters that earlier declines set, so a launch that arrives after
 * offers were declined does not wait for those filters to expire.
 */
export class OfferSuppression {
  #suppressed = false;
  #filtersActive = false;
  #waiting = 0;
  #lastReviveAtMs = 0;
  #suppressTimer: NodeJS.Timeout | undefined;
  #reviveTimer: NodeJS.Timeout | undefined;
  #active = false;

  constructor(private readonly options: OfferSuppressionOptions) {}

  get suppressed(): boolean {
    return this.#suppressed;
  }

  /**
   * Resets the state for a new subscription, which starts unsuppressed. The master keeps the
   * filters of earlier declines across a resubscription, so launches already waiting get a REVIVE.
   */
  onSubscribed(waiting: number): void {
    this.#active = true;
    this.#suppressed = false;
    this.#filtersActive = true;
    this.#waiting = waiting;
    this.#evaluate(waiting > 0);
  }

  onDisconnected(): void {
    this.#active = false;
    this.#clearTimers();
  }

  /** Notes that offers were declined with a filter. */
  onDeclined(): void {
    this.#filtersActive = true;
  }

  /** Reacts to a change in the number of launches waiting for an offer. */
  onWaitingChanged(waiting: number): void {
    const grew = waiting > this.#waiting;
    this.#waiting = waiting;
    this.#evaluate(grew);
  }

  #evaluate(grew: boolean): void {
    if (!this.#active) {
      return;
    }

    if (this.#waiting === 0) {
      this.#scheduleSuppress();
      return;
    }

    clearTimeout(this.#suppressTimer);
    this.#suppressTimer = undefined;
    if (this.#suppressed) {
      this.#revive();
    } else if (grew && this.#filtersActive) {
      this.#scheduleRevive();
    }
  }

  #scheduleSuppress(): void {
    if (this.#suppressed || this.#suppressTimer) {
      return;
    }

    this.#suppressTimer = setTimeout(() => {
      this.#suppressTimer = undefined;
      if (this.#active && this.#waiting === 0 && !this.#suppressed) {
        this.#suppress();
      }
    }, this.options.suppressDelayMs);
  }

  #scheduleRevive(): void {
    if (this.#reviveTimer) {
      return;
    }

    const delayMs = Math.max(
      0,
      this.#lastReviveAtMs + this.options.minReviveIntervalMs - Date.now(),
    );
    this.#reviveTimer = setTimeout(() => {
      this.#reviveTimer = undefined;
      if (this.#active && this.#waiting > 0 && (this.#filtersActive || this.#suppressed)) {
        this.#revive();
      }
    }, delayMs);
  }

  #suppress(): void {
    const calls = this.options.calls();
    if (!calls) {
      return;
    }

    this.#suppressed = true;
    calls.suppress().catch((error: unknown) => {
      this.#suppressed = false;
      this.options.logger.warn({ err: error }, 'SUPPRESS failed');
    });
    this.options.logger.debug('no launch waits; offers suppressed');
  }

  #revive(): void {
    const calls = this.options.calls();
    if (!calls) {
      return;
    }

    const wasSuppressed = this.#suppressed;
    this.#suppressed = false;
    this.#filtersActive = false;
    this.#lastReviveAtMs = Date.now();
    calls.revive().catch((error: unknown) => {
      this.#suppressed = wasSuppressed;
      this.#filtersActive = true;
      this.options.logger.warn({ err: error }, 'REVIVE failed; trying again');
      this.#scheduleRevive();
    });
    this.options.logger.debug({ waiting: this.#waiting }, 'offers revived');
  }

  #clearTimers(): void {
    clearTimeout(this.#suppressTimer);
    clearTimeout(this.#reviveTimer);
    this.#suppressTimer = undefined;
    this.#reviveTimer = undefined;
  }
}
