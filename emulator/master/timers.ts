/** Node's setTimeout fires at once for delays above 2^31 - 1 ms (about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/** A scheduled callback that can be cancelled; cancelling twice is harmless. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Owns every timer the emulator starts, so `clearAll` on stop leaves no handle behind. Long
 * delays (a framework's failover timeout can be days) are split into chained timeouts.
 */
export class TimerRegistry {
  private readonly active = new Set<NodeJS.Timeout>();
  private stopped = false;

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    let current: NodeJS.Timeout | undefined;
    const dueAt = Date.now() + Math.max(0, delayMs);

    const schedule = (): void => {
      const remainingMs = Math.max(0, dueAt - Date.now());
      current = setTimeout(
        () => {
          this.active.delete(current!);
          if (remainingMs > MAX_TIMEOUT_MS) {
            schedule();
            return;
          }
          callback();
        },
        Math.min(remainingMs, MAX_TIMEOUT_MS),
      );
      this.track(current);
    };

    schedule();
    return { cancel: () => this.release(current) };
  }

  setInterval(callback: () => void, intervalMs: number): TimerHandle {
    const interval = setInterval(callback, Math.max(1, intervalMs));
    this.track(interval);
    return { cancel: () => this.release(interval) };
  }

  /** Cancels every timer and refuses new ones, so callbacks racing with stop do nothing. */
  clearAll(): void {
    this.stopped = true;
    for (const timer of this.active) {
      clearTimeout(timer);
    }
    this.active.clear();
  }

  private track(timer: NodeJS.Timeout): void {
    if (this.stopped) {
      clearTimeout(timer);
      return;
    }
    this.active.add(timer);
  }

  private release(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) {
      return;
    }
    clearTimeout(timer);
    this.active.delete(timer);
  }
}
