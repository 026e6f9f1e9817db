import { afterEach, describe, expect, it, vi } from 'vitest';
import { HeldOffers } from '../../worker/held-offers.js';
import { testOffer } from './support/fake-calls.js';

/** The maximum delay Node's setTimeout accepts; Node replaces a longer one with 1 ms. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

describe('HeldOffers', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('holds past the setTimeout maximum', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const expired: string[] = [];
    const holdMs = 3 * MAX_TIMEOUT_MS;
    const held = new HeldOffers(holdMs, (offers) => {
      expired.push(...offers.map((offer) => offer.id.value));
    });

    const offer = testOffer('offer-1', 'agent-1', 1);
    held.hold([{ offer, declineAtMs: held.deadlineFor(performance.now()) }]);
    vi.advanceTimersByTime(100);
    // A timer re-armed every 1 ms would make the long advances below take billions of steps.
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
    expect(setTimeoutSpy.mock.calls[0]?.[1]).toBeLessThanOrEqual(MAX_TIMEOUT_MS);

    vi.advanceTimersByTime(holdMs - 1_000);
    expect(expired).toEqual([]);
    expect(held.size).toBe(1);

    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual(['offer-1']);
    expect(held.size).toBe(0);
  });
});
