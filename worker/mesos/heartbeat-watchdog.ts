/**
 * Fires `onSilence` when nothing arrives on the event stream for `factor` heartbeat intervals.
 * Mesos sends a HEARTBEAT every `heartbeat_interval_seconds` (15 s in Mesos 1.x), so with the
 * client's default factor of 5 the master counts as lost after 75 s of silence.
 */
export class HeartbeatWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private timeoutMs = 0;

  constructor(
    private readonly factor: number,
    private readonly onSilence: (silenceMs: number) => void,
  ) {}

  /** Starts or restarts the watchdog for a heartbeat interval in seconds. */
  arm(intervalSeconds: number): void {
    this.clearTimer();
    this.timeoutMs = Math.max(1, Math.round(intervalSeconds * 1000 * this.factor));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onSilence(this.timeoutMs);
    }, this.timeoutMs);
    this.timer.unref();
  }

  /** Records activity: the silence period starts again. */
  touch(): void {
    this.timer?.refresh();
  }

  /** Stops counting, e.g. while the event handler runs, since the stream is not read then. */
  pause(): void {
    this.clearTimer();
  }

  /** Counts again from zero after `pause`. */
  resume(): void {
    if (this.timeoutMs > 0 && !this.timer) {
      this.arm(this.timeoutMs / 1000 / this.factor);
    }
  }

  stop(): void {
    this.clearTimer();
    this.timeoutMs = 0;
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
