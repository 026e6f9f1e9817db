import type { Offer } from '../shared/mesos/types.js';

/**
 * The maximum delay that Node's setTimeout accepts (2^31 - 1 ms, about 24.8 days). Node replaces a
 * longer one with 1 ms, so a longer hold re-arms the timer each time this delay has passed.
 */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** An offer with the time by which it must be declined. */
export interface HeldOffer {
  offer: Offer;
  /** When the offer must be declined, in ms of `performance.now()`. */
  declineAtMs: number;
}

/**
 * Offers kept between offer cycles, so that a launch arriving shortly after them is placed at
 * once instead of waiting for the next allocation. Each offer is held for at most `holdMs` from
 * when it arrived, and then passed to `onExpired` to be declined.
 */
export class HeldOffers {
  readonly #offers = new Map<string, HeldOffer>();
  #timer: NodeJS.Timeout | undefined;
  #timerAtMs = Infinity;
  /** Set by `releaseAll()`: from then on `hold()` returns every offer to be declined. */
  #released = false;

  constructor(
    private readonly holdMs: number,
    private readonly onExpired: (offers: Offer[]) => void,
  ) {}

  get size(): number {
    return this.#offers.size;
  }

  /** Returns the time by which an offer arriving now must be declined. */
  deadlineFor(arrivedAtMs: number): number {
    return arrivedAtMs + this.holdMs;
  }

  /**
   * Holds offers until their deadlines and returns those whose deadline has already passed, or
   * all of them when holding is off or released, for the caller to decline.
   */
  hold(offers: HeldOffer[]): Offer[] {
    const now = performance.now();
    const expired: Offer[] = [];

    for (const held of offers) {
      if (this.#released || this.holdMs <= 0 || held.declineAtMs <= now) {
        expired.push(held.offer);
        continue;
      }

      this.#offers.set(held.offer.id.value, held);
    }

    this.#armTimer();
    return expired;
  }

  /** Takes every held offer out, with its deadline, for an offer cycle to use. */
  takeAll(): HeldOffer[] {
    const taken = [...this.#offers.values()];
    this.#offers.clear();
    this.#disarmTimer();
    return taken;
  }

  /** Returns every held offer to be declined, and holds no offer from then on. */
  releaseAll(): Offer[] {
    this.#released = true;
    return this.takeAll().map((held) => held.offer);
  }

  /** Forgets a held offer that the master rescinded, and returns whether it was held. */
  remove(offerId: string | undefined): boolean {
    return offerId !== undefined && this.#offers.delete(offerId);
  }

  /** Forgets every held offer and stops the timer, after the master rescinded them all. */
  clear(): void {
    this.#offers.clear();
    this.#disarmTimer();
  }

  #armTimer(): void {
    let earliest = Infinity;
    for (const held of this.#offers.values()) {
      earliest = Math.min(earliest, held.declineAtMs);
    }

    if (earliest === Infinity || earliest >= this.#timerAtMs) {
      return;
    }

    this.#disarmTimer();
    const now = performance.now();
    const delayMs = Math.min(Math.max(0, earliest - now), MAX_TIMER_DELAY_MS);
    this.#timerAtMs = now + delayMs;
    this.#timer = setTimeout(() => this.#expire(), delayMs);
    this.#timer.unref();
  }

  #disarmTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAtMs = Infinity;
  }

  #expire(): void {
    this.#timer = undefined;
    this.#timerAtMs = Infinity;

    const now = performance.now();
    const expired: Offer[] = [];
    for (const [offerId, held] of this.#offers) {
      if (held.declineAtMs <= now) {
        expired.push(held.offer);
        this.#offers.delete(offerId);
      }
    }

    this.#armTimer();
    if (expired.length > 0) {
      this.onExpired(expired);
    }
  }
}
