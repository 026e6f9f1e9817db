import { EventEmitter } from 'node:events';
import type { LaunchRequest } from '../shared/launch/types.js';
import type { PendingLaunch } from './placement/index.js';

/** The outcome of a launch's BullMQ job, decided by the status updates of its tasks. */
export type LaunchOutcome =
  | { kind: 'running'; state: string; taskId: string }
  | { kind: 'ended'; state: string; reason?: string; message?: string }
  | { kind: 'cancelled'; state: string; reason?: string; message?: string }
  | { kind: 'failed'; state: string; reason?: string; message?: string }
  | { kind: 'released'; reason: string };

/** A launch whose job this worker processes, waiting for an offer or with a task on its way. */
export interface TrackedLaunch {
  launchId: string;
  request: LaunchRequest;
  /** The attempt number the next task id gets. */
  nextAttempt: number;
  createdAtMs: number;
  /** When a launch still waiting for an offer expires, in ms since the epoch. */
  deadlineMs: number;
  phase: 'waiting' | 'launching';
}

interface Entry extends TrackedLaunch {
  settle(outcome: LaunchOutcome): void;
  /** True once an offer cycle could not place the launch and wrote what it waits for. */
  waitingNoted?: boolean;
}

/**
 * The launches whose jobs this worker is processing. Each job's processor awaits the promise
 * `track()` returns; offer cycles take the waiting ones, and status updates settle them.
 * Emits `waiting` with the number of waiting launches whenever that number changes.
 */
export class PendingLaunches extends EventEmitter<{ waiting: [count: number] }> {
  readonly #entries = new Map<string, Entry>();
  readonly #waiting = new Map<string, Entry>();
  #closedReason: string | undefined = 'not leading';

  /** @param frameworkName prefix of default task names, passed on to the placement */
  constructor(private readonly frameworkName?: string) {
    super();
  }

  get size(): number {
    return this.#entries.size;
  }

  get waitingCount(): number {
    return this.#waiting.size;
  }

  /**
   * Starts tracking a launch; a launch tracked already is released from its earlier job first.
   * While closed, the launch is released at once.
   */
  track(launch: TrackedLaunch): Promise<LaunchOutcome> {
    if (this.#closedReason !== undefined) {
      return Promise.resolve({ kind: 'released', reason: this.#closedReason });
    }

    this.settle(launch.launchId, { kind: 'released', reason: 'the job was delivered again' });

    return new Promise<LaunchOutcome>((resolve) => {
      const entry: Entry = { ...launch, settle: resolve };
      this.#entries.set(launch.launchId, entry);
      this.#setPhase(entry, launch.phase);
    });
  }

  get(launchId: string): TrackedLaunch | undefined {
    return this.#entries.get(launchId);
  }

  /**
   * Returns the launches waiting for an offer, oldest first, as the placement takes them. With
   * `untriedOnly`, leaves out those that an offer cycle could not place (see `noteUnplaced`).
   */
  waitingLaunches(options: { untriedOnly?: boolean } = {}): PendingLaunch[] {
    const entries = [...this.#waiting.values()];
    const candidates = options.untriedOnly
      ? entries.filter((entry) => !entry.waitingNoted)
      : entries;

    return candidates.map((entry) => ({
      launchId: entry.launchId,
      attempt: entry.nextAttempt,
      request: entry.request,
      frameworkName: this.frameworkName,
    }));
  }

  waitingEntries(): TrackedLaunch[] {
    return [...this.#waiting.values()];
  }

  /**
   * Returns true the first time it is called for a tracked launch, so the launch's record gets
   * one message about the offer it waits for, not one per offer cycle.
   */
  noteUnplaced(launchId: string): boolean {
    const entry = this.#entries.get(launchId);
    if (!entry || entry.waitingNoted) {
      return false;
    }

    entry.waitingNoted = true;
    return true;
  }

  /** Notes that the task id of `attempt` was written and is on its way to Mesos. */
  markLaunching(launchId: string, attempt: number): void {
    const entry = this.#entries.get(launchId);
    if (entry) {
      entry.nextAttempt = attempt + 1;
      this.#setPhase(entry, 'launching');
    }
  }

  /** Puts a launch back among the waiting ones, after a task of it failed before it ran. */
  requeue(launchId: string, nextAttempt: number): void {
    const entry = this.#entries.get(launchId);
    if (entry) {
      entry.nextAttempt = nextAttempt;
      entry.waitingNoted = false;
      this.#setPhase(entry, 'waiting');
    }
  }

  settle(launchId: string, outcome: LaunchOutcome): boolean {
    const entry = this.#entries.get(launchId);
    if (!entry) {
      return false;
    }

    this.#entries.delete(launchId);
    this.#setPhase(entry, undefined);
    entry.settle(outcome);
    return true;
  }

  /** Accepts launches from now on. A new instance starts closed. */
  open(): void {
    this.#closedReason = undefined;
  }

  /**
   * Settles every launch as released, so each job goes back to the queue for the next leader,
   * and releases launches tracked later until `open()`.
   */
  close(reason: string): void {
    this.#closedReason = reason;
    for (const launchId of [...this.#entries.keys()]) {
      this.settle(launchId, { kind: 'released', reason });
    }
  }

  #setPhase(entry: Entry, phase: TrackedLaunch['phase'] | undefined): void {
    const before = this.#waiting.size;
    this.#waiting.delete(entry.launchId);

    if (phase) {
      entry.phase = phase;
    }

    if (phase === 'waiting') {
      this.#waiting.set(entry.launchId, entry);
    }

    if (this.#waiting.size !== before) {
      this.emit('waiting', this.#waiting.size);
    }
  }
}
